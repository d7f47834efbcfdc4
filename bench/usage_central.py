"""Benchmark: usage events on PostgreSQL at scale (issue 15), on a private throwaway cluster.

  * bulk load: N events over the last 12 months from 100 kiosks in 5 counties, COPY into
    the month-partitioned raw table (the way a migration or backfill would load them);
  * API ingest: the per-event checked path of POST /api/v1/events (ingest(), batches of 500,
    INSERT ... ON CONFLICT DO NOTHING) on top of the loaded table: events/s;
  * rollups: the full build for the loaded year (every kiosk-day), then the incremental
    refresh after one new day of events arrives (only that day's kiosk-days are rebuilt);
  * dashboard: GET /staff/insight/ for one county over 30 days and over 12 months (per day,
    week, month; per kiosk), through Django's test client: p50 and p95 of 20 each;
  * report: the monthly workbook of one county and of every county: seconds.
Run: .venv/bin/python bench/usage_central.py [--events N] (default 2,000,000)

Measured 2026-12-06 with --events 10000000 on the shared 2-core machine (load average ~10,
fsync on): COPY 47,770 events/s (2,424 MiB, 254 bytes/event with indexes); full rollup build
36,500 kiosk-days in 208 s (1.39 M rollup rows); API ingest path 4,667 events/s; refresh
after one new day (27,602 events, 100 kiosk-days) 0.78 s; dashboard p95 129 ms (30 days),
680 ms (12 months per week), 744 ms (12 months per month); monthly report 0.85 s (one
county), 1.80 s (every county).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import random
import secrets
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from central.testing.servers import start_pg  # noqa: E402
from tests.central.insight_helpers import visit  # noqa: E402

KIOSKS, COUNTIES = 100, 5


def _setup(url: str) -> None:
    os.environ.update({"DATABASE_URL": url, "CENTRAL_DATA_DIR": tempfile.mkdtemp(prefix="bench-usage-"),
                       "CENTRAL_SECRET_KEY": secrets.token_urlsafe(50),
                       "DJANGO_SETTINGS_MODULE": "central.settings", "CENTRAL_ALLOWED_HOSTS": "testserver"})
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from central.demo import ensure_demo

    ensure_demo()


def _fleet() -> list[tuple[int, int]]:
    from central.fleet.models import Kiosk
    from central.org.models import County

    counties = [County.objects.get_or_create(slug=f"bench-{i}", defaults={"name": f"测试县{i}"})[0]
                for i in range(COUNTIES)]
    out = []
    for i in range(KIOSKS):
        k, _ = Kiosk.objects.get_or_create(code=f"bench-{i}", defaults={"county": counties[i % COUNTIES]})
        out.append((k.pk, k.county_id))
    return out


def _templates(rng: random.Random) -> list[list[tuple[str, str]]]:
    """A pool of visits as (kind, detail JSON); loaded rows reuse them with new ids and times."""
    now = dt.datetime.now(dt.UTC)
    return [[(e["kind"], json.dumps(e["detail"], ensure_ascii=False)) for e in visit(rng, now)]
            for _ in range(3000)]


def bulk_load(n: int, fleet: list[tuple[int, int]], rng: random.Random) -> tuple[float, dt.date]:
    from django.db import connection

    from central.insight import partitions

    today = dt.date.today()
    first = today - dt.timedelta(days=365)
    partitions.ensure(first, today + dt.timedelta(days=60))
    pool = _templates(rng)
    start = time.monotonic()
    written = 0
    with connection.cursor() as cursor:
        raw = cursor.connection
        columns = "uuid, kiosk_id, county_id, kind, at, detail, received_at"
        with raw.cursor() as cur, cur.copy(f"COPY insight_usageevent ({columns}) FROM STDIN") as copy:
            buffer = io.StringIO()
            while written < n:
                kiosk, county = fleet[rng.randrange(len(fleet))]
                at = dt.datetime.combine(first + dt.timedelta(days=rng.randrange(365)),
                                         dt.time(1 + rng.randrange(9), rng.randrange(60)), dt.UTC)
                stamp = at.isoformat()
                for kind, detail in rng.choice(pool):
                    buffer.write(f"{uuid.uuid4()}\t{kiosk}\t{county}\t{kind}\t{stamp}\t{detail}\t{stamp}\n")
                    written += 1
                if buffer.tell() > 4_000_000:
                    copy.write(buffer.getvalue())
                    buffer = io.StringIO()
            copy.write(buffer.getvalue())
        raw.commit()
    return written / (time.monotonic() - start), first


def mark_all_dirty() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO insight_dirtyday (kiosk_id, day, seq) SELECT DISTINCT kiosk_id, "
                       "(at AT TIME ZONE 'Asia/Shanghai')::date, 1 FROM insight_usageevent "
                       "ON CONFLICT (kiosk_id, day) DO NOTHING")


def api_ingest(fleet: list[tuple[int, int]], rng: random.Random, events: int) -> tuple[float, int]:
    """The checked path, one new day (today) for every kiosk: events/s and events sent."""
    from django.db import transaction

    from central.fleet.models import Kiosk
    from central.insight.ingest import ingest

    kiosks = list(Kiosk.objects.filter(pk__in=[k for k, _ in fleet]))
    per = max(events // len(kiosks), 1)
    now = dt.datetime.now(dt.UTC)
    batches = []
    for kiosk in kiosks:
        todays: list[dict[str, object]] = []
        while len(todays) < per:
            todays += visit(rng, now - dt.timedelta(minutes=rng.randrange(1, 300)))
        batches += [(kiosk, todays[i:i + 500]) for i in range(0, len(todays), 500)]
    sent = sum(len(b) for _, b in batches)
    start = time.monotonic()
    for kiosk, batch in batches:
        with transaction.atomic():
            ingest(kiosk, batch)
    return sent / (time.monotonic() - start), sent


def dashboard_p95() -> dict[str, tuple[float, float]]:
    from django.contrib.auth.models import User
    from django.test import Client

    from central.org.models import County

    client = Client()
    client.force_login(User.objects.get(username="admin"))
    county = County.objects.get(slug="bench-0").pk
    today = dt.date.today()
    out = {}
    for name, days, grain in (("30 days, per day", 30, "day"), ("12 months, per week", 365, "week"),
                              ("12 months, per month", 365, "month")):
        times = []
        for _ in range(20):
            t = time.perf_counter()
            query = {"county": county, "from": str(today - dt.timedelta(days=days)), "to": str(today),
                     "grain": grain, "level": "kiosk"}
            r = client.get("/staff/insight/", query)
            assert r.status_code == 200, r.status_code
            times.append(time.perf_counter() - t)
        times.sort()
        out[name] = (statistics.median(times), times[int(len(times) * 0.95) - 1])
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=2_000_000)
    args = parser.parse_args()
    cluster = start_pg(durable=True)
    try:
        _setup(cluster.url)
        from central.insight import report, rollup
        from central.org.models import County

        rng = random.Random(1)
        fleet = _fleet()
        rate, _ = bulk_load(args.events, fleet, rng)
        print(f"bulk load (COPY, partitioned, 3 indexes): {args.events:,} events at {rate:,.0f} events/s")
        from django.db import connection

        with connection.cursor() as c:
            c.execute("ANALYZE insight_usageevent")
            c.execute("SELECT sum(pg_total_relation_size(inhrelid)) FROM pg_inherits "
                      "WHERE inhparent = 'insight_usageevent'::regclass")
            size = int(c.fetchone()[0] or 0)
        print(f"raw events on disk (13 monthly partitions, with indexes): {size / 2**20:,.0f} MiB "
              f"({size / args.events:,.0f} bytes/event)")
        mark_all_dirty()
        t = time.monotonic()
        built = rollup.refresh()
        full = time.monotonic() - t
        print(f"rollups, full build: {built['days']:,} kiosk-days in {full:.1f} s "
              f"({args.events / full:,.0f} events/s); {built['rows']:,} rollup rows")
        day_events = args.events // 365
        rate, sent = api_ingest(fleet, rng, day_events)
        print(f"API ingest path (checks + ON CONFLICT, batches of 500): {sent:,} events "
              f"at {rate:,.0f} events/s")
        t = time.monotonic()
        new = rollup.refresh()
        print(f"incremental refresh after one new day ({sent:,} events, {new['days']} kiosk-days): "
              f"{time.monotonic() - t:.2f} s")
        for name, (p50, p95) in dashboard_p95().items():
            print(f"dashboard, one county, {name}: p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms")
        month = f"{dt.date.today().replace(day=1) - dt.timedelta(days=1):%Y-%m}"
        for label, counties in (("one county", [County.objects.get(slug="bench-0")]), ("every county", None)):
            t = time.monotonic()
            data, _ = report.build(counties, month, "xlsx")
            print(f"monthly report {month}, {label}: {time.monotonic() - t:.2f} s ({len(data):,} bytes)")
        one = visit(rng, dt.datetime.now(dt.UTC))
        body = json.dumps({"events": one}).encode()
        print(f"one visit's events: {len(one)} events, {len(body):,} bytes of JSON uncompressed")
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
