"""Voice through the real touchscreen app: recognised texts fed in through the Recognizer
port (FakeRecognizer), what the kiosk says captured from the Speaker port (FakeSpeaker),
everything else real: the window, the touch events, the screens, the VoiceController."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest

from kiosk.voice.spoken import results_speech, speakable
from kiosk.voice.words import prompt
from tests.ui.conftest import Driver

#: Not the other UI tests' number: the desk allows two bookings a phone per session.
PHONE = "13955507788"
#: Search by voice, pick the first result, then every question of the legal-aid check.
WHOLE_FLOW = ["我没钱请律师", "第一个", "讨工资", "没有", "是", "没有", "没有", "没有", "没有", "三", "对", "三千", "对"]


class Held:
    """A recogniser turn that stays open until the test says what was heard."""

    def __init__(self) -> None:
        self.calls: list[Callable[[str], None]] = []

    def listen(self, phrases: list[str] | None, locale: str, on_text: Callable[[str], None]) -> None:
        self.calls.append(on_text)


def _said(ui: Driver, since: int = 0) -> list[str]:
    return [text for text, _ in ui.app.services.speaker.said[since:]]


def _mic(ui: Driver) -> Any:
    return ui.find(cls="MicButton")


def test_a_whole_flow_by_voice_from_the_search_microphone_to_the_outcome(
        ui: Driver, monkeypatch: pytest.MonkeyPatch) -> None:
    app, recognizer, speaker = ui.app, ui.app.services.recognizer, ui.app.services.speaker
    monkeypatch.setattr(recognizer, "texts", list(WHOLE_FLOW))
    ui.tap(ui.find(cls="TouchArea"))
    ui.tap_text(app.t("Search"), cls="HomeTile")
    before, listens = len(speaker.said), len(recognizer.heard)
    ui.tap(_mic(ui))  # the last touch: everything after is by voice
    ui.settle()

    assert app.root.current == "outcome" and ui.screen.view is not None
    session = app.session.flow
    assert session is not None and session.finished and session.state.flow_id == "legal-aid"
    assert list(session.state.answers.values()) == ["wages", False, True, False, False, False, False, 3, 3000]
    assert len(recognizer.heard) - listens == len(WHOLE_FLOW)
    assert recognizer.heard[listens] == (None, "zh-CN")  # free dictation for the search
    said = _said(ui, before)
    assert {locale for _, locale in speaker.said[before:]} == {"zh-CN"}
    hits = app.services.search().search(WHOLE_FLOW[0], top=3, locale="zh-CN")
    assert results_speech(hits, "zh-CN") in said  # the results were read out
    questions = [session.compiled.nodes[node] for node in session.state.path[:-1]]
    for node in questions:
        view = session.renderer().screen(node, node.step or session.compiled.flow.steps[0].id, True, None)
        assert any(text.startswith(speakable((view.speak or view.text).strip(), "zh-CN")) for text in said), view.text
    assert speakable(prompt("confirm", "zh-CN", answer="3000 元每月"), "zh-CN") in said  # the income said back
    assert said[-1].startswith(speakable(session.screen().speak.strip(), "zh-CN"))  # and the outcome read out
    assert not app.voice.active


def test_any_touch_stops_speech_and_a_second_tap_on_the_microphone_stops_listening(
        ui: Driver, monkeypatch: pytest.MonkeyPatch) -> None:
    app, speaker, recognizer = ui.app, ui.app.services.speaker, ui.app.services.recognizer
    ui.tap(ui.find(cls="TouchArea"))
    ui.tap_text(app.t("Read aloud: off"))
    stops = speaker.stops
    ui.tap_text(app.t("Can I get free legal aid?"))
    assert speaker.stops > stops and _said(ui)[-1].startswith("您要为哪种事情找律师？")

    held = Held()
    monkeypatch.setattr(recognizer, "listen", held.listen)
    ui.tap(_mic(ui))
    ui.settle()
    assert len(held.calls) == 1 and app.voice.active and _mic(ui).text == app.t("Stop")
    assert ui.screen.error == app.t("Listening... please speak now.")
    stops, recognizer_stops = speaker.stops, recognizer.stops
    ui.tap(_mic(ui))  # the second tap stops: no new turn
    ui.settle()
    assert len(held.calls) == 1 and not app.voice.active and _mic(ui).text == app.t("Speak")
    assert speaker.stops > stops and recognizer.stops > recognizer_stops
    held.calls[0]("讨工资")  # heard after the stop: ignored
    ui.settle()
    assert not app.session.flow.state.answers and app.root.current == "flow"

    # two misses: the kiosk says so and the buttons take over
    monkeypatch.setattr(recognizer, "listen", type(recognizer).listen.__get__(recognizer))
    monkeypatch.setattr(recognizer, "texts", ["今天天气很好", "嗯嗯"])
    ui.tap(_mic(ui))
    ui.settle()
    assert ui.screen.error == app.t("Please touch your answer on the screen.")
    assert prompt("buttons", "zh-CN") in _said(ui) and not app.voice.active
    ui.tap_text("讨工资、劳动关系", cls="ChoiceButton")
    assert app.session.flow.state.answers  # touch still answers


def test_booking_speech_never_says_the_phone_or_the_booking_code(ui: Driver) -> None:
    app = ui.app
    ui.tap(ui.find(cls="TouchArea"))
    ui.tap_text(app.t("Read aloud: off"))
    ui.tap_text(app.t("Book an appointment"))
    for _ in range(3):
        ui.tap(ui.find(cls="ChoiceButton"))
    assert ui.screen.step == "phone"
    for d in PHONE:
        ui.tap_text(d, cls="KeypadKey")
    ui.tap_text(app.t("Next"))
    confirm = _said(ui)[-1]
    assert prompt("masked", "zh-CN", label=app.t("Phone")) in confirm
    ui.tap_text(app.t("Confirm booking"))
    code = app.session.booking.result.code
    ui.tap_text(app.t("Read again"), cls="SpeechKey")
    done = _said(ui)[-1]
    assert done.startswith(app.t("Your appointment is booked."))
    assert prompt("masked", "zh-CN", label=app.t("Booking code")) in done
    everything = " ".join(_said(ui)).replace(" ", "")
    assert code not in everything and PHONE not in everything
    assert PHONE[-4:] not in everything and PHONE[:7] not in everything


def test_without_a_speech_model_the_microphone_says_why_and_touch_works(
        ui: Driver, monkeypatch: pytest.MonkeyPatch) -> None:
    app, recognizer = ui.app, ui.app.services.recognizer
    monkeypatch.setattr(recognizer, "reason", "no speech model: set [speech] model")
    notice = prompt("mic_off", "zh-CN")
    ui.tap(ui.find(cls="TouchArea"))
    ui.tap_text(app.t("Search"), cls="HomeTile")
    mic = _mic(ui)
    assert mic.notice == notice and mic.icon == "mic-off" and mic.text == app.t("Voice off")
    assert ui.screen.status == notice
    listens = len(recognizer.heard)
    ui.tap(mic)
    ui.settle()
    assert len(recognizer.heard) == listens and _said(ui)[-1] == notice  # said, not listened
    for key in "gongshang":
        ui.tap_text(key, cls="KeyboardKey")
    ui.screen.run_search()
    assert [w for w in ui.widgets() if type(w).__name__ == "ResultTile"]

    ui.tap_text(app.t("Home"))
    ui.tap_text(app.t("Can I get free legal aid?"))
    assert [w for w in ui.widgets() if type(w).__name__ == "MicButton"] == []  # hidden on questions
    ui.tap_text("讨工资、劳动关系", cls="ChoiceButton")
    assert app.session.flow.state.answers


def test_the_idle_wipe_silences_and_forgets_the_voice_turn(
        ui: Driver, monkeypatch: pytest.MonkeyPatch) -> None:
    app, speaker, recognizer = ui.app, ui.app.services.speaker, ui.app.services.recognizer
    held = Held()
    monkeypatch.setattr(recognizer, "listen", held.listen)
    ui.tap(ui.find(cls="TouchArea"))
    ui.tap_text(app.t("Can I get free legal aid?"))
    ui.tap(_mic(ui))
    ui.settle()
    assert app.voice.active and held.calls
    resets, stops = speaker.resets, recognizer.stops
    ui.clock.advance(app.settings.idle_seconds + app.settings.warning_seconds + 1)
    deadline = time.monotonic() + 5  # the idle check runs every 0.5 s of real time
    while app.root.current != "attract" and time.monotonic() < deadline:
        ui.run_for(0.1)
    assert app.root.current == "attract" and app.session.flow is None
    assert speaker.resets > resets and recognizer.stops > stops and not app.voice.active
    said = len(speaker.said)
    held.calls[-1]("讨工资")  # the old turn's answer, late: nothing happens
    app.voice.controller.replay()  # nothing of the last resident is left to repeat
    ui.settle()
    assert len(speaker.said) == said and app.root.current == "attract"
