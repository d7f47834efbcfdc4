"""A kiosk offline for a month flushes 100,000 events (PostgreSQL; 10,000 on SQLite) in batches of 500 (some batches sent
twice under new keys): nothing lost, nothing counted twice, and the daily rollups equal a
count over the raw events; on SQLite and PostgreSQL through `central serve`."""

from __future__ import annotations

import datetime as dt
import json
import random
import time

from central.testing.servers import CentralServer
from tests.central.conftest import Api
from tests.central.insight_helpers import visit

# Counted over the raw events inside the server's Django, the same figures the rollups hold.
RAW_VS_ROLLUP = """
import json
from collections import Counter
from django.db.models import Sum
from central.insight.models import UsageEvent, DailyCount
from central.fleet.models import Kiosk
k = Kiosk.objects.get(code=%r)
raw = Counter()
for kind, detail in UsageEvent.objects.filter(kiosk=k).values_list("kind", "detail").iterator():
    raw[kind] += 1
    if kind == "visit_ended" and detail.get("node"):
        raw["left_at"] += 1
rolled = {m: n for m, n in DailyCount.objects.filter(kiosk=k).values_list("metric").annotate(n=Sum("count"))}
print(json.dumps({"raw": raw, "rolled": rolled, "events": UsageEvent.objects.filter(kiosk=k).count()}))
"""


def _kiosk(server: CentralServer, code: str) -> Api:
    token = server.django(
        "from central.fleet.models import Kiosk; from central.org.models import County\n"
        f"k, _ = Kiosk.objects.get_or_create(code='{code}', defaults={{'county': County.objects.first()}})\n"
        "t = k.issue_token(); k.save(); print(t)").strip()
    return Api(server, token)


def test_a_month_offline_flushes_once_and_rollups_match(server: CentralServer) -> None:
    # The full 100,000 on PostgreSQL (production); a tenth on SQLite to keep CI time low.
    total = 100_000 if server.env["DATABASE_URL"].startswith("postgres") else 10_000
    code = f"offline-{random.randrange(10**6)}"
    kiosk = _kiosk(server, code)
    rng = random.Random(5)
    now = dt.datetime.now(dt.UTC)
    events: list[dict[str, object]] = []
    while len(events) < total:
        events += visit(rng, now - dt.timedelta(days=30) + dt.timedelta(seconds=rng.randint(0, 30 * 86400 - 600)))
    events = events[:total]
    batches = [events[i:i + 500] for i in range(0, len(events), 500)]
    started = time.monotonic()
    accepted = duplicates = 0
    for number, batch in enumerate(batches):
        r = kiosk.post("/api/v1/events", {"events": batch})
        assert r.status_code == 200, r.text
        accepted += r.json()["accepted"]
        duplicates += r.json()["duplicates"]
        if number % 10 == 0:  # the answer was lost: the outbox resends under a new key
            again = kiosk.post("/api/v1/events", {"events": batch})
            assert again.json() == {"accepted": 0, "duplicates": len(batch), "rejected": []}
    seconds = time.monotonic() - started
    print(f"{server.url}: {total} events in {len(batches)} batches (+{len(batches) // 10} resent) in {seconds:.1f} s")
    assert (accepted, duplicates) == (total, 0)
    server.command("refresh-usage")
    got = json.loads(server.django(RAW_VS_ROLLUP % code))
    assert got["events"] == total
    raw, rolled = got["raw"], got["rolled"]
    for kind, metric in (("visit_started", "visits"), ("flow_started", "flow_started"), ("node_reached", "node"),
                         ("outcome_reached", "outcome"), ("ticket", "ticket"), ("rating", "rating"),
                         ("visit_ended", "visit_ended"), ("left_at", "left_at")):
        assert rolled.get(metric) == raw.get(kind) and raw.get(kind), (kind, raw, rolled)
    # A late event for one day: only that kiosk-day is rebuilt, and the figure follows.
    late = visit(rng, now - dt.timedelta(days=3))
    assert kiosk.post("/api/v1/events", {"events": late}).json()["accepted"] == len(late)
    assert json.loads(server.command("refresh-usage"))["days"] == 1
    got = json.loads(server.django(RAW_VS_ROLLUP % code))
    assert got["rolled"]["visits"] == got["raw"]["visit_started"] == raw["visit_started"] + 1
