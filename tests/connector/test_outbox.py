"""The outbox: fixed keys, exactly-once replays, parking, persisted backoff, privacy."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Callable
from pathlib import Path

from kiosk.connector.client import CentralClient
from kiosk.connector.drain import drain
from kiosk.connector.outbox import Outbox
from kiosk.connector.settings import CentralSettings
from tests.connector.fake_central import FakeCentral


def _event(kind: str = "usage") -> dict[str, object]:
    return {"kind": kind, "at": "2026-11-25T09:30:00+08:00", "detail": {"n": 1}}


def test_items_are_delivered_once_and_a_lost_ack_is_replayed_safely(
        central: FakeCentral, outbox: Outbox, make_client: Callable[..., CentralClient]) -> None:
    client = make_client()
    keys = [outbox.enqueue("event", "/api/v1/events", _event()) for _ in range(3)]
    # GIVEN the server acted on the first item but the kiosk died before recording it
    first = outbox.due()[0]
    client.post_raw(first.path, first.body, first.key)
    # WHEN the outbox drains
    result = drain(outbox, client)
    # THEN all three arrive, the first one replayed under its key and not acted on twice
    assert (result.delivered, result.pending, result.failed) == (3, 0, 0)
    assert sorted(e["key"] for e in central.effects("event")) == sorted(keys)
    assert central.state.replays == 1
    assert drain(outbox, client).delivered == 0


def test_a_4xx_parks_the_item_with_its_reason(central: FakeCentral, outbox: Outbox,
                                              make_client: Callable[..., CentralClient]) -> None:
    outbox.enqueue("event", "/api/v1/events", _event("bogus"))
    good = outbox.enqueue("event", "/api/v1/events", _event())
    result = drain(outbox, make_client())
    assert (result.delivered, result.failed) == (1, 1)
    parked = outbox.parked()
    assert [p.reason for p in parked] == ["422 invalid"]
    assert [e["key"] for e in central.effects("event")] == [good]
    assert outbox.counts() == {"pending": 0, "failed": 1, "delivered": 1}


def test_503_reschedules_after_retry_after_and_the_schedule_survives_a_reopen(
        central: FakeCentral, settings: CentralSettings, make_client: Callable[..., CentralClient]) -> None:
    path = settings.state_dir / "outbox.sqlite3"
    box = Outbox(path, base_s=1.0, cap_s=3600.0)
    key = box.enqueue("event", "/api/v1/events", _event())
    central.state.faults.extend([(503, {"Retry-After": "300"})])
    result = drain(box, make_client(retries=0))
    assert result.delivered == 0 and result.stopped
    scheduled = box.next_due_at()
    box.close()
    # a reboot: the schedule is read back from disk, and nothing is due yet
    again = Outbox(path, base_s=1.0, cap_s=3600.0)
    assert again.next_due_at() == scheduled
    assert again.due() == []
    assert drain(again, make_client()).delivered == 0
    assert scheduled is not None
    later = Outbox(path, clock=lambda: scheduled + 1)
    assert [i.key for i in later.due()] == [key]
    assert drain(later, make_client()).delivered == 1
    later.close()
    again.close()


def test_408_and_429_are_retried_not_parked(central: FakeCentral, outbox: Outbox,
                                            make_client: Callable[..., CentralClient]) -> None:
    outbox.enqueue("event", "/api/v1/events", _event())
    for status in (408, 429):
        central.state.faults.append((status, {}))
        assert drain(outbox, make_client(retries=0)).failed == 0
    assert outbox.counts()["pending"] == 1


def test_backoff_is_full_jitter_exponential_and_capped(tmp_path: Path) -> None:
    box = Outbox(tmp_path / "o.sqlite3", base_s=2.0, cap_s=100.0, rng=random.Random(7))
    for attempts in range(12):
        ceiling = min(100.0, 2.0 * 2**attempts)
        draws = [box.backoff(attempts) for _ in range(200)]
        assert all(0 <= d <= ceiling for d in draws)
        assert max(draws) > ceiling * 0.8  # full jitter spreads over the whole range
        assert min(draws) < ceiling * 0.2
    box.close()


def test_phone_numbers_are_gone_once_acknowledged(central: FakeCentral, settings: CentralSettings,
                                                  make_client: Callable[..., CentralClient]) -> None:
    central.add_slot("s1", capacity=5)
    path = settings.state_dir / "outbox.sqlite3"
    box = Outbox(path)
    box.enqueue("booking", "/api/v1/bookings", {"slot": "s1", "service": "legal-aid", "phone": "13812345678"},
                personal=True)
    assert drain(box, make_client()).delivered == 1
    box.close()
    db = sqlite3.connect(path)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    rows = db.execute("SELECT body, answer FROM outbox").fetchall()
    db.close()
    assert rows[0][0] is None and "13812345678" not in rows[0][1]
    assert b"13812345678" not in path.read_bytes()  # secure_delete: not left in a free page


def test_local_ticket_numbers_follow_a_persisted_daily_sequence(tmp_path: Path) -> None:
    path = tmp_path / "o.sqlite3"
    box = Outbox(path)
    numbers = [box.issue_local_ticket("K3", "2026-11-25", lambda n: {"local_number": n})[0] for _ in range(2)]
    box.close()
    box = Outbox(path)
    numbers.append(box.issue_local_ticket("K3", "2026-11-25", lambda n: {"local_number": n})[0])
    numbers.append(box.issue_local_ticket("K3", "2026-11-26", lambda n: {"local_number": n})[0])
    assert numbers == ["K3-001", "K3-002", "K3-003", "K3-001"]
    assert box.counts()["pending"] == 4
    box.close()


def test_a_damaged_request_recorded_under_the_key_is_resent_under_a_new_key(
        central: FakeCentral, outbox: Outbox, make_client: Callable[..., CentralClient]) -> None:
    """GIVEN a server that recorded a truncated copy of our request (the kiosk was killed
    mid-body) and refused it, WHEN the whole request is replayed and answered 409
    idempotency_key_reused, THEN the outbox sends it again under a fresh key, once."""
    key = outbox.enqueue("event", "/api/v1/events", _event())
    central.state.keys[key] = (b'{"at":"2026-11', 422, b'{"error": "invalid"}')
    result = drain(outbox, make_client())
    assert (result.delivered, result.pending, result.failed) == (1, 0, 0)
    [effect] = central.effects("event")
    assert effect["key"] != key


def test_rekeying_gives_up_after_three_tries(outbox: Outbox) -> None:
    key: str | None = outbox.enqueue("event", "/api/v1/events", _event())
    for _ in range(3):
        assert key is not None
        key = outbox.rekey(key, "409 idempotency_key_reused")
    assert key is not None and outbox.rekey(key, "409 idempotency_key_reused") is None
    assert outbox.counts()["failed"] == 1
