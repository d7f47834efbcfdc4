"""The date a decision is due: the statutory clock of each kind (docs/api.md).

Working days (行政复议法 第八十八条: 三日、五日、七日、十日 are working days) skip Saturdays,
Sundays and the county's holidays from the booking calendar (the same table the working
plans use); a make-up working day (调休) on a weekend counts as a working day.
"""

from __future__ import annotations

import datetime as dt

from central.booking.models import Holiday
from central.org.models import County


def due_date(start: dt.date, days: int, working_days: bool, county: County | None) -> dt.date:
    if not working_days:
        return start + dt.timedelta(days=days)
    horizon = start + dt.timedelta(days=days * 3 + 60)
    calendar: dict[dt.date, str] = {}
    if county is not None:
        calendar = dict(Holiday.objects.filter(county=county, date__gt=start, date__lte=horizon)
                        .values_list("date", "kind"))
    day, counted = start, 0
    while counted < days:
        day += dt.timedelta(days=1)
        kind = calendar.get(day)
        working = kind == Holiday.WORKING or (kind != Holiday.CLOSED and day.isoweekday() <= 5)
        counted += working
    return day
