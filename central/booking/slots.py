"""Slots from working plans: made on demand for the coming days, idempotently."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import QuerySet
from django.utils import timezone

from central.booking.models import Holiday, Slot, WorkingPlan


def _times(plan: WorkingPlan, day: dt.date) -> Iterable[tuple[dt.datetime, dt.datetime]]:
    tz = timezone.get_current_timezone()
    step = dt.timedelta(minutes=plan.slot_minutes)
    start = dt.datetime.combine(day, plan.opens, tz)
    closes = dt.datetime.combine(day, plan.closes, tz)
    pause = None
    if plan.break_start and plan.break_end:
        pause = (dt.datetime.combine(day, plan.break_start, tz), dt.datetime.combine(day, plan.break_end, tz))
    while start + step <= closes:
        end = start + step
        if pause and start < pause[1] and end > pause[0]:
            start = pause[1]  # no slot runs into the break
            continue
        yield start, end
        start = end


def plan_is_open(plan: WorkingPlan, day: dt.date, holidays: dict[dt.date, str]) -> bool:
    if day < plan.valid_from or (plan.valid_until and day > plan.valid_until):
        return False
    kind = holidays.get(day)
    if kind == Holiday.CLOSED:
        return False
    return kind == Holiday.WORKING or str(day.isoweekday()) in plan.weekdays


def ensure_slots(plans: QuerySet[WorkingPlan], days: list[dt.date]) -> None:
    """Create the missing slots of `plans` on `days` (concurrent callers are harmless)."""
    plans = plans.select_related("office")
    counties = {p.office.county_id for p in plans}
    holidays = {(h.county_id, h.date): h.kind
                for h in Holiday.objects.filter(county_id__in=counties, date__in=days)}
    wanted: list[Slot] = []
    for plan in plans:
        per_day = {d: k for (c, d), k in holidays.items() if c == plan.office.county_id}
        for day in days:
            if plan_is_open(plan, day, per_day):
                wanted += [Slot(plan=plan, office_id=plan.office_id, service_id=plan.service_id,
                                start=s, end=e, capacity=plan.capacity) for s, e in _times(plan, day)]
    if not wanted:
        return
    have = set(Slot.objects.filter(plan__in=plans, start__in=[s.start for s in wanted])
               .values_list("plan_id", "start"))
    missing = [s for s in wanted if (s.plan_id, s.start) not in have]
    if missing:
        Slot.objects.bulk_create(missing, ignore_conflicts=True)
