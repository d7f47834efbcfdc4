"""The speech bar on every resident screen, driven by real taps on the real app: replay says
the screen again, slower / faster and softer / louder step the speaker and the idle wipe
puts them back, and with no working speaker the bar and the read-aloud toggle say why."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from kiosk.voice.spoken import speakable
from tests.ui.conftest import Driver

LEGAL_AID = "legal-aid"
# wages; no lawyer; work in this county; no 7-day deadline; no dibao; not a migrant; no special group
OUTCOME_ANSWERS: tuple[Any, ...] = ("wages", False, True, False, False, False, False, 3, 3000)


def _home(ui: Driver) -> None:
    ui.tap(ui.find(cls="TouchArea"))
    assert ui.app.root.current == "home"


def _tile(text: str) -> Callable[[Driver], None]:
    def go(ui: Driver) -> None:
        _home(ui)
        ui.tap_text(ui.app.t(text), cls="HomeTile")

    return go


def _flows(ui: Driver) -> None:
    _tile("Legal questions")(ui)
    ui.tap(ui.find(cls="TopicTile"))


def _finished(ui: Driver) -> None:
    """A finished legal-aid check in the session; home offers to continue it: tap that."""
    session = ui.app.services.engine.start(LEGAL_AID, ui.app.locale)
    for answer in OUTCOME_ANSWERS:
        session.answer(answer)
    ui.app.session.flow = session
    _home(ui)
    ui.tap(ui.find(cls="KButton", text=ui.app.t("Continue: {title}", title=session.screen().flow_title)))
    assert ui.app.root.current == "outcome"


def _review(ui: Driver) -> None:
    _finished(ui)
    ui.tap_text(ui.app.t("My answers"))


#: Every resident screen with a speech bar, reached by touch (outcome: from home's "continue").
SCREENS: dict[str, Callable[[Driver], None]] = {
    "home": _home,
    "topics": _tile("Legal questions"),
    "flows": _flows,
    "search": _tile("Search"),
    "flow": _tile("Can I get free legal aid?"),
    "review": _review,
    "outcome": _finished,
    "booking": _tile("Book an appointment"),
    "ticket": _tile("Take a queue number"),
    "office": _tile("Offices and hours"),
    "staff": _tile("Call staff"),
}


def _key(ui: Driver, name: str) -> Any:
    """The speech bar's key `name` on the screen shown (found among what is on screen)."""
    keys = [w for w in ui.widgets() if type(w).__name__ == "SpeechKey" and w.value == name]
    assert len(keys) == 1, f"{len(keys)} {name!r} keys on {ui.app.root.current}"
    return keys[0]


def _said(ui: Driver) -> list[tuple[str, str]]:
    return list(ui.app.services.speaker.said)


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
@pytest.mark.parametrize("name", list(SCREENS))
def test_the_replay_key_says_the_screen_again(ui: Driver, name: str, locale: str) -> None:
    app = ui.app
    app.apply(locale=locale)
    app.read_aloud = True  # so that arriving reads the screen: replay must say the same again
    SCREENS[name](ui)
    assert app.root.current == name
    arrived, count = _said(ui)[-1], len(_said(ui))
    assert arrived[1] == locale and arrived[0].strip()
    ui.tap(_key(ui, "replay"))
    assert _said(ui)[count:] == [arrived]  # the same words, said once more
    button_texts = {w.text for w in ui.widgets() if getattr(w, "text", "") and type(w).__name__ != "SpeechKey"}
    if name in ("flow", "outcome"):  # engine views: the question / the outcome's title
        view = ui.screen.voice_view()
        assert view is not None and arrived[0].startswith(speakable((view.speak or view.text).strip(), locale)[:8])
    else:
        assert arrived[0].startswith(ui.screen.spoken()[:8])
    assert button_texts  # the screen is really shown, with its own texts
    cjk = any("\u4e00" <= c <= "\u9fff" for c in arrived[0])
    assert cjk == (locale == "zh-CN"), arrived[0]  # all in the screen's language


def test_rate_and_volume_steps_change_the_speaker_and_the_idle_wipe_restores_them(ui: Driver) -> None:
    app, speaker = ui.app, ui.app.services.speaker
    SCREENS["flow"](ui)
    assert (speaker.rate, speaker.volume) == (150, 0.8)

    ui.tap(_key(ui, "slower"))
    assert speaker.rate == 130
    text, locale = _said(ui)[-1]
    assert locale == "zh-CN" and text.startswith(app.t("Slower")) and "您要为哪种事情找律师" in text
    ui.tap(_key(ui, "slower"))
    assert speaker.rate == 110 and _key(ui, "slower").disabled  # the slowest step
    said = len(_said(ui))
    ui.tap(_key(ui, "slower"))  # a disabled key: nothing changes, nothing is said
    assert speaker.rate == 110 and len(_said(ui)) == said
    ui.tap(_key(ui, "faster"))
    assert speaker.rate == 130 and _said(ui)[-1][0].startswith(app.t("Faster"))

    ui.tap(_key(ui, "louder"))
    assert speaker.volume == 1.0 and _key(ui, "louder").disabled
    assert _said(ui)[-1][0].startswith(app.t("Louder"))
    for _ in range(2):
        ui.tap(_key(ui, "softer"))
    assert speaker.volume == 0.6 and _said(ui)[-1][0].startswith(app.t("Softer"))

    # the steps hold on the next screen (same resident) ...
    ui.tap_text(app.t("Home"))
    assert (speaker.rate, speaker.volume) == (130, 0.6)
    # ... and are gone for the next one
    ui.clock.advance(app.settings.idle_seconds + app.settings.warning_seconds + 1)
    ui.run_for(1.2)  # the idle clock is looked at twice a second
    assert app.root.current == "attract"
    assert (speaker.rate, speaker.volume) == (150, 0.8)
    _home(ui)
    assert not any(_key(ui, k).disabled for k in ("slower", "faster", "softer", "louder"))


