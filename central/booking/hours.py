"""When an office is open for a service, and when it opens next (docs/api.md, "Office hours").

Built from what the bureau already keeps: working plans (weekdays, opens/closes, a break,
validity) and county holidays (closed days, make-up working days). A service without a plan
at the office follows the office's plans for any service; an office with no plan at all has
unknown hours, and unknown hours never refuse a ticket (`Opening.known` is False).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.utils import timezone

from central.booking.models import Holiday, WorkingPlan
from central.booking.slots import plan_is_open
from central.conf import conf
from central.errors import ApiError
from central.org.models import Office, Service

#: How far ahead the next opening is looked for (the longest holidays last 8 days).
HORIZON_DAYS = 31
#: Days of intervals GET /services hands a kiosk: enough to stay right while offline a week.
KIOSK_DAYS = 7

Interval = tuple[dt.datetime, dt.datetime]


@dataclass(frozen=True)
class Opening:
    open: bool
    #: The next opening when closed (None: none within HORIZON_DAYS, or open now).
    opens_at: dt.datetime | None = None
    #: False when the office has no plan at all: its hours are unknown and limit nothing.
    known: bool = True


def now() -> dt.datetime:
    """The moment hours are judged at: the real clock, or (tests only) the ISO time written
    in CENTRAL_TEST_CLOCK_FILE, so a real server can be asked at 01:22 or on a holiday."""
    path = conf("TEST_CLOCK_FILE")
    if path:
        text = Path(path).read_text(encoding="utf-8").strip() if Path(path).is_file() else ""
        if text:
            moment = dt.datetime.fromisoformat(text)
            return moment if moment.tzinfo else timezone.make_aware(moment)
    return timezone.now()


def limited() -> bool:
    """False when the bureau queues around the clock (CENTRAL_QUEUE_HOURS=always)."""
    return bool(conf("QUEUE_HOURS") != "always")


def plans_for(office: Office, service: Service) -> list[WorkingPlan]:
    plans = list(WorkingPlan.objects.filter(office=office, service=service))
    return plans or list(WorkingPlan.objects.filter(office=office))


def _holidays(office: Office, first: dt.date, last: dt.date) -> dict[dt.date, str]:
    return dict(Holiday.objects.filter(county_id=office.county_id, date__gte=first, date__lte=last)
                .values_list("date", "kind"))


def _plan_periods(plan: WorkingPlan, day: dt.date) -> list[Interval]:
    tz = timezone.get_current_timezone()
    opens, closes = dt.datetime.combine(day, plan.opens, tz), dt.datetime.combine(day, plan.closes, tz)
    if plan.break_start and plan.break_end and plan.break_start < plan.break_end:
        pause = dt.datetime.combine(day, plan.break_start, tz), dt.datetime.combine(day, plan.break_end, tz)
        periods = [(opens, min(closes, pause[0])), (max(opens, pause[1]), closes)]
    else:
        periods = [(opens, closes)]
    return [(a, b) for a, b in periods if a < b]


def _merge(periods: Iterable[Interval]) -> list[Interval]:
    merged: list[Interval] = []
    for start, end in sorted(periods):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def intervals(plans: list[WorkingPlan], holidays: dict[dt.date, str],
              days: Iterable[dt.date]) -> list[Interval]:
    """The open periods of `days`: every plan open that day, breaks cut out, overlaps merged."""
    return _merge(p for day in days for plan in plans if plan_is_open(plan, day, holidays)
                  for p in _plan_periods(plan, day))


def office_intervals(office: Office, service: Service, first: dt.date,
                     days: int) -> list[Interval] | None:
    """Open periods of `days` days from `first`, or None when the hours are unknown."""
    plans = plans_for(office, service)
    if not plans or not limited():
        return None
    span = [first + dt.timedelta(days=i) for i in range(days)]
    return intervals(plans, _holidays(office, span[0], span[-1]), span)


def opening(office: Office, service: Service, at: dt.datetime) -> Opening:
    first = timezone.localtime(at).date()
    found = office_intervals(office, service, first, HORIZON_DAYS + 1)
    if found is None:
        return Opening(open=True, known=False)
    if any(start <= at < end for start, end in found):
        return Opening(open=True)
    later = [start for start, _end in found if start > at]
    return Opening(open=False, opens_at=timezone.localtime(later[0]) if later else None)


def require_open(office: Office, service: Service, at: dt.datetime) -> None:
    """Refuse a new queue ticket while the office is closed (409 office_closed)."""
    state = opening(office, service, at)
    if state.open:
        return
    when = f"; it opens {state.opens_at:%Y-%m-%d %H:%M}" if state.opens_at else ""
    raise ApiError(409, "office_closed", f"the office is closed at this time{when}",
                   extra={"opens_at": state.opens_at.isoformat() if state.opens_at else None})


def kiosk_hours(office: Office, service: Service) -> dict[str, object] | None:
    """`hours` of GET /services: today and the next KIOSK_DAYS - 1 days, for a kiosk's cache."""
    today = timezone.localtime(now()).date()
    found = office_intervals(office, service, today, KIOSK_DAYS)
    if found is None:
        return None
    return {"from": today.isoformat(), "until": (today + dt.timedelta(days=KIOSK_DAYS)).isoformat(),
            "intervals": [{"opens": timezone.localtime(a).isoformat(),
                           "closes": timezone.localtime(b).isoformat()} for a, b in found]}
