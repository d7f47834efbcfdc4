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


_WEEKDAY_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTH_LONG_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
                  "September", "October", "November", "December")


def _clock_zh(at: dt.datetime) -> str:
    """上午9:00, 中午12:30, 下午2:00, 晚上7:00: how the time is said in Chinese."""
    if at.hour < 12:
        return f"上午{at.hour}:{at.minute:02d}"
    if at.hour == 12:
        return f"中午12:{at.minute:02d}"
    return f"{'下午' if at.hour < 18 else '晚上'}{at.hour - 12}:{at.minute:02d}"


def opens_when(opens: dt.datetime, today: dt.date, locale: str) -> str:
    """When an office opens, from the resident's today: 明天（周一）上午9:00 /
    tomorrow (Monday) at 9:00; a date is added beyond the next two days."""
    day, ahead = opens.date(), (opens.date() - today).days
    if locale.startswith("zh"):
        week = f"周{_WEEK_ZH[day.weekday()]}"
        names = {0: "今天", 1: f"明天（{week}）", 2: f"后天（{week}）"}
        return names.get(ahead, f"{day.month}月{day.day}日（{week}）") + _clock_zh(opens)
    weekday = _WEEKDAY_EN[day.weekday()]
    names = {0: "today", 1: f"tomorrow ({weekday})", 2: f"on {weekday}"}
    label = names.get(ahead, f"on {weekday}, {day.day} {_MONTH_LONG_EN[day.month - 1]}")
    return f"{label} at {opens.hour}:{opens.minute:02d}"
