"""PrintService with the hand-written fake printer, and the virtual printer's files."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from kiosk.content.bundle import Bundle, load_bundle
from kiosk.devices.fakes import FakePrinter
from kiosk.devices.virtual_printer import VirtualPrinter
from kiosk.ports import PrintResult
from kiosk.services.faults import FaultLog
from kiosk.services.printing import PrintService
from kiosk.slips.demo import demo_slip
from kiosk.slips.profiles import load_profiles
from kiosk.slips.render import RenderedSlip
from tests.conftest import CONTENT, LOCALITY, REPO

PROFILE = load_profiles(REPO / "config" / "printers.toml")["58mm"]


@pytest.fixture(scope="module")
def bundle() -> Bundle:
    loaded, problems = load_bundle(CONTENT, LOCALITY)
    assert loaded is not None and not problems
    return loaded


class BrokenPrinter(FakePrinter):
    def print_slip(self, slip: RenderedSlip) -> PrintResult:
        raise RuntimeError("adapter bug")


def test_printed_slip_says_take_it(bundle: Bundle, tmp_path: Path) -> None:
    fake = FakePrinter()
    outcome = PrintService(fake, PROFILE, FaultLog(tmp_path / "f.jsonl")).print(
        demo_slip("ticket", bundle, "en"), "en")
    assert outcome.printed and outcome.message == "Please take your slip." and outcome.qr is None
    assert [s.kind for s in fake.printed] == ["ticket"]


def test_an_adapter_bug_falls_back_to_the_screen(bundle: Bundle, tmp_path: Path) -> None:
    faults = FaultLog(tmp_path / "f.jsonl")
    data = demo_slip("appointment", bundle, "zh-CN")
    outcome = PrintService(BrokenPrinter(), PROFILE, faults).print(data, "zh-CN")
    assert not outcome.printed and outcome.fault == "adapter_error" and outcome.qr == data.qr
    assert [e["code"] for e in faults.entries()] == ["adapter_error"]


def test_fault_log_holds_no_personal_data(bundle: Bundle, tmp_path: Path) -> None:
    faults = FaultLog(tmp_path / "f.jsonl")
    PrintService(FakePrinter(PrintResult(printed=False, fault="paper_out")), PROFILE, faults).print(
        demo_slip("appointment", bundle, "zh-CN"), "zh-CN")
    text = (tmp_path / "f.jsonl").read_text(encoding="utf-8")
    assert "paper_out" in text and "5678" not in text and "K7Q2" not in text
    assert set(faults.entries()[0]) == {"at", "device", "code"}


def test_virtual_printer_writes_bytes_and_preview(bundle: Bundle, tmp_path: Path) -> None:
    service = PrintService(VirtualPrinter(tmp_path / "slips"), PROFILE, FaultLog(tmp_path / "f.jsonl"))
    assert service.print(demo_slip("summary", bundle, "zh-CN"), "zh-CN").printed
    [binary] = (tmp_path / "slips").glob("summary-*.bin")
    assert binary.read_bytes().startswith(b"\x1b@\x1c&")
    with Image.open(binary.with_suffix(".png")) as image:
        assert image.width == PROFILE.dots + 32 and image.height > 1000
