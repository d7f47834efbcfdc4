"""Push-to-talk for screens: wait for the recogniser's one answer off the UI thread, and
map what was heard to one of the answers a question allows."""

from __future__ import annotations

import threading
from typing import Any

from kiosk.flows.views import Screen
from kiosk.ports import Recognizer

#: Words for yes and no beyond the labels on the buttons (the content's `say` covers choices).
YES_WORDS = {"zh-CN": ("是", "是的", "对", "对的", "有", "嗯"), "en": ("yes", "yeah", "yep", "right")}
NO_WORDS = {"zh-CN": ("不是", "不", "没有", "没", "不对", "否"), "en": ("no", "nope", "not")}
LISTEN_TIMEOUT_S = 30.0


def listen_blocking(recognizer: Recognizer, phrases: list[str] | None, locale: str) -> str:
    """Start listening and wait for the callback (it arrives on the recogniser's thread)."""
    got: list[str] = []
    done = threading.Event()

    def on_text(text: str) -> None:
        got.append(text)
        done.set()

    recognizer.listen(phrases, locale, on_text)
    done.wait(timeout=LISTEN_TIMEOUT_S)
    return got[0] if got else ""


def answer_phrases(view: Screen, locale: str) -> dict[str, Any]:
    """Phrase → answer value for a choice or yes/no question (empty for other screens)."""
    table: dict[str, Any] = {}
    if view.input == "choice":
        for choice in view.choices:
            for phrase in (choice.label, *choice.say):
                table.setdefault(phrase, choice.value)
    elif view.input == "yesno":
        lang = "zh-CN" if locale.startswith("zh") else "en"
        for phrase in (view.yes_no[0], *YES_WORDS[lang]):
            table.setdefault(phrase, True)
        for phrase in (view.yes_no[1], *NO_WORDS[lang]):
            table.setdefault(phrase, False)
    return table


def match_answer(heard: str, table: dict[str, Any]) -> tuple[bool, Any]:
    """(found, value): an exact phrase first, then the longest phrase inside what was heard
    (so 不是 wins over 是 in "我不是"). The recogniser has already snapped to its grammar."""
    text = heard.strip().lower().rstrip("。.!！")
    for phrase, value in table.items():
        if text == phrase.lower():
            return True, value
    for phrase in sorted(table, key=len, reverse=True):
        if phrase and phrase.lower() in text:
            return True, table[phrase]
    return False, None
