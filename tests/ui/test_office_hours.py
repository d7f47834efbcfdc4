"""A closed office by touch (issue 13, item 8): the real app under Xvfb on its local desk,
whose `[desk]` hours are Monday to Friday 9-12 and 14-17. No ticket is issued; the screen
says when the office opens, reads it aloud, and offers a booking or the way home."""

from __future__ import annotations

import datetime as dt

import pytest

from kiosk.voice.spoken import speakable
from tests.ui.conftest import Driver

SUNDAY_NIGHT = dt.datetime(2026, 11, 29, 22, 10)
TUESDAY_0122 = dt.datetime(2026, 11, 24, 1, 22)
OFFICE = "示范县公共法律服务中心（法律援助中心）"


def _at(ui: Driver, monkeypatch: pytest.MonkeyPatch, moment: dt.datetime) -> None:
    monkeypatch.setattr(ui.app.services.desk, "now", lambda: moment)
    monkeypatch.setattr(ui.app.services, "clock", lambda: moment)


def _ask_for_a_legal_aid_ticket(ui: Driver) -> None:
    ui.tap_text(ui.app.t("Take a queue number"))
    ui.tap_text("法律援助", cls="ChoiceButton")
    ui.tap_text(ui.app.t("No"), cls="ChoiceButton")


def test_closed_office_says_when_it_opens_reads_it_and_offers_a_booking(
        ui: Driver, monkeypatch: pytest.MonkeyPatch) -> None:
    _at(ui, monkeypatch, SUNDAY_NIGHT)
    slips = set((ui.state_dir / "slips").glob("ticket-*.bin"))
    speaker = ui.app.services.speaker
    ui.tap(ui.find(cls="TouchArea"))
    ui.tap_text(ui.app.t("Read aloud: off"))
    _ask_for_a_legal_aid_ticket(ui)
    screen = ui.screen
    said = f"{OFFICE}\n现在下班了，\n明天（周一）上午9:00开门。"
    assert ui.app.root.current == "ticket" and screen.step == "closed"
    assert screen.prompt == said
    assert screen.number == "" and ui.app.session.ticket.result is None
    assert set((ui.state_dir / "slips").glob("ticket-*.bin")) == slips, "no ticket printed"
    assert speaker.said[-1][0].startswith(speakable(said, "zh-CN")) and "预约办理" in speaker.said[-1][0]
    ui.find("现在您可以：", cls="Text")
    ui.tap_text(ui.app.t("Book an appointment"), cls="ChoiceButton")
    assert ui.app.root.current == "booking"
    assert ui.app.session.booking.service == "legal-aid" and ui.screen.step == "day"


def test_at_0122_it_opens_today_and_home_goes_home(ui: Driver, monkeypatch: pytest.MonkeyPatch) -> None:
    _at(ui, monkeypatch, TUESDAY_0122)
    ui.tap(ui.find(cls="TouchArea"))
    ui.tap_text("English", contains=True)
    _ask_for_a_legal_aid_ticket_en(ui)
    assert ui.screen.step == "closed" and ui.app.session.ticket.result is None
    assert ui.screen.prompt == ("Demo County Public Legal Service Centre (Legal Aid Centre) is closed now. "
                                "It opens today at 9:00.")
    ui.tap_text("Home", cls="ChoiceButton")
    assert ui.app.root.current == "home"


def test_open_again_at_nine_the_ticket_is_issued(ui: Driver, monkeypatch: pytest.MonkeyPatch) -> None:
    _at(ui, monkeypatch, TUESDAY_0122.replace(hour=9))
    ui.tap(ui.find(cls="TouchArea"))
    _ask_for_a_legal_aid_ticket(ui)
    assert ui.screen.step == "done" and ui.screen.number.startswith("C")


def _ask_for_a_legal_aid_ticket_en(ui: Driver) -> None:
    ui.tap_text("Take a queue number")
    ui.tap_text("Legal aid", cls="ChoiceButton")
    ui.tap_text("No", cls="ChoiceButton")


def test_a_closed_office_offers_a_call_back_application(ui: Driver, monkeypatch: pytest.MonkeyPatch) -> None:
    """Outside hours the resident can ask to be called back instead of coming again."""
    if ui.app.services.applications is None:
        pytest.skip("no applications service in this build of the app")
    _at(ui, monkeypatch, SUNDAY_NIGHT)
    ui.tap(ui.find(cls="TouchArea"))
    _ask_for_a_legal_aid_ticket(ui)
    assert ui.screen.step == "closed"
    ui.tap_text("请工作人员回电话", cls="ChoiceButton")
    assert ui.app.root.current == "apply" and ui.screen.step == "consent"
    assert ui.app.session.application.draft.kind.id == "callback"
