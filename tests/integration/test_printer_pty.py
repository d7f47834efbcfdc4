"""The serial printer code against a fake printer on a real pseudo-terminal: every fault
ends in a plain message, the slip's QR for the screen, a recorded fault, and never a
false "printed"."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import msgspec
import pytest

from kiosk.content.bundle import Bundle, load_bundle
from kiosk.devices.printer import SerialPrinter
from kiosk.devices.pty_printer import (
    STATUS_COVER_OPEN,
    STATUS_CUTTER,
    STATUS_NEAR_END,
    STATUS_OK,
    STATUS_PAPER_OUT,
    Behaviour,
    PtyPrinter,
)
from kiosk.services.faults import FaultLog
from kiosk.services.printing import PrintService
from kiosk.slips.demo import demo_slip
from kiosk.slips.profiles import load_profiles
from kiosk.slips.render import render_slip
from tests.conftest import CONTENT, LOCALITY, REPO
from tests.integration.test_terminal_walk import write_config

PROFILE = msgspec.structs.replace(load_profiles(REPO / "config" / "printers.toml")["80mm"],
                                  write_timeout=0.5, status_timeout=1.0)


@pytest.fixture(scope="module")
def bundle() -> Bundle:
    loaded, problems = load_bundle(CONTENT, LOCALITY)
    assert loaded is not None and not problems
    return loaded


def test_a_healthy_printer_gets_exactly_the_slip(bundle: Bundle, tmp_path: Path) -> None:
    faults = FaultLog(tmp_path / "faults.jsonl")
    with PtyPrinter(Behaviour()) as fake:
        service = PrintService(SerialPrinter(fake.port, PROFILE), PROFILE, faults)
        outcome = service.print(demo_slip("ticket", bundle, "zh-CN"), "zh-CN")
    expected = render_slip(demo_slip("ticket", bundle, "zh-CN"), PROFILE, "zh-CN").data
    assert outcome.printed and outcome.message == "请取走打印的凭条。" and outcome.qr is None
    assert bytes(fake.received) == expected
    assert fake.queries == [1, 2, 3, 4, 1, 2, 3, 4]  # status before and after
    assert faults.entries() == []


def test_paper_near_end_prints_and_warns_staff(bundle: Bundle, tmp_path: Path) -> None:
    faults = FaultLog(tmp_path / "faults.jsonl")
    with PtyPrinter(Behaviour(status=STATUS_NEAR_END)) as fake:
        service = PrintService(SerialPrinter(fake.port, PROFILE), PROFILE, faults)
        outcome = service.print(demo_slip("ticket", bundle, "en"), "en")
    assert outcome.printed and fake.received
    assert [e["code"] for e in faults.entries()] == ["paper_near_end"]


BIG = 200_000  # more than the pty holds, so a reader that stops holds the writer


@pytest.mark.parametrize(
    ("behaviour", "fault", "slip_bytes_sent"),
    [
        (Behaviour(status=STATUS_PAPER_OUT), "paper_out", False),
        (Behaviour(status=STATUS_COVER_OPEN), "cover_open", False),
        (Behaviour(status=STATUS_CUTTER), "cutter_error", False),
        (Behaviour(status=None), "no_answer", False),  # silence is never "paper OK"
        (Behaviour(garbage=0xFF), "garbage", False),
        (Behaviour(status=STATUS_OK, status_after=STATUS_PAPER_OUT), "paper_out", True),  # ran out mid-slip
        (Behaviour(drop_after=1), "disconnected", True),  # cable pulled mid-slip
        (Behaviour(stall_after=1), "stalled", True),  # line held (jam, flow control)
    ],
    ids=["paper-out", "cover-open", "cutter", "silent", "garbage", "out-mid-slip", "pulled", "stalled"],
)
def test_faults_fall_back_to_the_screen(bundle: Bundle, tmp_path: Path, behaviour: Behaviour, fault: str,
                                        slip_bytes_sent: bool) -> None:
    faults = FaultLog(tmp_path / "faults.jsonl")
    slip = render_slip(demo_slip("summary", bundle, "zh-CN"), PROFILE, "zh-CN")
    if fault == "stalled":
        slip = msgspec.structs.replace(slip, data=slip.data * (BIG // len(slip.data) + 1))
    with PtyPrinter(behaviour) as fake:
        result = SerialPrinter(fake.port, PROFILE).print_slip(slip)
        service = PrintService(SerialPrinter(fake.port, PROFILE), PROFILE, faults)
        outcome = service.print(demo_slip("summary", bundle, "zh-CN"), "zh-CN") if fault != "stalled" else None
    assert not result.printed and result.fault == fault
    assert bool(fake.received) == slip_bytes_sent
    if outcome is not None:
        # Once the cable is out, the port itself is gone for the next slip.
        expected = {fault, "no_port"} if fault == "disconnected" else {fault}
        assert not outcome.printed and outcome.fault in expected
        assert "二维码" in outcome.message and outcome.qr == slip.qr
        assert [e["code"] for e in faults.entries()] == [outcome.fault]


def test_no_such_port_is_a_fault_not_a_crash(bundle: Bundle, tmp_path: Path) -> None:
    faults = FaultLog(tmp_path / "faults.jsonl")
    service = PrintService(SerialPrinter("/dev/ttyNO-SUCH-PORT", PROFILE), PROFILE, faults)
    outcome = service.print(demo_slip("ticket", bundle, "en"), "en")
    assert not outcome.printed and outcome.fault == "no_port" and "QR code" in outcome.message
    assert faults.entries()[0]["code"] == "no_port"


def run_printer_test(tmp_path: Path, port: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KIOSK_CONFIG": str(write_config(tmp_path)), "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, "-m", "kiosk", "printer-test", "--port", port, "--baud", "115200"],
                          capture_output=True, text=True, env=env, timeout=60, check=False)


def test_printer_test_command_prints_and_reports(tmp_path: Path) -> None:
    with PtyPrinter(Behaviour()) as fake:
        result = run_printer_test(tmp_path, fake.port)
    assert result.returncode == 0, result.stderr
    assert '"paper":"ok"' in result.stdout and "test slip printed" in result.stdout
    assert fake.received.startswith(b"\x1b@\x1c&")


@pytest.mark.parametrize(("behaviour", "reason"), [(Behaviour(status=None), "no_answer"),
                                                   (Behaviour(status=STATUS_PAPER_OUT), "paper_out")])
def test_printer_test_command_fails_with_the_reason(tmp_path: Path, behaviour: Behaviour, reason: str) -> None:
    with PtyPrinter(behaviour) as fake:
        result = run_printer_test(tmp_path, fake.port)
    assert result.returncode == 1 and reason in result.stderr
    assert not fake.received


def test_a_slow_line_still_confirms_the_slip(bundle: Bundle) -> None:
    """At 9600 baud the after-slip status query waits behind 1 s of slip on the wire:
    the printer is not declared silent while it is still receiving."""
    slow = msgspec.structs.replace(PROFILE, baud=9600)
    slip = render_slip(demo_slip("summary", bundle, "zh-CN"), slow, "zh-CN")
    with PtyPrinter(Behaviour(baud=9600)) as fake:
        result = SerialPrinter(fake.port, slow).print_slip(slip)
    assert result.printed, result.fault
    assert bytes(fake.received) == slip.data
