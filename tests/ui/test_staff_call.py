"""Call staff, by real taps: the call is announced over the kiosk's speaker (in the staff's
language), the resident is told at once and the button changes; a second tap within the
cool-down does not announce again; after it, "call again" does. With no working speaker
there is no button, only the plain reason. Nothing is sent to the central service (its API
has no staff-call event) and nothing personal is logged."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from types import ModuleType

import pytest

from tests.ui.conftest import Driver


def _staff() -> ModuleType:
    """The staff screen's module, imported inside a test: Kivy must not be imported while
    pytest collects (the UI tools' tests set Kivy's environment before its first import)."""
    import kiosk.ui.screens.staff as staff

    return staff


def _to_staff(ui: Driver) -> None:
    ui.tap(ui.find(cls="TouchArea"))
    ui.tap_text(ui.app.t("Call staff"))  # the top bar's button, on every screen
    assert ui.app.root.current == "staff"


def _announcements(ui: Driver) -> list[tuple[str, str]]:
    zh = ui.app.t(_staff().ANNOUNCEMENT, lang="zh-CN")
    return [s for s in ui.app.services.speaker.said if s[0] == zh]


def test_the_call_button_announces_once_and_says_so(ui: Driver, caplog: pytest.LogCaptureFixture) -> None:
    app, staff = ui.app, _staff()
    app.apply(locale="en")  # the resident reads English; staff hear the kiosk's own language
    _to_staff(ui)
    screen = ui.screen
    notice = next(w for w in ui.widgets() if type(w).__name__ == "Notice")
    assert notice.opacity == 0 and notice.height == 0
    caplog.set_level(logging.INFO)
    ui.tap_text("Call a member of staff")
    assert _announcements(ui) == [(app.t(staff.ANNOUNCEMENT, lang="zh-CN"), "zh-CN")]
    assert screen.heading == "Staff have been called. Please wait."
    assert screen.notice == app.t(staff.CALLED) and "announced the call over its speaker" in screen.notice
    ui.frames(2)
    assert notice.opacity == 1 and notice.height > 0 and notice.ids.msg.text == screen.notice
    button = ui.find("Staff called")
    assert button.style == "selected" and button.icon == "check"

    ui.tap(button)  # a repeated tap: the message again, no second announcement
    ui.frames(2)
    assert len(_announcements(ui)) == 1 and screen.notice == app.t(staff.ALREADY)

    # The resident waits, touching the screen now and then (else the idle warning comes).
    ui.clock.advance(staff.CALL_COOL_DOWN_S / 2)
    ui.tap(ui.find(screen.heading, cls="Text"))
    assert app.root.current == "staff" and ui.find("Staff called")
    ui.clock.advance(staff.CALL_COOL_DOWN_S / 2 + 1)
    deadline = time.monotonic() + 5  # the screen's one-second check turns the button back
    while "Call staff again" not in ui.all_texts() and time.monotonic() < deadline:
        ui.run_for(0.2)
    again = ui.find("Call staff again")
    assert again.style == "primary"
    ui.tap(again)
    ui.frames(2)
    assert len(_announcements(ui)) == 2 and screen.notice == app.t(staff.CALLED)
    assert "staff called from the kiosk" in caplog.text

    app.finish()  # the next resident finds the button fresh
    _to_staff(ui)
    assert ui.find(app.t("Call a member of staff")) and ui.screen.notice == ""
    assert ui.screen.heading == app.t("Need help? Call a member of staff.")


def test_the_call_in_chinese_reads_as_the_brief_asks(ui: Driver) -> None:
    app = ui.app
    _to_staff(ui)
    ui.tap_text("请工作人员过来帮我")
    assert ui.app.root.current == "staff"
    assert ui.screen.heading == "已通知工作人员，请稍候。"
    assert ui.screen.notice == "本机已用喇叭广播呼叫。如果没有人来，请到服务窗口。"
    assert ui.app.read_aloud is False or ui.screen.spoken().startswith("已通知工作人员")
    assert ui.find("已呼叫工作人员").style == "selected"
    assert app.services.central is None  # this kiosk has no central link: nothing to queue anyway


@pytest.fixture
def mute(ui: Driver) -> Iterator[None]:
    speaker = ui.app.services.speaker
    speaker.reason = "no audio output device (aplay: audio open error)"
    try:
        yield
    finally:
        speaker.reason = None


def test_without_a_speaker_there_is_no_call_button_only_the_reason(ui: Driver, mute: None) -> None:
    app = ui.app
    _to_staff(ui)
    screen = ui.screen
    assert screen._call.parent is None
    assert screen.notice == app.t(_staff().CANNOT) and screen.notice_tone == "warn"
    texts = [w.text for w in ui.widgets() if getattr(w, "text", "")]
    assert app.t("Call a member of staff") not in texts
    assert app.t("Please go to the service counter: a member of staff will help you.") in texts
    assert not _announcements(ui)


def test_call_staff_tapped_again_on_the_staff_screen_is_a_call(ui: Driver) -> None:
    _to_staff(ui)
    assert not _announcements(ui)
    # WHEN the resident taps the top bar's "call staff" once more, here
    ui.tap_text(ui.app.t("Call staff"))
    # THEN staff are called (announced once) and the screen says so
    assert ui.app.root.current == "staff" and len(_announcements(ui)) == 1
    assert ui.screen.called_at is not None
