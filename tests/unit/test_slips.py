"""Slips: layout, exact ESC/POS bytes (through python-escpos's Dummy), previews whose QR
codes a real decoder reads back to the payload inside the GS ( k command."""

from __future__ import annotations

import os
from pathlib import Path

import msgspec
import pytest
import zxingcpp
from escpos.printer import Dummy

from kiosk.content.bundle import Bundle, load_bundle
from kiosk.slips.data import mask_phone
from kiosk.slips.demo import demo_slip
from kiosk.slips.escpos_bytes import to_bytes
from kiosk.slips.layout import QR, Feed, Layout, Rule, Text, text_width, wrap
from kiosk.slips.preview import to_png
from kiosk.slips.profiles import PrinterProfile, load_profiles
from kiosk.slips.render import render_slip
from tests.conftest import CONTENT, FIXTURES, LOCALITY, REPO

GOLDEN = FIXTURES / "slips"
PROFILES = load_profiles(REPO / "config" / "printers.toml")
KINDS = ("ticket", "appointment", "summary")
GS_V0 = b"\x1dv0"  # raster bit image
QR_STORE = b"\x1d(k"


@pytest.fixture(scope="module")
def bundle() -> Bundle:
    loaded, problems = load_bundle(CONTENT, LOCALITY)
    assert loaded is not None and not problems
    return loaded


def qr_payloads(data: bytes) -> list[str]:
    """Payloads stored by GS ( k fn 80 (cn 49, fn 80, m 48): pL pH 1 P 0 <data>."""
    found = []
    at = data.find(QR_STORE)
    while at != -1:
        size = data[at + 3] + 256 * data[at + 4]
        if data[at + 5 : at + 8] == b"1P0":
            found.append(data[at + 8 : at + 5 + size].decode("utf-8"))
        at = data.find(QR_STORE, at + 1)
    return found


def test_phone_numbers_are_masked() -> None:
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("+86 138-1234-5678") == "138****5678"
    assert mask_phone("0758-1234567") == "075****4567"
    assert mask_phone("12345") == "*****"


def test_wrap_counts_chinese_as_two_columns_and_keeps_words() -> None:
    assert wrap("法律援助中心", 8) == ["法律援助", "中心"]
    lines = wrap("Take the papers below to the window", 16, indent="  ")
    assert lines == ["Take the papers", "  below to the", "  window"]
    assert all(text_width(line) <= 16 for line in lines)


def test_bytes_for_a_small_layout_are_exact() -> None:
    profile = PROFILES["58mm"]
    layout = Layout("ticket", "zh-CN", (
        Text("排队号", align="center"), Text("A001", scale=4, bold=True, align="center"),
        Rule(), QR("https://x.cn/q/A001"), Feed(2),
    ), "https://x.cn/q/A001")
    p = Dummy()
    p.qr("https://x.cn/q/A001", size=profile.qr_module, native=True)
    native_qr = p.output
    expected = (
        b"\x1b@\x1c&"  # ESC @ (init), FS & (Chinese mode)
        + b"\x1ba\x01" + "排队号".encode("gb18030") + b"\n"  # ESC a 1 (centre)
        + b"\x1d!\x33" + b"\x1bE\x01" + b"A001\n"  # GS ! 4x4, ESC E 1 (bold)
        + b"\x1d!\x00" + b"\x1bE\x00" + b"\x1ba\x00" + b"-" * 32 + b"\n"
        + b"\x1ba\x01" + native_qr + b"\n"
        + b"\n\n"
        + b"\x1ba\x00"
        + b"\x1bd\x06\x1dV\x00"  # feed and cut
    )
    assert to_bytes(layout, profile) == expected


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("locale", ["zh-CN", "en"])
def test_demo_slips_match_their_golden_bytes(bundle: Bundle, kind: str, locale: str) -> None:
    # GBK font: no raster lines, whose pixels would depend on the installed font renderer.
    profile = msgspec.structs.replace(PROFILES["80mm"], font_charset="gbk")
    slip = render_slip(demo_slip(kind, bundle, locale), profile, locale)
    golden = GOLDEN / f"{kind}-{locale}-80mm.bin"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_bytes(slip.data)
    assert slip.data == golden.read_bytes(), f"{golden.name} changed (UPDATE_GOLDEN=1 to accept)"


@pytest.mark.parametrize("profile", ["58mm", "80mm"])
def test_a_chinese_ticket_with_native_qr_is_small(bundle: Bundle, profile: str) -> None:
    slip = render_slip(demo_slip("ticket", bundle, "zh-CN"), PROFILES[profile], "zh-CN")
    assert len(slip.data) <= 600
    assert slip.data.startswith(b"\x1b@\x1c&")
    assert "排队号".encode("gb18030") in slip.data
    assert qr_payloads(slip.data) == [slip.qr]
    assert GS_V0 not in slip.data  # no raster at all
    assert b"\x1bt" not in slip.data  # never a code page switch (charcode)
    assert slip.data.endswith(b"\x1dV\x00")


def test_raster_qr_profile_prints_the_qr_as_an_image(bundle: Bundle) -> None:
    native = render_slip(demo_slip("ticket", bundle, "zh-CN"), PROFILES["58mm"], "zh-CN")
    raster = render_slip(demo_slip("ticket", bundle, "zh-CN"), PROFILES["58mm-raster-qr"], "zh-CN")
    assert QR_STORE not in raster.data and GS_V0 in raster.data
    assert len(raster.data) > 5 * len(native.data)


def test_characters_the_printer_font_lacks_print_as_raster(bundle: Bundle) -> None:
    data = demo_slip("appointment", bundle, "zh-CN")  # 喆 is in GBK, not GB2312
    gb2312 = render_slip(data, PROFILES["80mm"], "zh-CN")
    gbk = render_slip(data, PROFILES["80mm-fast"], "zh-CN")
    assert GS_V0 in gb2312.data and "喆".encode("gb18030") not in gb2312.data
    assert GS_V0 not in gbk.data and "喆".encode("gb18030") in gbk.data


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("locale", ["zh-CN", "en"])
@pytest.mark.parametrize("profile", ["58mm", "80mm"])
def test_preview_qr_decodes_to_the_printed_payload(bundle: Bundle, kind: str, locale: str, profile: str,
                                                   tmp_path: Path) -> None:
    slip = render_slip(demo_slip(kind, bundle, locale), PROFILES[profile], locale)
    image = to_png(slip.layout, PROFILES[profile])
    assert image.width == PROFILES[profile].dots + 32
    decoded = [r.text for r in zxingcpp.read_barcodes(image) if r.format == zxingcpp.BarcodeFormat.QRCode]
    assert decoded == qr_payloads(slip.data) == [slip.qr]


def test_profile_columns_follow_the_paper() -> None:
    assert PROFILES["58mm"].columns == 32 and PROFILES["80mm"].columns == 48
    with pytest.raises(msgspec.ValidationError):
        msgspec.convert({"name": "x", "dots": 10}, PrinterProfile)
