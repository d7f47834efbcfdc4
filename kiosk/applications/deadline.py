"""The date by which the receiving body must decide, as docs/api.md defines it.

`created_at`'s date in China time plus `decision.days`; with working days (行政复议法
第八十八条) only Monday to Friday count. The central service also skips the holidays in
its calendar, so its `decision_due` wins once it answers; the kiosk's own figure is what a
receipt printed offline shows, never later than the server's for calendar days and at
most the holidays earlier for working days.
"""

from __future__ import annotations

import datetime as dt

from kiosk.applications.model import Decision

CHINA = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")


def add_days(start: dt.date, days: int, working_days: bool,
             holidays: frozenset[dt.date] = frozenset()) -> dt.date:
    if not working_days:
        return start + dt.timedelta(days=days)
    day, left = start, days
    while left > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5 and day not in holidays:
            left -= 1
    return day


def decision_due(decision: Decision | None, created_at: dt.datetime,
                 holidays: frozenset[dt.date] = frozenset()) -> dt.date | None:
    """None for a kind no law puts a clock on."""
    if decision is None:
        return None
    if created_at.tzinfo is None:
        raise ValueError("created_at needs a time zone")
    start = created_at.astimezone(CHINA).date()
    return add_days(start, decision.days, decision.working_days, holidays)
