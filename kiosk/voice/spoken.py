"""What the speaker says for a screen, in the screen's language, and what it never says.

Every screen has a spoken text: the content's `speak` (else its text), then what a resident
may answer, read as options, and when the microphone works, how to say it. Outcomes read
their steps, papers and offices too: a resident who cannot read must still leave knowing
what to do. Personal data never goes through the speaker: `scrub` hides mobile and ID
numbers and masked numbers as a last guard, and `spoken_field` announces a masked field
as masked.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from kiosk.flows.views import OutcomeView, Screen
from kiosk.voice.words import ORDINALS, lang, prompt

if TYPE_CHECKING:  # search's index pulls numpy in: not on the kiosk's start-up path
    from kiosk.search.index import Hit

#: Mobile numbers (11 digits from 1), masked ones (138****5678) and ID card numbers.
_PERSONAL = re.compile(r"(?<!\d)(?:1[3-9]\d{9}|\d{17}[\dXx]|\d{3,4}[*＊xX•]{3,}\d{2,4})(?!\d)")

#: The speech locale of Cantonese read-aloud: Chinese screens, the Cantonese voice.
YUE = "yue"

HIDDEN = {"zh-CN": "（号码已隐藏）", "en": "(number hidden)"}
HEADINGS = {
    "zh-CN": {"steps": "怎么做：", "documents": "要带的材料：", "where": "去哪里办：",
              "sep": "；", "end": "。"},
    "en": {"steps": "What to do: ", "documents": "What to bring: ", "where": "Where to go: ",
           "sep": "; ", "end": ". "},
}


#: Service numbers (110, 120, 12348, 12315...): not amounts, so not followed by a unit.
_HOTLINE = re.compile(
    r"(?<!\d)(?<!\d[.,])(1\d{2}|1\d{4})(?!\d|[.,]\d)"
    r"(?!\s*(?:元|块|天|日|月|年|岁|%|个|人|号|条|次|分|米|公里|yuan|days?|years?|months?|people|%))"
)


def speakable(text: str, locale: str) -> str:
    """Written shorthand the synthesiser would misread: 元/月 is 元每月 (not "slash"), and a
    hotline is said digit by digit (12348 as 一二三四八, not 一万二千三百四十八).

    For Chinese (Mandarin and the Cantonese voice, `locale` "yue") every number is written
    out in Chinese first: espeak-ng's own reading of Arabic numbers is wrong in both
    (kiosk.voice.cantonese)."""
    if locale == YUE:
        from kiosk.voice.cantonese import yue_text

        text = yue_text(text, _HOTLINE)
    elif lang(locale) == "zh-CN":
        from kiosk.voice.cantonese import chinese_numbers

        text = chinese_numbers(text, _HOTLINE)
    text = _HOTLINE.sub(lambda m: " ".join(m.group(1)), text)
    return text.replace("/", "每" if lang(locale) == "zh-CN" else " per ")


def speech_locale(locale: str, read_lang: str) -> str:
    """The locale the speaker gets for a screen in `locale`: "yue" when the resident chose
    Cantonese and the screen is Chinese; an English screen is read in English regardless."""
    return YUE if read_lang == YUE and lang(locale) == "zh-CN" else locale


def scrub(text: str, locale: str) -> str:
    """`text` with anything that looks like personal data replaced by "(number hidden)"."""
    return _PERSONAL.sub(HIDDEN[lang(locale)], text)


def spoken_field(label: str, value: str, locale: str, private: bool) -> str:
    """A field read aloud: "手机号码已隐藏" for a private one, never its value."""
    if private:
        return prompt("masked", locale, label=label)
    return scrub(f"{label}：{value}" if lang(locale) == "zh-CN" else f"{label}: {value}", locale)


def _join(items: Sequence[str], locale: str) -> str:
    return HEADINGS[lang(locale)]["sep"].join(i.strip().rstrip("。.") for i in items if i.strip())


def _numbered(items: Sequence[str], locale: str) -> str:
    if lang(locale) == "zh-CN":
        return "；".join(f"{ORDINALS['zh-CN'][i][1]}，{t.rstrip('。')}" for i, t in enumerate(items[:10]))
    return "; ".join(f"{ORDINALS['en'][i][1]}, {t.rstrip('.')}" for i, t in enumerate(items[:10]))


def outcome_speech(view: OutcomeView, locale: str) -> str:
    h = HEADINGS[lang(locale)]
    parts = [view.speak.strip()]
    if view.steps:
        parts.append(h["steps"] + _numbered(view.steps, locale) + h["end"].strip())
    if view.documents:
        parts.append(h["documents"] + _join(view.documents, locale) + h["end"].strip())
    if view.where:
        parts.append(h["where"] + _join([f"{o.name} {o.address}" for o in view.where], locale)
                     + h["end"].strip())
    return " ".join(p for p in parts if p)


def screen_speech(screen: Screen, locale: str, voice_input: bool = False) -> str:
    """The spoken text of any screen; with `voice_input`, how to answer by voice as well."""
    base = (screen.speak or screen.text).strip()
    if screen.kind == "outcome" and screen.outcome is not None:
        return scrub(outcome_speech(screen.outcome, locale), locale)
    extra = ""
    if screen.kind == "question":
        if screen.input == "yesno":
            extra = prompt("say_yes_no", locale) if voice_input else ""
        elif screen.input == "choice":
            options = _join([c.label for c in screen.choices], locale)
            extra = prompt("say_choice" if voice_input else "options_read", locale, options=options)
        elif screen.input == "number" and voice_input:
            unit = screen.number.unit if screen.number else ""
            extra = prompt("say_number", locale, unit=(f"，单位是{unit}" if lang(locale) == "zh-CN"
                                                       else f", in {unit}") if unit else "")
        elif screen.input == "date" and voice_input:
            extra = prompt("say_date", locale)
    elif screen.kind == "info" and voice_input:
        extra = prompt("say_next", locale)
    return scrub(f"{base} {extra}".strip(), locale)


def results_speech(hits: Sequence[Hit], locale: str) -> str:
    if not hits:
        return prompt("search_none", locale)
    return prompt("search_found", locale, options=_numbered([h.title for h in hits], locale))
