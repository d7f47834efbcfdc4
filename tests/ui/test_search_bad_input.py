"""Bad input to search on the real app: typed (or pasted) junk and recognised noise get a
plain message and no results, and the screen stays usable by touch."""

from __future__ import annotations

import random

import pytest

from tests.ui.conftest import Driver

#: Emoji only, punctuation only, mixed scripts and lone letters that say nothing, and 500
#: common characters at random (the last three got flows before search knew noise).
JUNK = ["😀🙏😀", "？！。，、……!!!", "ㅋㅋㅋ こんにちは abc😀#%", "ééé ñ ü", "ok ok 嗯 yes 那个",
        "".join(random.Random(7).choices("的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会", k=500))]
#: What a recogniser makes of a cough and a television: hesitation sounds.
NOISE = "".join(random.Random(7).choices("哦嗯呃啊哈喂哎呀嘛唉", k=60))


def _search_screen(ui: Driver) -> None:
    ui.tap(ui.find(cls="TouchArea"))
    ui.tap_text(ui.app.t("Search"), cls="HomeTile")
    assert ui.app.root.current == "search"


def _tiles(ui: Driver) -> list[str]:
    return [w.text for w in ui.widgets() if type(w).__name__ == "ResultTile"]


def test_junk_typed_gets_a_plain_message_and_touch_still_works(ui: Driver) -> None:
    _search_screen(ui)
    nothing = ui.app.t("Nothing found. Try other words, or choose a topic.")
    try:
        for junk in JUNK:
            ui.screen.query = junk
            ui.screen.run_search()
            ui.frames(2)
            assert _tiles(ui) == [] and ui.screen.status == nothing, junk
        ui.screen.query = ""
        ui.screen.run_search()
        assert ui.screen.status == ui.app.t("Type pinyin or English words, or press the microphone.")
        for key in "gongshang":  # and the keyboard still finds a flow
            ui.tap_text(key, cls="KeyboardKey")
        ui.screen.run_search()
        assert _tiles(ui)
    finally:
        ui.screen.wipe()
        ui.app.finish()
        ui.frames(2)


def test_recognised_noise_gets_a_plain_message(ui: Driver, monkeypatch: pytest.MonkeyPatch) -> None:
    recognizer = ui.app.services.recognizer
    monkeypatch.setattr(recognizer, "texts", [NOISE])
    _search_screen(ui)
    try:
        ui.tap(ui.find(cls="MicButton"))
        ui.settle()
        assert ui.app.root.current == "search" and _tiles(ui) == []
        assert ui.screen.status in (ui.app.t("Nothing found. Try other words, or choose a topic."),
                                    ui.app.t("I did not catch that. Please try again, or type."))
    finally:
        ui.screen.wipe()
        ui.app.finish()
        ui.frames(2)
