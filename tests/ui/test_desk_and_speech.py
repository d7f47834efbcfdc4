"""Booking and ticket screens when the desk fails, read-aloud and the language switch: each
driven by touches on the real app (the microphone: test_voice.py)."""

from __future__ import annotations

from typing import Any

import pytest

from kiosk.ports import BookingRefused, DeskUnavailable, SlotFull, Ticket
from tests.ui.conftest import NOW, Driver

PHONE = "13812345678"


class FailingDesk:
    """The app's own desk, except for the one call that is made to fail."""

    def __init__(self, real: Any, fail: str, error: Exception) -> None:
        self.real, self.fail, self.error = real, fail, error
        self.calls: list[str] = []

    def __getattr__(self, name: str) -> Any:
        method = getattr(self.real, name)

        def call(*args: Any, **kwargs: Any) -> Any:
            self.calls.append(name)
            if name == self.fail:
                raise self.error
            return method(*args, **kwargs)

        return call


def _to_confirm(ui: Driver) -> None:
    ui.tap(ui.find(cls="TouchArea"))
    ui.tap_text(ui.app.t("Book an appointment"))
    ui.tap(ui.find(cls="ChoiceButton"))
    ui.tap(ui.find(cls="ChoiceButton"))
    ui.tap(ui.find(cls="ChoiceButton"))
    for d in PHONE:
        ui.tap_text(d, cls="KeypadKey")
    ui.tap_text(ui.app.t("Next"))
    assert ui.screen.step == "confirm"
    assert any("138****5678" in s for s in ui.all_texts())


def test_a_booking_confirmed_by_the_desk_shows_its_code_and_forgets_the_phone(ui: Driver) -> None:
    _to_confirm(ui)
    ui.tap_text(ui.app.t("Confirm booking"))
    booking = ui.app.session.booking.result
    assert ui.screen.step == "done" and booking is not None
    assert any(booking.code in s for s in ui.all_texts())
    assert ui.app.session.booking.phone == ""
    assert not [s for s in ui.all_texts() if "1381234" in s.replace(" ", "")]
    ui.tap_text(ui.app.t("Print appointment slip"))
    assert list((ui.state_dir / "slips").glob("appointment-*.bin"))


def test_desk_unavailable_books_nothing_and_offers_a_ticket_and_the_office_phone(
        ui: Driver, monkeypatch: pytest.MonkeyPatch) -> None:
    desk = FailingDesk(ui.app.services.desk, "book", DeskUnavailable("timeout"))
    monkeypatch.setattr(ui.app.services, "desk", desk)
    _to_confirm(ui)
    ui.tap_text(ui.app.t("Confirm booking"))
    assert "book" in desk.calls
    assert ui.screen.step == "error" and ui.app.session.booking.result is None
    assert ui.screen.message == ui.app.t(
        "The booking service cannot be reached right now. Nothing was booked.")
    assert ui.app.t("Your appointment is booked.") not in [getattr(w, "text", "") for w in ui.widgets()]
    assert any("0000-12345" in s for s in ui.all_texts())  # an office phone to call
    ui.tap_text(ui.app.t("Print the office phone numbers"))
    notes = list((ui.state_dir / "slips").glob("summary-*.bin"))
    assert notes and "0000-1234501" in notes[-1].read_bytes().decode("gb18030", errors="replace")
    assert ui.screen.message == ui.app.t("Please take your slip.")
    ui.tap_text(ui.app.t("Take a queue number"))
    assert ui.app.root.current == "ticket" and ui.screen.step == "priority"


def test_a_slot_taken_meanwhile_offers_the_other_slots(ui: Driver, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ui.app.services, "desk", FailingDesk(ui.app.services.desk, "book", SlotFull("x")))
    _to_confirm(ui)
    ui.tap_text(ui.app.t("Confirm booking"))
    assert ui.screen.step == "day"
    assert ui.screen.message == ui.app.t("Sorry, that time was just taken. Please choose another time.")


def test_a_refusal_says_why_in_plain_words(ui: Driver, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ui.app.services, "desk",
                        FailingDesk(ui.app.services.desk, "book", BookingRefused("phone_limit")))
    _to_confirm(ui)
    ui.tap_text(ui.app.t("Confirm booking"))
    assert ui.screen.message == "这个手机号的预约已经达到上限。请找工作人员帮忙。"


