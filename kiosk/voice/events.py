"""What the voice dialogue tells the UI, and the checks it makes before taking an answer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kiosk.flows.answers import InvalidAnswer
from kiosk.flows.engine import FlowSession
from kiosk.flows.texts import format_value
from kiosk.flows.views import Screen
from kiosk.voice.snap import Snap
from kiosk.voice.words import lang

if TYPE_CHECKING:  # search's index pulls numpy in: not on the kiosk's start-up path
    from kiosk.search.index import Hit

#: Event kinds, in the order a turn usually sees them.
EVENTS = ("unavailable", "listening", "heard", "confirming", "screen", "results", "pick",
          "command", "offer_buttons", "ended")


@dataclass(frozen=True)
class VoiceEvent:
    """One thing the UI may show. Fields not relevant to a kind keep their defaults.

    unavailable(reason) · listening · heard(text, phrase, value) · confirming(text) ·
    screen(screen, session) · results(hits, text) · pick(value=flow id, session) ·
    command(value=home|staff) · offer_buttons · ended(reason: outcome|action|command|touch|
    buttons|picked|fault)
    """

    kind: str
    text: str = ""
    phrase: str | None = None
    value: Any = None
    reason: str = ""
    screen: Screen | None = None
    session: FlowSession | None = None
    hits: tuple[Hit, ...] = ()


def needs_confirmation(screen: Screen, heard: Snap | None) -> bool:
    """Numbers and dates (income, household size, when it happened) are said back first;
    so is any answer taken on similarity alone rather than on a phrase heard whole."""
    if screen.input in ("number", "date"):
        return True
    return heard is not None and heard.how == "fuzzy"


def out_of_range(screen: Screen, value: Any) -> InvalidAnswer | None:
    """The engine's own complaint about an answer, before it is said back for confirmation."""
    if screen.date is not None and isinstance(value, dt.date):
        if value > screen.date.latest:
            return InvalidAnswer("answer.future")
        if value < screen.date.earliest:
            return InvalidAnswer("answer.past", years=screen.date.latest.year - screen.date.earliest.year)
        return None
    spec = screen.number
    if spec is None or not isinstance(value, int | float):
        return None
    if spec.min is not None and value < spec.min:
        return InvalidAnswer("answer.min", min=format_value(spec.min))
    if spec.max is not None and value > spec.max:
        return InvalidAnswer("answer.max", max=format_value(spec.max))
    return None


def spoken_answer(screen: Screen, value: Any, locale: str) -> str:
    """An answer as it is said back: the choice's label, 是/否, 3500 元/月, 2025年3月5日."""
    if screen.input == "choice":
        return next((c.label for c in screen.choices if c.value == value), str(value))
    if screen.input == "yesno":
        return screen.yes_no[0] if value else screen.yes_no[1]
    if isinstance(value, dt.date):  # said as a date, not as 2025-03-05
        if lang(locale) == "zh-CN":
            return f"{value.year}年{value.month}月{value.day}日"
        return f"{value.day} {value.strftime('%B')} {value.year}"
    unit = screen.number.unit if screen.number else ""
    return f"{format_value(value)} {unit}".strip()
