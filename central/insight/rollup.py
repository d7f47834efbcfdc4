"""Daily rollups: DailyCount rows rebuilt for the kiosk-days that received events.

Incremental: only kiosk-days marked in DirtyDay are rebuilt, each from its own slice of raw
events (one day of the marked kiosks: the (kiosk_id, at) index, one month's partition). A mark is
removed only if no batch touched it meanwhile (its `seq` unchanged), so an event stored
during a refresh is counted by the next one. Rebuilding a day twice gives the same rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any

from django.db import transaction
from django.utils import timezone

from central.fleet.models import Kiosk
from central.insight.models import DailyCount, DirtyDay, UsageEvent

Key = tuple[str, str, str]


def normalise_query(text: Any) -> str:
    """Searches that found nothing are grouped by this: lower case, single spaces."""
    return " ".join(str(text or "").lower().split())[:40]


def figures(kind: str, d: dict[str, Any]) -> Iterator[tuple[Key, int]]:
    """The (metric, key1, key2) rows one event adds to, with what it adds to `total`."""
    def s(name: str) -> str:
        value = d.get(name)
        return "" if value is None else str(value)

    if kind == "visit_started":
        yield ("visits", s("lang"), s("theme")), 0
    elif kind == "visit_ended":
        yield ("visit_ended", s("how"), ""), int(d.get("seconds") or 0)
        if d.get("flow") and d.get("node"):
            yield ("left_at", s("flow"), s("node")), 0
    elif kind == "flow_started":
        yield ("flow_started", s("flow"), s("via")), 0
    elif kind == "node_reached":
        yield ("node", s("flow"), s("node")), 0
    elif kind == "outcome_reached":
        yield ("outcome", s("flow"), s("outcome")), 0
    elif kind in ("back", "review"):
        yield (kind, s("flow"), s("node")), 0
    elif kind == "search":
        found = "chosen" if d.get("chosen") else "none"
        yield ("search", s("mode"), found), 0
        if found == "none":
            yield ("search_miss", normalise_query(d.get("query")), s("mode")), 0
    elif kind in ("ticket", "booking"):
        yield (kind, s("service"), ""), 0
    elif kind == "application":
        yield (kind, s("kind"), ""), 0
    elif kind == "print":
        yield (kind, s("what"), ""), 0
    elif kind == "print_failed":
        yield (kind, s("what"), s("reason")), 0
    elif kind in ("language", "theme"):
        yield (kind, s("lang" if kind == "language" else "theme"), ""), 0
    elif kind == "read_aloud":
        yield (kind, s("lang"), "on" if d.get("on") else "off"), 0
    elif kind == "voice_used":
        yield (kind, s("screen"), ""), 0
    elif kind == "rating":
        level = s("level")
        yield ("rating", level, s("by")), int(d.get("level") or 0)
        for reason in d.get("reasons") or []:
            yield ("rating_reason", str(reason), level), 0
        if d.get("callback"):
            yield ("rating_callback", level, ""), 0


def count(events: Iterable[tuple[str, dict[str, Any]]]) -> dict[Key, list[int]]:
    sums: dict[Key, list[int]] = {}
    for kind, detail in events:
        for key, total in figures(kind, detail):
            row = sums.setdefault(key, [0, 0])
            row[0] += 1
            row[1] += total
    return sums


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    return (dt.datetime.combine(day, dt.time(0), tz),
            dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tz))


def rebuild(kiosks: list[Kiosk], day: dt.date) -> int:
    """Replace these kiosks' rows of one day by a count over their raw events (one query for
    them all: a day's slice of one partition); returns rows written."""
    start, end = day_bounds(day)
    per: dict[int, list[tuple[str, dict[str, Any]]]] = {k.pk: [] for k in kiosks}
    events = (UsageEvent.objects.filter(kiosk_id__in=list(per), at__gte=start, at__lt=end)
              .values_list("kiosk_id", "kind", "detail").iterator(chunk_size=5000))
    for kiosk_id, kind, detail in events:
        per[kiosk_id].append((kind, detail))
    DailyCount.objects.filter(kiosk_id__in=list(per), day=day).delete()
    rows = [DailyCount(day=day, kiosk_id=k.pk, county_id=k.county_id, office_id=k.office_id,
                       metric=m, key1=k1[:80], key2=k2[:80], count=c, total=t)
            for k in kiosks for (m, k1, k2), (c, t) in count(per[k.pk]).items()]
    DailyCount.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def refresh(limit: int | None = None, kiosks_at_once: int = 200) -> dict[str, int]:
    """Rebuild the marked kiosk-days (oldest first, at most `limit`): per day, up to
    `kiosks_at_once` kiosks in one query and one transaction."""
    marks = list(DirtyDay.objects.order_by("day", "kiosk_id").values_list("pk", "kiosk_id", "day", "seq")
                 [: limit or None])
    kiosks = {k.pk: k for k in Kiosk.objects.filter(pk__in={m[1] for m in marks})}
    by_day: dict[dt.date, list[tuple[int, int, int]]] = {}
    for pk, kiosk_id, day, seq in marks:
        by_day.setdefault(day, []).append((pk, kiosk_id, seq))
    rows = 0
    for day, found in by_day.items():
        for start in range(0, len(found), kiosks_at_once):
            chunk = found[start:start + kiosks_at_once]
            with transaction.atomic():
                rows += rebuild([kiosks[k] for _, k, _ in chunk if k in kiosks], day)
                for pk, _, seq in chunk:
                    DirtyDay.objects.filter(pk=pk, seq=seq).delete()
    return {"days": len(marks), "rows": rows}
