"""The read-aloud language on the home screen, by real taps on the real app: 粤语 reads the
Chinese screens with the Cantonese voice (numbers written out for it), replay and a touch's
silence work as in Mandarin, English comes with the English screens, and the idle wipe
brings back the locality's default."""

from __future__ import annotations

import re

import pytest

from tests.ui.conftest import Driver
from tests.ui.test_speech_bar import _home, _key, _said


def _choice(ui: Driver, text: str) -> object:
    found = [w for w in ui.widgets() if type(w).__name__ == "ReadLang" and w.text == text]
    assert len(found) == 1, text
    return found[0]


def test_cantonese_is_chosen_by_touch_heard_at_once_and_kept_across_screens(ui: Driver) -> None:
    app, speaker = ui.app, ui.app.services.speaker
    _home(ui)
    assert app.read_lang == "cmn" and not app.read_aloud  # the demo locality: Mandarin
    assert _choice(ui, "普通话").style == "selected"

    ui.tap(_choice(ui, "粤语"))
    assert app.read_lang == "yue" and app.read_aloud and app.locale == "zh-CN"
    assert _choice(ui, "粤语").style == "selected" and _choice(ui, "普通话").style == "secondary"
    text, voice = _said(ui)[-1]
    assert voice == "yue" and text.startswith(app.t("What do you need?"))
    assert "粤语" in text  # the control is read aloud with the screen

    ui.tap_text(app.t("Offices and hours"), cls="HomeTile")
    assert app.root.current == "office"
    text, voice = _said(ui)[-1]
    assert voice == "yue" and "点" in text and not re.search(r"\d", text), text  # 9:00 as 上午九点

    stops = speaker.stops
    count = len(_said(ui))
    ui.tap(_key(ui, "replay"))
    assert speaker.stops > stops  # the touch silenced what was playing first
    assert _said(ui)[count:] == [(text, "yue")]  # then the same words, in Cantonese


def test_english_comes_with_the_english_screens_and_mandarin_brings_chinese_back(ui: Driver) -> None:
    app = ui.app
    _home(ui)
    ui.tap(_choice(ui, "粤语"))
    ui.tap(_choice(ui, "English"))
    assert app.locale == "en" and _choice(ui, "English").style == "selected"
    assert _said(ui)[-1] == (ui.screen.spoken(), "en")  # English regardless of 粤语

    ui.tap(_choice(ui, "普通话"))
    assert app.locale == "zh-CN" and app.read_lang == "cmn"
    text, voice = _said(ui)[-1]
    assert voice == "zh-CN" and text.startswith("您要办什么事")


def test_the_idle_wipe_brings_back_the_localitys_default(ui: Driver) -> None:
    app = ui.app
    _home(ui)
    ui.tap(_choice(ui, "粤语"))
    assert app.read_lang == "yue"
    ui.clock.advance(app.settings.idle_seconds + app.settings.warning_seconds + 1)
    ui.run_for(1.2)  # the idle clock is looked at twice a second
    assert app.root.current == "attract"
    assert app.read_lang == app.services.bundle.locality.read_aloud == "cmn"
    assert app.read_aloud == app.settings.read_aloud
    _home(ui)
    assert _choice(ui, "普通话").style == "selected"
    app.finish()  # as found: the attract screen


def test_without_the_cantonese_voice_the_resident_is_told_and_hears_mandarin(
        ui: Driver, monkeypatch: pytest.MonkeyPatch) -> None:
    app, speaker = ui.app, ui.app.services.speaker
    monkeypatch.setattr(speaker, "missing_voice", lambda locale: "no voice 'sit/yue'", raising=False)
    _home(ui)
    ui.tap(_choice(ui, "粤语"))
    from kiosk.ui.screens.home import NO_CANTONESE  # Kivy only once the ui fixture set it up

    notice = app.t(NO_CANTONESE)
    assert app.read_lang == "cmn" and _choice(ui, "普通话").style == "selected"
    assert notice in ui.all_texts() and notice.startswith("本机没有安装粤语朗读")
    assert _said(ui)[-1] == (notice, "zh-CN")
    ui.tap_text(app.t("Search"), cls="HomeTile")  # touch still works
    assert app.root.current == "search"
    app.finish()
    assert ui.screen.name == "attract" and app.screens["home"].notice == ""