def test_a_provisional_ticket_says_so_and_is_printed(ui: Driver, monkeypatch: pytest.MonkeyPatch) -> None:
    class OfflineDesk(FailingDesk):
        def take_ticket(self, service: str, priority: str = "none") -> Ticket:
            return Ticket(id="k3-017", number="K3-017", service=service, issued_at=NOW,
                          priority=priority, provisional=True)  # type: ignore[arg-type]

    monkeypatch.setattr(ui.app.services, "desk", OfflineDesk(ui.app.services.desk, "", Exception()))
    ui.tap(ui.find(cls="TouchArea"))
    ui.tap_text(ui.app.t("Take a queue number"))
    ui.tap_text("法律咨询", cls="ChoiceButton")
    ui.tap_text(ui.app.t("I am 60 or older"))
    assert ui.screen.number == "K3-017" and ui.app.session.ticket.result.priority == "elderly"
    assert any("临时号" in s for s in ui.all_texts())
    assert list((ui.state_dir / "slips").glob("ticket-*.bin"))
    assert ui.screen.message == ui.app.t("Please take your ticket.")


def test_read_aloud_speaks_each_screen_stops_on_touch_and_never_says_the_phone(ui: Driver) -> None:
    speaker = ui.app.services.speaker
    ui.tap(ui.find(cls="TouchArea"))
    ui.tap_text(ui.app.t("Read aloud: off"))
    assert ui.app.read_aloud and speaker.said[-1][0].startswith(ui.app.t("What do you need?"))
    stops = speaker.stops
    ui.tap_text(ui.app.t("Can I get free legal aid?"))
    assert speaker.stops > stops  # the touch cut the speech
    assert speaker.said[-1][0].startswith("您要为哪种事情找律师？")
    ui.tap_text(ui.app.t("Home"))
    ui.tap_text(ui.app.t("Book an appointment"))
    ui.tap(ui.find(cls="ChoiceButton"))
    ui.tap(ui.find(cls="ChoiceButton"))
    ui.tap(ui.find(cls="ChoiceButton"))
    for d in PHONE:
        ui.tap_text(d, cls="KeypadKey")
    ui.tap_text(ui.app.t("Next"))
    ui.tap_text(ui.app.t("Confirm booking"))
    code = ui.app.session.booking.result.code
    ui.tap_text(ui.app.t("Read again"), cls="SpeechKey")
    said = " ".join(text for text, _ in speaker.said)
    assert ui.app.t("Your appointment is booked.") in said
    assert code not in said and "5678" not in said and "1381234" not in said.replace(" ", "")
    assert "五六七八" not in said and "一三八一二三四" not in said  # nor written out in Chinese


def test_typed_pinyin_finds_a_flow(ui: Driver) -> None:
    ui.tap(ui.find(cls="TouchArea"))
    ui.tap_text(ui.app.t("Search"), cls="HomeTile")
    for key in "gongshang":
        ui.tap_text(key, cls="KeyboardKey")
    ui.frames(20)
    ui.screen.run_search()
    titles = [w.text for w in ui.widgets() if type(w).__name__ == "ResultTile"]
    assert any("工伤" in t for t in titles)
    assert ui.app.session.search_text == "gongshang"


def test_another_bodys_matter_shows_who_handles_it_and_no_tiles(ui: Driver) -> None:
    ui.tap(ui.find(cls="TouchArea"))
    ui.tap_text(ui.app.t("Search"), cls="HomeTile")
    for key in "shenfenzheng":
        ui.tap_text(key, cls="KeyboardKey")
    ui.frames(20)
    ui.screen.run_search()
    assert [w for w in ui.widgets() if type(w).__name__ == "ResultTile"] == []
    assert "派出所" in ui.screen.status and "12348" in ui.screen.status


def test_the_language_switches_at_run_time_chrome_and_content(ui: Driver) -> None:
    ui.tap(ui.find(cls="TouchArea"))
    ui.tap_text(ui.app.t("Can I get free legal aid?"))
    assert ui.screen.question == "您要为哪种事情找律师？"
    ui.tap_text("讨工资、劳动关系", cls="ChoiceButton")
    ui.tap_text("首页")
    ui.tap_text("English")
    assert ui.app.lang == "en" and ui.find("Legal questions", cls="HomeTile")
    # the flow in progress follows the switch: its content comes from the content's locale maps
    assert ui.app.session.flow is not None and ui.app.session.flow.state.locale == "en"
    ui.tap_text("Continue: Apply for legal aid (a free lawyer)")
    ui.tap_text("Back")
    assert ui.screen.question == "What do you need a lawyer for?"
    assert ui.find("Home").text == "Home"
    ui.tap_text("Home")
    # screens built before the switch and not shown since rebuild their lists when shown
    ui.tap_text("Legal questions", cls="HomeTile")
    assert ui.app.root.current == "topics" and ui.find("Legal aid", cls="TopicTile")
    ui.tap_text("Home")
    ui.tap_text("中文")
    assert ui.find("法律问题", cls="HomeTile")
    ui.tap_text("法律问题", cls="HomeTile")
    assert ui.find("法律援助", cls="TopicTile")
