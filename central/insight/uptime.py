"""Kiosk uptime from heartbeats: one counter per kiosk and day, bumped by each heartbeat."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.utils import timezone

from central.fleet.models import Kiosk
from central.insight.models import UptimeDay


def beat(kiosk: Kiosk, now: dt.datetime) -> None:
    table = UptimeDay._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} (kiosk_id, day, beats) VALUES (%s, %s, 1) "
                       f"ON CONFLICT (kiosk_id, day) DO UPDATE SET beats = {table}.beats + 1",
                       [kiosk.pk, timezone.localtime(now).date()])


def share(beats: int, poll_s: int, days: int = 1) -> float:
    """Share of the time up: each beat stands for one poll interval; at most 1."""
    return min(1.0, beats * poll_s / (86400 * max(days, 1)))
