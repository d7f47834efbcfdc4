"""Resolving a content text for one resident: locale fallback, then placeholders.

Texts are locale maps; a resident's locale is tried first, then the configured fallback
chain. Placeholders `{rules.NAME}` and `{var}` are filled from the locality's rules and
the session's variables, so local figures stay in configuration.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import Any

PLACEHOLDER = re.compile(r"\{(rules\.)?([a-z][a-z0-9_]*)\}")

#: The engine's own words (content has its own locales; UI chrome has gettext catalogues).
MESSAGES: dict[str, dict[str, str]] = {
    "progress": {"zh-CN": "第{index}步/共{total}步", "en": "Step {index} of {total}"},
    "fault.title": {"zh-CN": "请找工作人员帮忙", "en": "Please ask a member of staff"},
    "fault.text": {
        "zh-CN": "这一步出了问题，不是您的错。请按“呼叫工作人员”，或拨打12348。",
        "en": "Something went wrong here. It is not your fault. "
        "Press 'Call staff', or call 12348.",
    },
    "answer.choice": {"zh-CN": "请从按钮中选一个。", "en": "Please choose one of the buttons."},
    "answer.yesno": {"zh-CN": "请选“是”或“否”。", "en": "Please choose Yes or No."},
    "answer.number": {"zh-CN": "请输入一个数字。", "en": "Please enter a number."},
    "answer.min": {"zh-CN": "数字不能小于{min}。", "en": "The number cannot be less than {min}."},
    "answer.max": {"zh-CN": "数字不能大于{max}。", "en": "The number cannot be more than {max}."},
    "answer.date": {"zh-CN": "请选一个日期。", "en": "Please pick a date."},
    "answer.future": {"zh-CN": "日期不能晚于今天。", "en": "The date cannot be after today."},
    "answer.past": {
        "zh-CN": "日期不能早于{years}年前。",
        "en": "The date cannot be more than {years} years ago.",
    },
    "yes": {"zh-CN": "是", "en": "Yes"},
    "no": {"zh-CN": "否", "en": "No"},
}


def pick(text: Mapping[str, str] | None, chain: Sequence[str]) -> str:
    """The text in the first locale of `chain` that has it ('' when there is none)."""
    if not text:
        return ""
    for locale in chain:
        if locale in text:
            return text[locale]
    return next(iter(text.values()))


def message(key: str, chain: Sequence[str], **params: Any) -> str:
    return pick(MESSAGES[key], chain).format(**params)


def format_value(value: Any) -> str:
    """A value as a resident reads it: 1575 not 1575.0, dates as 2026-11-22."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def fill(template: str, variables: Mapping[str, Any], rules: Mapping[str, Any]) -> str:
    """Replace placeholders; an unknown one stays visible rather than failing a screen."""

    def sub(match: re.Match[str]) -> str:
        source = rules if match.group(1) else variables
        name = match.group(2)
        return format_value(source[name]) if name in source else match.group(0)

    return PLACEHOLDER.sub(sub, template)


def placeholders(template: str) -> list[tuple[bool, str]]:
    """(is_rule, name) for each placeholder in `template`, for the validator."""
    return [(bool(m.group(1)), m.group(2)) for m in PLACEHOLDER.finditer(template)]
