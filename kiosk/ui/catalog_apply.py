"""The applicant screen's states for the screen catalogue (kiosk/ui/catalog.py): a made-up
applicant (the demo card's person), put on screen synchronously, never sent anywhere."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from kiosk.applications.deadline import CHINA
from kiosk.applications.submit import NoSealKey, Receipt
from kiosk.ports import NoCard

if TYPE_CHECKING:
    from kiosk.app import KioskApp

DEMO = {"name": "林晓雨", "id_number": "110101198604120024",
        "address": "北京市东城区示例路12号院3号楼2单元501室", "phone": "13812345678"}


def _receipt(app: KioskApp, queued: bool) -> Receipt:
    apps = app.services.applications
    assert apps is not None
    kind = apps.kind("legal-aid")
    body, phone = apps.body(kind)
    created = dt.datetime(2026, 11, 23, 10, 5, tzinfo=CHINA)
    law = kind.decision.basis if kind.decision else None
    basis = {loc: f"{law.law[loc]} {law.article.get(loc, '')}" for loc in law.law} if law else {}
    return Receipt(code="7K3M9Q2P", kind=kind.id, title=dict(kind.title), body=body, body_phone=phone,
                   created_at=created, decision_due=dt.date(2026, 11, 30),
                   decision_what=dict(kind.decision.what) if kind.decision else {},
                   basis=basis,
                   url="https://legal.example.gov.cn/a/7K3M9Q2P", phone_masked="138****5678", queued=queued)


def apply_state(app: KioskApp, upto: str) -> Any:
    screen: Any = app.screens["apply"]
    app.go("apply", kind="legal-aid")
    if upto == "consent":
        return screen
    if upto == "declined":
        screen.decline()
        return screen
    screen.agree()
    if upto == "consent-id":
        return screen
    screen.agree_id()
    screen.show("who")
    if upto == "who":
        return screen
    if upto == "card-failed":
        screen.show("card")
        screen.card_read(None, NoCard("demo"))
        return screen
    screen.by_hand()
    if upto == "name":
        return screen
    if upto == "name-pinyin":
        screen.switch_mode()
        for key in "lin":
            screen.latin(key)
        return screen
    for char in DEMO["name"]:
        screen.pick_char(char)
    screen.field_done()
    if upto in ("id-number", "id-number-error"):
        typed = DEMO["id_number"][:10] if upto == "id-number" else DEMO["id_number"][:17] + "5"
        for key in typed:
            screen.key(key)
        return screen
    for key in DEMO["id_number"]:
        screen.key(key)
    screen.field_done()
    for char in DEMO["address"]:
        screen.pick_char(char)
    screen.field_done()
    if upto == "phone":
        for key in DEMO["phone"][:7]:
            screen.key(key)
        return screen
    for key in DEMO["phone"]:
        screen.key(key)
    screen.field_done()
    if upto == "case":
        return screen
    while screen.step == "case":
        screen.skip()
    if upto == "review":
        return screen
    if upto == "sending":
        screen.show("sending")
        return screen
    if upto == "error":
        screen.sent(None, NoSealKey("demo"))
        return screen
    state = app.session.application
    if state.draft is not None:
        state.draft.wipe()  # as a submission leaves it
    state.receipt = _receipt(app, queued=upto == "done-queued")
    screen.code, screen.qr = state.receipt.code_display, state.receipt.url
    screen.slip_note, screen.slip_tone = app.t("Please take your receipt."), "info"
    screen.form_note, screen.form_tone = app.t(
        "There is no A4 printer here: scan the code to keep your application on your phone."), "info"
    screen.show("done")
    return screen


def track_state(app: KioskApp, upto: str) -> Any:
    """"查进度": the code typed, the digits, the status found, not found, no line."""
    from kiosk.applications.status import Status, StatusUnavailable

    screen: Any = app.screens["track"]
    app.go("track")
    for key in "7K3M9Q2P" if upto != "code" else "7K3M":
        screen.code_key(key)
    if upto == "code":
        return screen
    screen.next()
    for key in "5678"[: 2 if upto == "last4" else 4]:
        screen.digit(key)
    if upto == "last4":
        return screen
    if upto == "result":
        screen.found(Status(
            code="7K3M9Q2P", kind="legal-aid", status="accepted",
            status_text={"zh-CN": "已受理", "en": "Accepted"},
            next_step={"zh-CN": "法律援助中心会打电话和您约时间。",
                       "en": "The legal aid centre will call you to agree a time."},
            decision_due=dt.date(2026, 11, 30),
            body={"zh-CN": "示范县法律援助中心", "en": "Demo County Legal Aid Centre"},
            updated_at="2026-11-24T10:00:00+08:00"))
    elif upto == "not-found":
        screen.failed(StatusUnavailable("unknown_code", "没有找到这个申请。请核对回执上的编号和手机号后4位。",
                                        "No application found. Please check the code on your receipt "
                                        "and the last 4 digits of your phone."))
    else:
        screen.next()  # no central service in the catalogue's app: the offline sentence
    return screen
