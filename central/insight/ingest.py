"""A batch of usage events from one kiosk: each checked on its own, stored once.

Per event: an unknown kind, a detail that does not fit, a time more than 10 minutes ahead or
more than 90 days back is refused with its index; the rest of the batch is stored. An event
whose uuid (and time) is already stored counts as a duplicate: a kiosk that resends a batch
under a new Idempotency-Key, or a batch that overlaps an earlier one, is counted once.
The visit id is checked but not stored: the figures need no link between a visit's events.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any, cast

from django.db import connection
from django.db.models import Field
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from central.fleet.models import Kiosk
from central.insight.kinds import KINDS, clean_detail
from central.insight.models import DirtyDay, UsageEvent

MAX_EVENTS = 500
FUTURE = dt.timedelta(minutes=10)
TOO_OLD = dt.timedelta(days=90)
VISIT = re.compile(r"^[0-9a-f]{32}$")
_COLUMNS = ("uuid", "kiosk_id", "county_id", "kind", "at", "detail", "received_at")


class BatchTooLarge(ValueError):
    """More events than one batch may hold."""


def _time(value: Any) -> dt.datetime | None:
    if not isinstance(value, str) or len(value) > 40:
        return None
    try:
        parsed = parse_datetime(value)
    except ValueError:
        return None
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.get_current_timezone())
    offset = parsed.utcoffset() or dt.timedelta()
    if abs(offset) > dt.timedelta(hours=14):
        return None
    return parsed.astimezone(dt.UTC)


def _uuid(value: Any) -> uuid.UUID | None:
    if not isinstance(value, str) or len(value) > 40:
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


Parsed = tuple[uuid.UUID, str, dt.datetime, dict[str, Any]]


def check(event: Any, now: dt.datetime) -> tuple[str, Parsed | None]:
    """("", parsed) for a storable event, else (error code, None)."""
    if not isinstance(event, dict):
        return "bad_detail", None
    kind = event.get("kind")
    if not isinstance(kind, str) or kind not in KINDS:
        return "unknown_kind", None
    ident, at = _uuid(event.get("id")), _time(event.get("at"))
    visit = event.get("visit")
    if ident is None or at is None or not (isinstance(visit, str) and VISIT.match(visit)):
        return "bad_detail", None
    detail = clean_detail(kind, event.get("detail", {}))
    if detail is None:
        return "bad_detail", None
    if at > now + FUTURE:
        return "future", None
    if at < now - TOO_OLD:
        return "too_old", None
    return "", (ident, kind, at, detail)


def _insert(rows: list[list[Any]]) -> set[str]:
    """INSERT … ON CONFLICT DO NOTHING RETURNING uuid (PostgreSQL and SQLite ≥ 3.35 alike)."""
    fields = [cast("Field[Any, Any]", UsageEvent._meta.get_field(name)) for name in
              ("uuid", "kiosk", "county_id", "kind", "at", "detail", "received_at")]
    params: list[Any] = []
    for row in rows:
        params += [f.get_db_prep_save(v, connection) for f, v in zip(fields, row, strict=True)]
    one = "(" + ", ".join(["%s"] * len(_COLUMNS)) + ")"
    sql = (f"INSERT INTO {UsageEvent._meta.db_table} ({', '.join(_COLUMNS)}) VALUES "
           f"{', '.join([one] * len(rows))} ON CONFLICT DO NOTHING RETURNING uuid")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {str(r[0]).replace("-", "") for r in cursor.fetchall()}


def _mark_dirty(kiosk: Kiosk, days: set[dt.date]) -> None:
    table = DirtyDay._meta.db_table
    with connection.cursor() as cursor:
        for day in sorted(days):
            cursor.execute(f"INSERT INTO {table} (kiosk_id, day, seq) VALUES (%s, %s, 1) "
                           f"ON CONFLICT (kiosk_id, day) DO UPDATE SET seq = {table}.seq + 1",
                           [kiosk.pk, day])


def ingest(kiosk: Kiosk, events: Any, now: dt.datetime | None = None) -> dict[str, Any]:
    """Store a batch (the caller's transaction: the Idempotency-Key record commits with it)."""
    if not isinstance(events, list):
        raise ValueError("events must be a list")
    if len(events) > MAX_EVENTS:
        raise BatchTooLarge(f"at most {MAX_EVENTS} events per batch, not {len(events)}")
    now = now or timezone.now()
    rejected: list[dict[str, Any]] = []
    rows: dict[str, list[Any]] = {}
    seen = 0
    for index, event in enumerate(events):
        error, parsed = check(event, now)
        if parsed is None:
            rejected.append({"index": index, "error": error})
            continue
        seen += 1
        ident, kind, at, detail = parsed
        rows.setdefault(ident.hex, [ident, kiosk.pk, kiosk.county_id, kind, at, detail, now])
    stored: set[str] = set()
    batch = list(rows.values())
    for start in range(0, len(batch), 200):
        stored |= _insert(batch[start:start + 200])
    days = {timezone.localtime(rows[h][4]).date() for h in stored}
    if days:
        _mark_dirty(kiosk, days)
    return {"accepted": len(stored), "duplicates": seen - len(stored), "rejected": rejected}
