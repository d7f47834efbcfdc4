"""Opening hours as the kiosk knows them, without the central service (no Kivy).

Two sources: the central service's `hours` in GET /services (open periods of a covered run
of days, docs/api.md "Office hours"), cached for when the line is down; and the local desk's
own `[desk] hours/weekdays`. Both answer the same two questions: open at this moment, and
when does it open next. Outside the covered days the same weekday's periods repeat (opening
hours are weekly; the holidays the server knew are the exception it already applied).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

#: How far ahead the next opening is looked for.
HORIZON_DAYS = 31

Period = tuple[dt.datetime, dt.datetime]


@dataclass(frozen=True)
class CoveredHours:
    """Open periods of the days `first` <= day < `until`; closed the rest of those days."""

    first: dt.date
    until: dt.date
    periods: tuple[Period, ...]

    @classmethod
    def from_api(cls, raw: Any) -> CoveredHours | None:
        """The `hours` of one service from GET /services; None when unknown or unreadable."""
        if not isinstance(raw, dict):
            return None
        try:
            periods = tuple(sorted(
                (dt.datetime.fromisoformat(str(i["opens"])), dt.datetime.fromisoformat(str(i["closes"])))
                for i in raw.get("intervals", [])))
            first, until = dt.date.fromisoformat(str(raw["from"])), dt.date.fromisoformat(str(raw["until"]))
        except (KeyError, TypeError, ValueError):
            return None
        if until <= first:
            return None
        return cls(first, until, periods)

    def periods_on(self, day: dt.date) -> list[Period]:
        """Open periods of `day`: covered days as given, later days as the same weekday."""
        span = (self.until - self.first).days
        shift = 0
        if day >= self.until:
            shift = -((day - self.first).days // 7 * 7)
            if span < 7 or (day + dt.timedelta(days=shift)) >= self.until:
                return []  # fewer than a week known: nothing to repeat
        elif day < self.first:
            return []
        known = day + dt.timedelta(days=shift)
        back = dt.timedelta(days=-shift)
        return [(a + back, b + back) for a, b in self.periods if a.date() == known]


@dataclass(frozen=True)
class WeeklyHours:
    """The same periods every chosen weekday (the local desk's `[desk] hours/weekdays`)."""

    periods: Sequence[tuple[dt.time, dt.time]]
    weekdays: frozenset[int]  # Monday = 0

    def periods_on(self, day: dt.date, tzinfo: dt.tzinfo | None = None) -> list[Period]:
        if day.weekday() not in self.weekdays:
            return []
        return [(dt.datetime.combine(day, a, tzinfo), dt.datetime.combine(day, b, tzinfo))
                for a, b in self.periods]


class Hours:
    """Either source behind one question pair; `tz` follows the moment asked about."""

    def __init__(self, source: CoveredHours | WeeklyHours) -> None:
        self.source = source

    def _periods(self, days: Iterable[dt.date], at: dt.datetime) -> list[Period]:
        found: list[Period] = []
        for day in days:
            if isinstance(self.source, WeeklyHours):
                found += self.source.periods_on(day, at.tzinfo)
            else:
                found += self.source.periods_on(day)
        return sorted(found)

    def _local(self, at: dt.datetime) -> dt.datetime:
        """`at` in the periods' own time zone (aware periods), or as given (naive)."""
        if isinstance(self.source, CoveredHours) and self.source.periods and at.tzinfo is not None:
            zone = self.source.periods[0][0].tzinfo
            return at.astimezone(zone) if zone is not None else at
        return at

    def is_open(self, at: dt.datetime) -> bool:
        local = self._local(at)
        return any(a <= local < b for a, b in self._periods([local.date()], local))

    def next_opening(self, at: dt.datetime) -> dt.datetime | None:
        """The first opening after `at` within HORIZON_DAYS (None: none known)."""
        local = self._local(at)
        days = [local.date() + dt.timedelta(days=i) for i in range(HORIZON_DAYS + 1)]
        later = [a for a, _b in self._periods(days, local) if a > local]
        return later[0] if later else None
