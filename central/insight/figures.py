"""The bureau's figures, read from the daily rollups (never the raw events) and from the
queue, booking, casework and fleet tables, for a set of counties and a span of days."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Min, QuerySet, Sum
from django.utils import timezone

from central.booking.models import Booking
from central.casework.models import Application
from central.conf import conf
from central.fleet.models import Kiosk
from central.insight.models import DailyCount, UptimeDay
from central.insight.uptime import share
from central.queueing.models import Ticket

#: One row per service type: (metric in DailyCount, Chinese heading, English heading).
SERVICES = [("visits", "访问人次", "visits"), ("flow_started", "法律咨询（按事项引导）", "consultations"),
            ("ticket", "排队取号", "queue tickets"), ("booking", "预约", "bookings"),
            ("application", "申请", "applications"), ("print", "打印", "prints"),
            ("rating", "评价", "ratings")]
SATISFIED = ("5", "4", "3")  # 非常满意, 满意, 基本满意 (好差评: satisfied share of all ratings)
LEVELS = {"county": "county_id", "town": "office_id", "kiosk": "kiosk_id"}


@dataclass(frozen=True)
class Scope:
    counties: tuple[int, ...] | None  # None: every county
    start: dt.date
    end: dt.date  # exclusive

    def counts(self, *metrics: str) -> QuerySet[DailyCount]:
        rows = DailyCount.objects.filter(day__gte=self.start, day__lt=self.end, metric__in=metrics)
        return rows if self.counties is None else rows.filter(county_id__in=self.counties)

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        tz = timezone.get_current_timezone()
        return dt.datetime.combine(self.start, dt.time(0), tz), dt.datetime.combine(self.end, dt.time(0), tz)

    def county_filter(self, path: str) -> dict[str, Any]:
        return {} if self.counties is None else {f"{path}__in": self.counties}


def month_scope(counties: Iterable[int] | None, month: str) -> Scope:
    """`month` as YYYY-MM; ValueError when it is not one."""
    year, mon = (int(x) for x in month.split("-"))
    start = dt.date(year, mon, 1)
    end = dt.date(year + mon // 12, mon % 12 + 1, 1)
    return Scope(None if counties is None else tuple(counties), start, end)


def services(scope: Scope) -> list[tuple[str, str, str, int]]:
    """(metric, zh, en, count) for each service type, zeros included."""
    got = dict(scope.counts(*[m for m, _, _ in SERVICES]).values_list("metric").annotate(n=Sum("count")))
    return [(m, zh, en, int(got.get(m) or 0)) for m, zh, en in SERVICES]


def services_by(scope: Scope, level: str) -> dict[int | None, dict[str, int]]:
    """Per county / town (office) / kiosk: {group id: {metric: count}}."""
    column = LEVELS[level]
    out: dict[int | None, dict[str, int]] = defaultdict(dict)
    for group, metric, n in (scope.counts(*[m for m, _, _ in SERVICES]).values_list(column, "metric")
                             .annotate(n=Sum("count"))):
        out[group][metric] = int(n or 0)
    return dict(out)


def series(scope: Scope, metric: str, grain: str) -> list[tuple[str, int]]:
    """Counts per day, ISO week or month over the scope, empty periods included."""
    per_day = dict(scope.counts(metric).values_list("day").annotate(n=Sum("count")))
    buckets: dict[str, int] = {}
    day = scope.start
    while day < scope.end:
        buckets[period(day, grain)] = buckets.get(period(day, grain), 0) + int(per_day.get(day) or 0)
        day += dt.timedelta(days=1)
    return list(buckets.items())


def period(day: dt.date, grain: str) -> str:
    if grain == "month":
        return f"{day:%Y-%m}"
    if grain == "week":
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}"
    return day.isoformat()


def by_keys(scope: Scope, metric: str, limit: int = 50) -> list[tuple[str, str, int]]:
    rows = (scope.counts(metric).values_list("key1", "key2").annotate(n=Sum("count")).order_by("-n")[:limit])
    return [(k1, k2, int(n or 0)) for k1, k2, n in rows]


def ratings(scope: Scope) -> dict[str, Any]:
    levels = {k: int(n or 0) for k, n in scope.counts("rating").values_list("key1").annotate(n=Sum("count"))}
    total = sum(levels.values())
    satisfied = sum(levels.get(k, 0) for k in SATISFIED)
    return {"levels": {str(k): levels.get(str(k), 0) for k in range(5, 0, -1)}, "total": total,
            "satisfaction": (satisfied / total) if total else None}


def tickets(scope: Scope) -> dict[str, Any]:
    found = Ticket.objects.filter(day__gte=scope.start, day__lt=scope.end,
                                  **scope.county_filter("office__county"))
    by_status = dict(found.values_list("status").annotate(n=Count("pk")))
    waits = sorted((c - i).total_seconds() / 60 for i, c in found.filter(called_at__isnull=False)
                   .values_list("issued_at", "called_at")[:100000] if c is not None)
    return {"issued": sum(by_status.values()), "by_status": by_status,
            "wait_avg_min": round(sum(waits) / len(waits), 1) if waits else None,
            "wait_p90_min": round(waits[int(len(waits) * 0.9)], 1) if waits else None}


def bookings(scope: Scope) -> dict[str, int]:
    start, end = scope.bounds()
    found = Booking.objects.filter(slot__start__gte=start, slot__start__lt=end,
                                   **scope.county_filter("office__county"))
    return {str(k): int(n) for k, n in found.values_list("status").annotate(n=Count("pk"))}


def applications(scope: Scope) -> dict[str, int]:
    start, end = scope.bounds()
    found = Application.objects.filter(received_at__gte=start, received_at__lt=end,
                                       **scope.county_filter("office__county")).exclude(kind="callback")
    return {str(k): int(n) for k, n in found.values_list("status").annotate(n=Count("pk"))}


def uptime(scope: Scope) -> list[tuple[str, float]]:
    """Per kiosk: heartbeats over the whole days of the span since its first heartbeat
    (today, still running, is left out unless the span is today alone)."""
    today = timezone.localdate()
    last = min(scope.end, today) if scope.start < today else scope.end
    found = UptimeDay.objects.filter(**scope.county_filter("kiosk__county"))
    first = dict(found.values_list("kiosk_id").annotate(first=Min("day")))
    beats = dict(found.filter(day__gte=scope.start, day__lt=last).values_list("kiosk_id")
                 .annotate(n=Sum("beats")))
    out = []
    for k in Kiosk.objects.filter(**scope.county_filter("county")).order_by("code"):
        if k.pk not in first:
            continue
        days = (last - max(scope.start, first[k.pk])).days
        up = share(int(beats.get(k.pk) or 0), conf("HEARTBEAT_POLL_S"), days) if days > 0 else 0.0
        out.append((k.code, up))
    return out
