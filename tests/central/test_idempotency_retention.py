"""Idempotency records stay bounded: heartbeats (every kiosk, every few minutes) are not
recorded, since a retried heartbeat does no harm; the housekeeping forgets other records
after 48 h and heartbeat records left by an older release after 15 minutes, in batches."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest

from tests.central.conftest import Api

BEAT = {"state": "idle", "content_version": "2026.11.1+abc", "app_version": "0.1.0"}


def _records(api: Api, key: str) -> int:
    out = api.server.django("from central.fleet.models import IdempotencyRecord; "
                            f"print(IdempotencyRecord.objects.filter(key={key!r}).count())")
    return int(out.strip().splitlines()[-1])


def test_a_heartbeat_leaves_no_record_and_its_retry_is_served(api: Api) -> None:
    key = str(uuid.uuid4())
    first = api.post("/api/v1/heartbeat", BEAT, key=key)
    again = api.post("/api/v1/heartbeat", {**BEAT, "state": "busy"}, key=key)
    assert first.status_code == again.status_code == 200, (first.text, again.text)
    assert "Idempotent-Replayed" not in again.headers  # run again, not replayed
    assert _records(api, key) == 0
    state = json.loads(api.server.django(
        "import json; from central.fleet.models import Kiosk; "
        "print(json.dumps(Kiosk.objects.get(code='demo-kiosk-1').state))").strip().splitlines()[-1])
    assert state == "busy"
    # Any other POST is still recorded, and its retry replayed.
    event_key = str(uuid.uuid4())
    event = {"kind": "paper_out", "at": dt.datetime.now(dt.UTC).isoformat(), "detail": {}}
    made = api.post("/api/v1/events", event, key=event_key)
    replayed = api.post("/api/v1/events", event, key=event_key)
    assert made.status_code == replayed.status_code == 201 and made.json() == replayed.json()
    assert replayed.headers.get("Idempotent-Replayed") == "true"
    assert _records(api, event_key) == 1


@pytest.mark.usefixtures("db")
def test_housekeeping_keeps_records_48_hours_and_old_heartbeat_ones_15_minutes(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from django.utils import timezone

    from central.api import idempotency
    from central.fleet.models import IdempotencyRecord, Kiosk
    from central.housekeeping import run_once
    from central.org.models import County

    kiosk = Kiosk.objects.create(code="retention", county=County.objects.create(slug="r", name="测试县"))
    now = timezone.now()

    def record(key: str, path: str, age: dt.timedelta) -> None:
        IdempotencyRecord.objects.create(kiosk=kiosk, key=key, body_digest="x", path=path, status=200,
                                         response=b"{}", created_at=now - age)

    for n in range(7):  # more than one batch of 3
        record(f"old-beat-{n}", "/api/v1/heartbeat", dt.timedelta(minutes=20))
    record("new-beat", "/api/v1/heartbeat", dt.timedelta(minutes=5))
    record("old-ticket", "/api/v1/tickets", dt.timedelta(hours=49))
    record("day-old-ticket", "/api/v1/tickets", dt.timedelta(hours=25))
    monkeypatch.setattr(idempotency, "PURGE_BATCH", 3)
    assert run_once()["keys_purged"] == 8
    assert sorted(IdempotencyRecord.objects.filter(kiosk=kiosk).values_list("key", flat=True)) == [
        "day-old-ticket", "new-beat"]
    # A run deletes at most PURGE_BATCHES batches; the rest goes at the next run.
    for n in range(7):
        record(f"later-{n}", "/api/v1/events", dt.timedelta(hours=50))
    monkeypatch.setattr(idempotency, "PURGE_BATCHES", 2)
    assert idempotency.purge_old_keys() == 6
    assert idempotency.purge_old_keys() == 1
