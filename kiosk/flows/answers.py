"""Checking a resident's answer against its question before the engine takes it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from kiosk.flows.model import InputKind, QuestionNode
from kiosk.flows.texts import message


class InvalidAnswer(ValueError):
    """The answer does not fit the question; `message(chain)` says so in plain words."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params

    def message(self, chain: Sequence[str]) -> str:
        return message(self.key, chain, **self.params)


def earliest_date(node: QuestionNode, today: dt.date) -> dt.date:
    try:
        return today.replace(year=today.year - node.years_back)
    except ValueError:  # 29 February
        return today.replace(year=today.year - node.years_back, day=28)


def _number(node: QuestionNode, value: Any) -> float | int:
    if isinstance(value, bool):
        raise InvalidAnswer("answer.number")
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError as exc:
            raise InvalidAnswer("answer.number") from exc
    if not isinstance(value, int | float) or value != value:  # NaN
        raise InvalidAnswer("answer.number")
    if node.min is not None and value < node.min:
        raise InvalidAnswer("answer.min", min=_plain(node.min))
    if node.max is not None and value > node.max:
        raise InvalidAnswer("answer.max", max=_plain(node.max))
    return int(value) if float(value).is_integer() else float(value)


def _plain(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def _date(node: QuestionNode, value: Any, today: dt.date) -> dt.date:
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError as exc:
            raise InvalidAnswer("answer.date") from exc
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        raise InvalidAnswer("answer.date")
    if value > today:
        raise InvalidAnswer("answer.future")
    if value < earliest_date(node, today):
        raise InvalidAnswer("answer.past", years=node.years_back)
    return value


def coerce_answer(node: QuestionNode, value: Any, today: dt.date) -> Any:
    """The answer in its variable's type, or InvalidAnswer."""
    match node.input:
        case InputKind.YESNO:
            if not isinstance(value, bool):
                raise InvalidAnswer("answer.yesno")
            return value
        case InputKind.CHOICE:
            if value not in {c.value for c in node.choices}:
                raise InvalidAnswer("answer.choice")
            return value
        case InputKind.NUMBER:
            return _number(node, value)
        case InputKind.DATE:
            return _date(node, value, today)
    raise InvalidAnswer("answer.choice")
