"""Applying at the kiosk by touch (issue 13): the legal-aid flow → outcome → apply →
consent → the ID card read from the pty fake → phone → submit to the loopback central
service → receipt shown and slip printed → the idle wipe leaves nothing personal. Also:
"I do not agree" prints the blank form through a private CUPS with a PDF printer, and a
name written by finger on the pad with synthetic strokes."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.applications.codes import display
from kiosk.applications.factory import make_applications
from kiosk.connector.client import CentralClient
from kiosk.connector.settings import CentralSettings
from kiosk.devices.pty_idcard import DemoIdCardReader, TestCard
from tests.connector.conftest import closed_port_url
from tests.connector.fake_central import TOKEN, FakeCentral
from tests.integration import cups_server
from tests.ui.conftest import Driver
from tests.ui.usage_events import last_outbox_id, usage_events

CARD = TestCard()
PHONE = "13912345678"
SECRETS = [CARD.name, CARD.id_number, CARD.address, PHONE, "1391234", CARD.id_number[:14]]


def _answer_number(ui: Driver, digits: str) -> None:
    for d in digits:
        ui.tap_text(d, cls="KeypadKey")
    ui.tap_text(ui.app.t("OK"))


def _to_outcome(ui: Driver) -> None:
    t = ui.app.t
    ui.tap(ui.find(cls="TouchArea"))
    ui.tap_text(t("Can I get free legal aid?"))
    for label in ("讨工资、劳动关系", "否", "是", "否", "否", "否", "否"):
        ui.tap_text(label, cls="ChoiceButton")
    _answer_number(ui, "3")
    _answer_number(ui, "3000")
    assert ui.app.root.current == "outcome"


def to_review_with_the_card(ui: Driver) -> None:
    """From home to the review step of a legal-aid application: consent, the ID number's own
    consent, the card from the pty fake, the phone, every case question skipped."""
    t = ui.app.t
    _to_outcome(ui)
    ui.tap_text("在这里申请法律援助")
    ui.tap_text(t("I agree"))
    ui.tap_text(t("I agree to give my ID number"))
    ui.tap_text(t("Read my ID card"))
    ui.settle()
    for d in PHONE:
        ui.tap_text(d, cls="KeypadKey")
    ui.tap_text(t("Next"))
    while ui.screen.step == "case":
        ui.tap_text(t("Skip"))
    assert ui.screen.step == "review", ui.screen.step


def _settings(central: FakeCentral, state: Path) -> CentralSettings:
    return CentralSettings(url=central.url, token=TOKEN, tuf_root=None, ticket_prefix="K3", state_dir=state,
                           connect_timeout_s=1.0, read_timeout_s=5.0, retries=1, backoff_s=0.01,
                           retry_after_max_s=2.0, outbox_base_s=1.0, outbox_cap_s=60.0)


@pytest.fixture
def joined(ui: Driver) -> Iterator[FakeCentral]:
    """The applications service on a loopback central service; the demo card on a pty."""
    central = FakeCentral().start()
    services = ui.app.services
    old = services.applications, services.idcard
    services.applications = make_applications(services.cfg, services.bundle,
                                              settings=_settings(central, ui.state_dir / "apps"))
    reader = DemoIdCardReader()
    services.idcard = reader
    yield central
    services.applications, services.idcard = old
    reader.close()
    central.stop()


@pytest.fixture(scope="module")
def cups() -> Iterator[cups_server.PrivateCups]:
    yield from cups_server.serve_pdf_queue("KioskApplyA4")


def _spoken(ui: Driver, said: list[str]) -> None:
    said.append(ui.screen.spoken())


def test_apply_for_legal_aid_with_the_id_card_and_the_kiosk_forgets_it_all(ui: Driver, joined: FakeCentral) -> None:
    app, t = ui.app, ui.app.t
    said: list[str] = []
    _to_outcome(ui)
    ui.tap_text("在这里申请法律援助")
    assert app.root.current == "apply" and ui.screen.step == "consent"
    _spoken(ui, said)
    kind = app.services.applications.kind("legal-aid")
    assert kind.consent.what["zh-CN"] in said[-1] and kind.consent.rights["zh-CN"] in said[-1]
    assert app.session.application.draft.consent is None  # nothing agreed yet

    ui.tap_text(t("I agree"))
    assert ui.screen.step == "consent_id"  # the ID number's own consent (第二十九条)
    ui.tap_text(t("I agree to give my ID number"))
    assert ui.screen.step == "who"
    ui.tap_text(t("Read my ID card"))  # read on a worker from the pty fake
    ui.settle()
    assert ui.screen.step == "field" and ui.screen._field == "phone", ui.screen.message
    _spoken(ui, said)
    for d in PHONE:
        ui.tap_text(d, cls="KeypadKey")
    assert ui.screen.shown_value == "139 1234 5678"  # in full while typing
    _spoken(ui, said)
    ui.tap_text(t("Next"))
    while ui.screen.step == "case":  # the case questions are optional
        _spoken(ui, said)
        ui.tap_text(t("Skip"))
    assert ui.screen.step == "review"
    _spoken(ui, said)
    shown = " ".join(ui.all_texts())
    assert "林*" in shown and CARD.id_number[:3] + "*" * 11 + CARD.id_number[-4:] in shown
    assert not [s for s in SECRETS if s in shown.replace(" ", "")]

    slips = ui.state_dir / "slips"
    before = set(slips.glob("*.bin")) if slips.exists() else set()
    ui.tap_text(t("Send application"))
    ui.settle()
    assert ui.screen.step == "done", ui.screen.message
    _spoken(ui, said)

    # THEN the central service has it once, with the card's person inside the sealed box
    (code, received), = joined.state.applications.items()
    assert received["person"]["name"] == CARD.name and received["person"]["id_number"] == CARD.id_number
    assert received["person"]["phone"] == PHONE and received["kind"] == "legal-aid"
    assert ui.screen.code == display(code) and f"/a/{code}" in ui.screen.qr
    assert [w for w in ui.widgets() if type(w).__name__ == "ReceiptCode" and w.code == display(code)]
    # AND the receipt slip came out of the (virtual) thermal printer, with no name on it
    new = sorted(set(slips.glob("*.bin")) - before)
    assert len(new) == 1
    text = new[0].read_bytes().decode("gb18030", errors="replace")
    assert display(code) in text and CARD.name not in text
    assert ui.screen.slip_note == t("Please take your receipt.")

    # AND nobody is told anything personal aloud
    assert not [s for s in SECRETS for line in said if s in line.replace(" ", "")]
    assert CARD.name not in repr(app.session.application)

    # WHEN the resident walks away
    ui.clock.advance(app.settings.idle_seconds + app.settings.warning_seconds + 1)
    ui.run_for(1.5)
    assert app.root.current == "attract"
    assert app.session.empty and app.session.application.empty
    texts = " ".join(ui.all_texts()).replace(" ", "")
    assert not [s for s in SECRETS if s in texts] and display(code) not in texts
    screen: Any = app.screens["apply"]
    assert screen._value == "" and screen.shown_value == "" and screen.code == ""
    for path in ui.state_dir.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert not [s for s in SECRETS if s.encode() in data or s.encode("gb18030") in data], path.name


def test_the_filled_a4_form_prints_through_cups_and_is_not_kept(
        ui: Driver, joined: FakeCentral, cups: cups_server.PrivateCups) -> None:
    from kiosk.devices.a4printer import CupsA4Printer

    app, t = ui.app, ui.app.t
    old = app.services.a4
    app.services.a4 = CupsA4Printer("KioskApplyA4", server=cups.socket)
    out = cups_server.pdf_out_dir()
    start = last_outbox_id(ui)
    try:
        to_review_with_the_card(ui)
        ui.tap_text(t("Send application"))
        ui.settle(timeout=60)
        assert ui.screen.step == "done"
        assert ui.screen.form_note == t("Please take your A4 form from the printer."), ui.screen.form_note
        assert [(k, d) for k, d in usage_events(ui, start) if d.get("what") == "form"] == [("print", {"what": "form"})]
        (code, _received), = joined.state.applications.items()
        deadline = time.monotonic() + 20
        printed: list[Path] = []
        while time.monotonic() < deadline and not printed:  # cups-pdf names the file by the job title
            printed = [p for p in out.glob(f"*{display(code)}*.pdf") if p.stat().st_size] if out.exists() else []
            time.sleep(0.2)
        assert printed, "cups-pdf wrote no filled form"
        for path in printed:
            path.unlink()
        state = app.session.application
        assert state.pdf is None and state.fields is None  # printed, then dropped
    finally:
        app.services.a4 = old


def test_i_do_not_agree_keeps_nothing_and_prints_the_blank_form(
        ui: Driver, joined: FakeCentral, cups: cups_server.PrivateCups) -> None:
    from kiosk.devices.a4printer import CupsA4Printer

    app, t = ui.app, ui.app.t
    old = app.services.a4
    app.services.a4 = CupsA4Printer("KioskApplyA4", server=cups.socket)
    out = cups_server.pdf_out_dir()
    before = set(out.glob("*.pdf")) if out.exists() else set()
    start = last_outbox_id(ui)
    try:
        _to_outcome(ui)
        ui.tap_text("在这里申请法律援助")
        ui.tap_text(t("I do not agree"))
        assert ui.screen.step == "declined" and app.session.application.draft is None
        ui.tap_text(t("Print the blank form"))
        ui.settle(timeout=40)
        assert ui.screen.message == t("Please take your A4 form from the printer."), ui.screen.message
        assert [(k, d) for k, d in usage_events(ui, start) if d.get("what") == "form"] == [("print", {"what": "form"})]
        deadline = time.monotonic() + 20
        new: list[Path] = []
        while time.monotonic() < deadline and not new:
            new = [p for p in (set(out.glob("*.pdf")) - before) if "legal-aid" in p.name and p.stat().st_size]
            time.sleep(0.2)
        assert new, "cups-pdf wrote no blank form"
        for path in new:
            path.unlink()
        assert not joined.state.applications  # nothing was sent
    finally:
        app.services.a4 = old


def test_without_an_a4_printer_the_blank_form_goes_home_by_qr(ui: Driver, joined: FakeCentral) -> None:
    from kiosk.devices.a4printer import NoA4Printer

    app, t = ui.app, ui.app.t
    old = app.services.a4
    app.services.a4 = NoA4Printer()
    start = last_outbox_id(ui)
    try:
        _to_outcome(ui)
        ui.tap_text("在这里申请法律援助")
        ui.tap_text(t("I do not agree"))
        ui.tap_text(t("Print the blank form"))
        assert ui.screen.message == t("There is no A4 printer here. Scan the code to get the blank form on your phone.")
        assert [(k, d) for k, d in usage_events(ui, start) if d.get("what") == "form"] == []  # nothing was printed: the QR instead
        cards = [w for w in ui.widgets() if type(w).__name__ == "QrCard"]
        assert cards and cards[-1].data.endswith("/f/legal-aid"), [c.data for c in cards]
        assert not joined.state.applications
    finally:
        app.services.a4 = old


def _stroke(ui: Driver, pad: Any, points: list[tuple[float, float]]) -> None:
    """One finger stroke on the pad; points in 0..1 of the pad, y up (as Kivy has it)."""
    from kivy.tests.common import UnitTestTouch

    def at(p: tuple[float, float]) -> tuple[float, float]:
        return pad.to_window(pad.x + p[0] * pad.width, pad.y + p[1] * pad.height)

    touch = UnitTestTouch(*at(points[0]))
    touch.touch_down()
    for p in points[1:]:
        touch.touch_move(*at(p))
    touch.touch_up()
    ui.frames(2)


def _line(a: tuple[float, float], b: tuple[float, float], n: int = 8) -> list[tuple[float, float]]:
    return [(a[0] + (b[0] - a[0]) * i / n, a[1] + (b[1] - a[1]) * i / n) for i in range(n + 1)]


def test_a_name_written_by_finger_and_a_callback_without_a_card(ui: Driver, joined: FakeCentral) -> None:
    app, t = ui.app, ui.app.t
    if app.services.handwriting is None or app.services.handwriting.unavailable():
        pytest.skip("handwriting recognition is not installed (apt-get install libzinnia0 "
                    "tegaki-zinnia-simplified-chinese)")
    _to_outcome(ui)
    ui.tap_text("请工作人员回电话")
    ui.tap_text(t("I agree"))  # a callback needs no ID number: no second consent
    assert ui.screen.step == "field" and ui.screen._field == "phone"
    for d in PHONE:
        ui.tap_text(d, cls="KeypadKey")
    ui.tap_text(t("Next"))
    assert ui.screen._field == "name"  # optional for a callback, asked after the phone
    pad = ui.screen.pad
    # 十: a horizontal stroke, then a vertical one
    _stroke(ui, pad, _line((0.15, 0.5), (0.85, 0.5)))
    _stroke(ui, pad, _line((0.5, 0.85), (0.5, 0.15)))
    keys = [w for w in ui.widgets() if type(w).__name__ == "CandidateKey"]
    assert keys and keys[0].text == "十", [k.text for k in keys]
    ui.tap(keys[0])
    assert ui.screen.shown_value == "十" and not pad.strokes
    ui.tap_text(t("Delete"))
    assert ui.screen.shown_value == ""
    # by pinyin instead: "wang", then the first candidate
    ui.tap_text(t("Type pinyin"))
    for key in "wang":
        ui.tap_text(key, cls="KeyboardKey")
    ui.tap_text("王", cls="CandidateKey")
    assert ui.screen.shown_value == "王"
    ui.tap_text(t("Next"))
    while ui.screen.step == "case":
        ui.tap_text(t("Skip"))
    assert ui.screen.step == "review"
    ui.tap_text(t("Send application"))
    ui.settle()
    assert ui.screen.step == "done"
    (_code, received), = joined.state.applications.items()
    assert received["kind"] == "callback" and received["person"] == {"phone": PHONE, "name": "王"}


def _submit_callback(ui: Driver) -> str:
    import datetime as dt

    from kiosk.applications.deadline import CHINA

    apps = ui.app.services.applications
    draft = apps.start("callback")
    draft.agree(dt.datetime.now(CHINA))
    draft.set_person("phone", PHONE)
    return apps.submit(draft).code


def _type_code(ui: Driver, code: str, last4: str) -> None:
    t = ui.app.t
    for key in code:
        ui.tap_text(key, cls="CodeKey")
    assert ui.screen.shown == display(code)
    ui.tap_text(t("Next"))
    for d in last4:
        ui.tap_text(d, cls="KeypadKey")
    assert ui.screen.shown == "••••"  # never the digits
    ui.tap_text(t("Check"))


def test_check_my_application_by_code_and_the_last_4_digits(ui: Driver, joined: FakeCentral) -> None:
    app, t = ui.app, ui.app.t
    code = _submit_callback(ui)
    ui.tap(ui.find(cls="TouchArea"))
    ui.tap_text(t("Check my application"), cls="HomeTile")
    assert app.root.current == "track"
    _type_code(ui, code, PHONE[-4:])
    assert ui.screen.step == "result", ui.screen.message
    shown = " ".join(ui.all_texts())
    assert "已收到" in shown and "等待审查" in shown and display(code) in shown
    said = ui.screen.spoken()
    assert "已收到" in said and display(code) not in said and code not in said

    # a wrong last 4 digits: not found, in plain words, and the code kept to correct
    ui.tap_text(t("Back"))
    ui.tap_text(t("Check my application"), cls="HomeTile")
    _type_code(ui, code, "0000")
    assert ui.screen.step == "code" and ui.screen.message.startswith("没有找到这个申请")

    # the line is down (nothing listens where the kiosk asks): one sentence, no crash
    apps = app.services.applications
    apps.client = CentralClient(dataclasses.replace(apps.client.settings, url=closed_port_url()))
    ui.tap_text(t("Next"))
    for d in PHONE[-4:]:
        ui.tap_text(d, cls="KeypadKey")
    ui.tap_text(t("Check"))
    assert ui.screen.step == "failed" and "连不上中心系统" in ui.screen.message


def test_a_kiosk_that_never_reached_the_central_service_says_so_and_keeps_the_draft(ui: Driver) -> None:
    from kiosk.applications.model import PersonField
    from kiosk.applications.submit import NoSealKey

    app, t = ui.app, ui.app.t
    apps = app.services.applications
    assert apps is not None and apps.client is None and apps.provisioned is None  # no key anywhere
    _to_outcome(ui)
    ui.tap_text("请工作人员回电话")
    ui.tap_text(t("I agree"))
    for d in PHONE:
        ui.tap_text(d, cls="KeypadKey")
    ui.tap_text(t("Next"))
    ui.tap_text(t("Skip"))  # the name (optional)
    while ui.screen.step == "case":
        ui.tap_text(t("Skip"))
    ui.tap_text(t("Send application"))
    ui.settle()
    assert ui.screen.step == "error" and ui.screen.message == NoSealKey.text["zh-CN"]
    draft = app.session.application.draft
    assert draft is not None and draft.has(PersonField.PHONE)  # nothing lost: "Try again" can send it
    assert ui.find(t("Try again")) is not None
    app.finish()
    ui.frames(2)
    assert app.session.application.empty and not draft.has(PersonField.PHONE)


def test_a_receipt_the_printer_could_not_print_is_said_plainly_and_the_code_stays(
        ui: Driver, joined: FakeCentral, monkeypatch: pytest.MonkeyPatch) -> None:
    from kiosk.devices.fakes import FakePrinter
    from kiosk.ports import PrintResult

    app, t = ui.app, ui.app.t
    printer = FakePrinter(result=PrintResult(printed=False, fault="paper_out"))
    monkeypatch.setattr(app.services.printing, "printer", printer)
    _to_outcome(ui)
    ui.tap_text("请工作人员回电话")
    ui.tap_text(t("I agree"))
    for d in PHONE:
        ui.tap_text(d, cls="KeypadKey")
    ui.tap_text(t("Next"))
    ui.tap_text(t("Skip"))
    while ui.screen.step == "case":
        ui.tap_text(t("Skip"))
    ui.tap_text(t("Send application"))
    ui.settle()
    assert ui.screen.step == "done" and len(printer.printed) == 1
    assert ui.screen.slip_tone == "warn" and "回执没有打印" in ui.screen.slip_note
    (code, _received), = joined.state.applications.items()
    assert [w for w in ui.widgets() if type(w).__name__ == "QrCard" and code in w.data]
    assert [w for w in ui.widgets() if type(w).__name__ == "ReceiptCode" and w.code == display(code)]
