"""The receipt slip: 58 and 80 mm, ESC/POS bytes and a PNG preview whose QR a real
decoder reads back to `<public_base_url>/a/<code>`; the phone only masked, no name, no ID."""

from __future__ import annotations

import datetime as dt

import pytest
import zxingcpp

from kiosk.applications.deadline import CHINA
from kiosk.applications.receipt import receipt_slip
from kiosk.applications.submit import Receipt
from kiosk.slips.preview import to_png
from kiosk.slips.profiles import load_profiles
from kiosk.slips.render import render_slip
from tests.conftest import REPO
from tests.unit.test_slips import qr_payloads

PROFILES = load_profiles(REPO / "config" / "printers.toml")


def _receipt(queued: bool, due: dt.date | None = dt.date(2026, 11, 29)) -> Receipt:
    return Receipt(
        code="7K3M9Q2P", kind="legal-aid", title={"zh-CN": "法律援助申请", "en": "Application for legal aid"},
        body={"zh-CN": "示范县法律援助中心", "en": "Demo County Legal Aid Centre"}, body_phone="0000-1234502",
        created_at=dt.datetime(2026, 11, 22, 9, 41, tzinfo=CHINA), decision_due=due,
        decision_what={"zh-CN": "决定是否给您法律援助", "en": "decide whether to give you legal aid"},
        basis={"zh-CN": "《中华人民共和国法律援助法》 第四十三条", "en": "Legal Aid Law of the PRC Article 43"},
        url="http://phone.test/a/7K3M9Q2P", phone_masked="138****5678", queued=queued)


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
@pytest.mark.parametrize("profile", ["58mm", "80mm"])
def test_receipt_prints_code_deadline_and_a_qr_to_the_phone_page(locale: str, profile: str) -> None:
    data = receipt_slip(_receipt(queued=False), [locale, "zh-CN"])
    slip = render_slip(data, PROFILES[profile], locale)
    assert slip.kind == "receipt"
    assert qr_payloads(slip.data) == ["http://phone.test/a/7K3M9Q2P"]
    image = to_png(slip.layout, PROFILES[profile])
    decoded = [r.text for r in zxingcpp.read_barcodes(image) if r.format == zxingcpp.BarcodeFormat.QRCode]
    assert decoded == ["http://phone.test/a/7K3M9Q2P"]
    lines = [getattr(b, "text", "") for b in slip.layout.blocks]
    assert "7K3M-9Q2P" in lines
    assert any("2026-11-29" in x for x in lines) and any("138****5678" in x for x in lines)
    text = "".join(lines)
    assert ("第四十三条" if locale == "zh-CN" else "Article 43") in text
    assert "13812345678" not in text and b"13812345678" not in slip.data


def test_a_queued_receipt_says_it_is_sent_later_and_no_deadline_is_said_plainly() -> None:
    slip = render_slip(receipt_slip(_receipt(queued=True, due=None), ["en"]), PROFILES["80mm"], "en")
    text = " ".join(getattr(b, "text", "") for b in slip.layout.blocks)
    assert "sent automatically" in text and "No deadline is set by law" in text
    sent = render_slip(receipt_slip(_receipt(queued=False), ["en"]), PROFILES["80mm"], "en")
    assert "sent automatically" not in " ".join(getattr(b, "text", "") for b in sent.layout.blocks)
