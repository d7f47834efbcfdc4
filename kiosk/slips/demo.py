"""Demo slips (`kiosk slip ... --demo`, the bench and the tests): fixed, realistic data."""

from __future__ import annotations

import datetime as dt

from kiosk.content.bundle import Bundle
from kiosk.flows.model import OutcomeNode
from kiosk.flows.render import Renderer
from kiosk.slips.data import (
    AppointmentData,
    ReceiptData,
    SlipData,
    SummaryData,
    TicketData,
    mask_phone,
)

DEMO_TIME = dt.datetime(2026, 11, 22, 9, 41)
DEMO_BASE_URL = "https://ggfw.example.gov.cn"
#: A rare name character outside GB2312 (喆), to exercise the raster fallback.
DEMO_RARE = "喆"


def _chain(locale: str) -> list[str]:
    return [locale] + [x for x in ("zh-CN", "en") if x != locale]


def demo_ticket(bundle: Bundle, locale: str) -> TicketData:
    office = bundle.offices_for("legal-aid")[0]
    service = next(s for s in bundle.pack.services if s.id == "legal-aid")
    chain = _chain(locale)
    return TicketData(
        office=next(office.name[c] for c in chain if c in office.name),
        service=next(service.title[c] for c in chain if c in service.title),
        number=f"{service.queue_prefix}023",
        issued_at=DEMO_TIME,
        waiting_ahead=5,
        wait_minutes=15,
        qr=f"{DEMO_BASE_URL}/q/{office.id}/{service.queue_prefix}023",
    )


def demo_appointment(bundle: Bundle, locale: str) -> AppointmentData:
    office = bundle.offices_for("notarization")[0]
    service = next(s for s in bundle.pack.services if s.id == "notarization")
    chain = _chain(locale)

    def pick(text: dict[str, str]) -> str:
        return next(text[c] for c in chain if c in text)

    documents = ("身份证、户口本", f"委托人{DEMO_RARE}的身份证复印件") if locale == "zh-CN" else (
        "ID card and household register", f"Copy of the ID card of the principal ({DEMO_RARE})")
    return AppointmentData(
        service=pick(service.title),
        starts_at=dt.datetime(2026, 11, 25, 9, 30),
        office=pick(office.name),
        address=pick(office.address),
        code="K7Q2-9F",
        phone_masked=mask_phone("13812345678"),
        documents=documents,
        qr=f"{DEMO_BASE_URL}/b/K7Q2-9F",
    )


def demo_summary(bundle: Bundle, locale: str) -> SummaryData:
    flow = bundle.flows["legal-aid"]
    node = flow.node("o_apply")
    assert isinstance(node, OutcomeNode)
    renderer = Renderer(bundle, flow, _chain(locale), locale, {}, bundle.rule_values(), DEMO_TIME.date())
    outcome = renderer.outcome(node)
    return SummaryData(
        outcome=outcome,
        printed_at=DEMO_TIME,
        qr=f"{DEMO_BASE_URL}/o/{flow.id}/{node.id}?l={locale}",
    )


def demo_receipt(bundle: Bundle, locale: str) -> ReceiptData:
    office = bundle.offices_for("legal-aid")[0]
    chain = _chain(locale)
    zh = locale == "zh-CN"
    return ReceiptData(
        title="法律援助申请" if zh else "Application for legal aid",
        body=next(office.name[c] for c in chain if c in office.name), body_phone=office.phone,
        code="7K3M-9Q2P", submitted_at=DEMO_TIME, decision_due=dt.date(2026, 11, 29),
        decision_what="决定是否给您法律援助" if zh else "decide whether to give you legal aid",
        basis="《中华人民共和国法律援助法》第四十三条" if zh else "Legal Aid Law of the PRC, Article 43",
        phone_masked=mask_phone("13812345678"), qr=f"{DEMO_BASE_URL}/a/7K3M9Q2P")


def demo_slip(kind: str, bundle: Bundle, locale: str) -> SlipData:
    if kind == "receipt":
        return demo_receipt(bundle, locale)
    if kind == "ticket":
        return demo_ticket(bundle, locale)
    if kind == "appointment":
        return demo_appointment(bundle, locale)
    return demo_summary(bundle, locale)
