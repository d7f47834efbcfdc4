"""Dates and times as residents read them, in zh-CN and en (no locale database needed)."""

from __future__ import annotations

import datetime as dt

_WEEK_ZH = "一二三四五六日"
_WEEK_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTH_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def day_label(day: dt.date, locale: str) -> str:
    if locale.startswith("zh"):
        return f"{day.month}月{day.day}日 星期{_WEEK_ZH[day.weekday()]}"
    return f"{_WEEK_EN[day.weekday()]} {day.day} {_MONTH_EN[day.month - 1]}"


def time_range(start: dt.datetime, end: dt.datetime) -> str:
    return f"{start:%H:%M} – {end:%H:%M}"


def when(start: dt.datetime, end: dt.datetime, locale: str) -> str:
    return f"{day_label(start.date(), locale)}  {time_range(start, end)}"


def group_phone(digits: str) -> str:
    """138 1234 5678 while typing, so a resident can check what they typed."""
    return " ".join(x for x in (digits[:3], digits[3:7], digits[7:]) if x)