def test_english_steps_say_the_english_word_first(ui: Driver) -> None:
    ui.app.apply(locale="en")
    SCREENS["home"](ui)
    ui.tap(_key(ui, "louder"))
    text, locale = _said(ui)[-1]
    assert locale == "en" and text.startswith("Louder") and "What do you need?" in text


def test_with_a_broken_speaker_the_bars_say_why_and_read_aloud_stays_off(
        ui: Driver, monkeypatch: pytest.MonkeyPatch) -> None:
    app, speaker = ui.app, ui.app.services.speaker
    monkeypatch.setattr(speaker, "reason", "no audio output device (aplay: cannot open audio device)")
    faults = app.services.faults
    before = len(faults.entries())
    _home(ui)
    texts = [w.text for w in ui.widgets() if getattr(w, "text", "")]
    assert "扬声器不能用，现在不能朗读。" in texts
    assert [w for w in ui.widgets() if type(w).__name__ == "SpeechKey"] == []  # no dead buttons
    said = len(_said(ui))
    ui.tap_text(app.t("Read aloud: off"))
    ui.tap_text(app.t("Read aloud: off"))  # a second try: still off, logged once
    assert not app.read_aloud and ui.find(app.t("Read aloud: off"), cls="Toggle")
    assert len(_said(ui)) == said
    new = faults.entries()[before:]
    assert [(e["device"], e["code"]) for e in new] == [("tts", "read_aloud_unavailable")]
    assert "aplay" not in json.dumps(new)  # a code for the health report, not the raw text

    ui.tap_text("English")
    assert "No speaker: reading aloud is off." in [w.text for w in ui.widgets() if getattr(w, "text", "")]
    ui.tap_text("Can I get free legal aid?", cls="HomeTile")
    assert "No speaker: reading aloud is off." in [w.text for w in ui.widgets() if getattr(w, "text", "")]
    assert [w for w in ui.widgets() if type(w).__name__ == "SpeechKey"] == []

    monkeypatch.setattr(speaker, "reason", None)  # the sound card is back: the next screen shows the keys
    ui.tap_text("Home")
    assert _key(ui, "replay") and not app.voice.speaker_off
    ui.tap_text("Read aloud: off")
    assert app.read_aloud and _said(ui)[-1][0].startswith("What do you need?")

    # the player fails while read-aloud is on: the next screen turns it off and says why
    monkeypatch.setattr(speaker, "reason", "no audio output device (aplay exited 1)")
    ui.tap_text("Search", cls="HomeTile")
    assert not app.read_aloud and app.voice.speaker_off
    assert "No speaker: reading aloud is off." in [w.text for w in ui.widgets() if getattr(w, "text", "")]
    ui.tap_text("Home")
    assert ui.find("Read aloud: off", cls="Toggle")


def test_search_results_are_read_with_the_replay_key_but_not_the_typed_words(ui: Driver) -> None:
    _tile("Search")(ui)
    for key in "gongshang":
        ui.tap_text(key, cls="KeyboardKey")
    ui.screen.run_search()
    titles = [w.text for w in ui.widgets() if type(w).__name__ == "ResultTile"]
    assert titles
    ui.tap(_key(ui, "replay"))
    text = _said(ui)[-1][0]
    assert text.startswith(ui.app.t("Search")) and titles[0] in text and "gongshang" not in text


def test_a_tapped_speech_key_lights_up_for_a_moment(ui: Driver) -> None:
    """Louder or slower is heard, not seen: the key itself shows the tap was taken."""
    _home(ui)
    key = _key(ui, "replay")  # never disabled
    before = list(key.bg_color)
    ui.tap(key)
    assert key.lit and list(key.bg_color) != before
    # AND a second tap while it is lit blinks it (off, then on again): that tap is seen too
    changes: list[bool] = []
    key.bind(lit=lambda _key, value: changes.append(value))
    ui.tap(key)
    ui.run_for(0.3)
    assert changes == [False, True] and key.lit
    ui.run_for(1.5)
    assert not key.lit and list(key.bg_color) == before
