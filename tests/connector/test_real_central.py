"""The connector against the real central service (branch `central`) on loopback, with a
fresh SQLite database: content publish -> kiosk sync, bookings, offline tickets, and the
service stopped mid-booking, mid-sync and mid-drain. Skipped, with the reason, when the
`central` extra is not installed."""

from __future__ import annotations

import collections
import dataclasses
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.config import load_config
from kiosk.connector.factory import build_connector
from kiosk.connector.runtime import Connector
from kiosk.connector.settings import load_central_settings
from kiosk.connector.sync import SyncFailed
from kiosk.ports import BookingRefused, DeskUnavailable, SlotFull
from tests.connector.real_central import RealCentral, missing, running
from tests.connector.tuf_repo import REPO

pytestmark = pytest.mark.skipif(missing() is not None, reason=missing() or "")


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def real(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RealCentral]:
    """The real service on a fresh SQLite file, then on a private PostgreSQL cluster (the
    central service's own test helper starts it on loopback; skipped where it cannot)."""
    cluster = None
    if request.param == "postgresql":
        from central.testing.servers import pg_missing, start_pg

        reason = pg_missing()
        if reason:
            pytest.skip(reason)
        cluster = start_pg()
    yield from running(tmp_path_factory.mktemp("central"), cluster.url if cluster else None)
    if cluster is not None:
        cluster.stop()


def kiosk_env(real: RealCentral, state: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KIOSK_", "CENTRAL_", "DATABASE_"))}
    env.update(KIOSK_CENTRAL_URL=real.url, KIOSK_TOKEN=real.demo["kiosk_token"], KIOSK_TUF_ROOT=real.root_path,
               KIOSK_STATE_DIR=str(state))
    return env


def connector(real: RealCentral, state: Path, **changes: object) -> Connector:
    env = kiosk_env(real, state)
    real.use_ticket_prefix(str(changes.get("ticket_prefix", "K1")))
    cfg = load_config(env=env)
    settings = dataclasses.replace(load_central_settings(cfg, env), retries=0, read_timeout_s=10,
                                   **changes)  # type: ignore[arg-type]
    return build_connector(settings, cfg)


def test_publish_is_picked_up_and_then_only_the_changed_flow_is_downloaded(
        real: RealCentral, tmp_path: Path) -> None:
    kiosk = connector(real, tmp_path / "kiosk")
    assert kiosk.sync is not None
    first = kiosk.sync.sync_once()
    assert "pack.yaml" in first.downloaded and len(first.downloaded) >= 17
    assert kiosk.sync.sync_once().downloaded == []

    edited = tmp_path / "content"
    shutil.copytree(REPO / "content", edited)
    flow = edited / "flows" / "divorce.yaml"
    flow.write_text(flow.read_text(encoding="utf-8") + "\n# reviewed by the county bureau\n", encoding="utf-8")
    real.import_content(edited)
    published = real.publish()
    second = kiosk.sync.sync_once()
    assert second.version == published["version"] == first.version + 1
    assert second.downloaded == ["flows/divorce.yaml"]
    served = kiosk.sync.store.current()
    assert served is not None and "reviewed by the county bureau" in (served / "flows/divorce.yaml").read_text()
    kiosk.outbox.close()


def test_bookings_are_confirmed_by_the_service_and_capacity_holds(real: RealCentral, tmp_path: Path) -> None:
    kiosk = connector(real, tmp_path / "kiosk")
    desk = kiosk.desk
    assert "legal-aid" in [s.id for s in desk.services()]
    slot = next(s for s in desk.slots("legal-aid") if s.free == s.capacity)
    phones = [f"139{n:08d}" for n in random.Random(7).sample(range(10**8), slot.capacity + 1)]
    made = [desk.book(slot.id, "legal-aid", phone) for phone in phones[:-1]]
    assert all(b.status == "booked" and "****" in b.phone_masked for b in made)
    with pytest.raises(SlotFull):
        desk.book(slot.id, "legal-aid", phones[-1])
    with pytest.raises(BookingRefused) as caught:
        desk.book(slot.id, "legal-aid", "12")
    assert caught.value.reason == "bad_phone"
    assert desk.cancel(made[0].code).status == "cancelled"
    with pytest.raises(BookingRefused) as unknown:
        desk.slots("no-such-service")
    assert unknown.value.reason == "unknown_service"
    kiosk.outbox.close()


def test_service_stopped_mid_booking_and_mid_sync_then_back(real: RealCentral, tmp_path: Path) -> None:
    kiosk = connector(real, tmp_path / "kiosk", ticket_prefix="K3")
    assert kiosk.sync is not None
    version = kiosk.sync.sync_once().version
    slot = next(s for s in kiosk.desk.slots("legal-aid") if s.free)
    real.stop()
    try:
        with pytest.raises(DeskUnavailable):
            kiosk.desk.book(slot.id, "legal-aid", "13700001111")
        ticket = kiosk.desk.take_ticket("legal-aid", "elderly")
        assert ticket.provisional and ticket.number.startswith("K3-")
        with pytest.raises(SyncFailed) as caught:
            kiosk.sync.sync_once()
        assert caught.value.kind == "unreachable"
        assert kiosk.sync.store.current_version() == version  # still serving what it verified
        assert kiosk.drain_once(now=True).pending == 1
    finally:
        real.start()
    assert kiosk.drain_once(now=True).delivered == 1
    rows = real.sql("SELECT number, priority, provisional FROM queueing_ticket WHERE number = ?", ticket.number)
    assert rows == [(ticket.number, "elderly", 1)]
    assert real.sql("SELECT COUNT(*) FROM booking_booking b JOIN booking_slot s ON b.slot_id = s.id "
                    "WHERE s.id = ? AND b.phone LIKE '%1111'", slot.id) == [(0,)]
    kiosk.outbox.close()


def test_service_stopped_mid_drain_then_everything_arrives_once(real: RealCentral, tmp_path: Path) -> None:
    kiosk = connector(real, tmp_path / "kiosk", ticket_prefix="K4")
    numbers = []
    for _ in range(40):
        numbers.append(kiosk.desk.local_ticket("legal-aid").number)
        kiosk.health.event("usage", {"screens": 3})
    stopper = threading.Timer(0.3, real.stop)
    stopper.start()
    first = kiosk.drain_once(now=True)
    stopper.join()
    real.start()
    rest = kiosk.drain_once(now=True)
    while rest.pending:
        rest = kiosk.drain_once(now=True)
    assert first.stopped and first.delivered < 80  # the stop really came mid-drain
    assert kiosk.outbox.counts() == {"pending": 0, "failed": 0, "delivered": 80}
    counted = collections.Counter(n for (n,) in real.sql("SELECT number FROM queueing_ticket WHERE number LIKE 'K4-%'"))
    assert counted == dict.fromkeys(numbers, 1)
    kiosk.outbox.close()


def test_kiosk_sigkilled_mid_drain_against_the_real_service(real: RealCentral, tmp_path: Path) -> None:
    state = tmp_path / "kiosk"
    env = kiosk_env(real, state)
    kiosk = connector(real, state, ticket_prefix="K5")
    prefix_numbers: list[str] = []
    rng = random.Random(int(os.environ.get("KILL_SEED", "11")))
    kills = 0
    for _round in range(10):
        for _ in range(15):
            prefix_numbers.append(kiosk.desk.local_ticket("legal-aid", "disabled").number)
        delivered = kiosk.outbox.counts()["delivered"]
        proc = subprocess.Popen([sys.executable, "-m", "kiosk", "outbox", "drain", "--json"], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while (kiosk.outbox.counts()["delivered"] == delivered and proc.poll() is None
               and time.monotonic() < deadline):
            time.sleep(0.005)
        time.sleep(rng.uniform(0, 0.1))  # the drain is under way: kill it somewhere in there
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.wait(10)
    final = subprocess.run([sys.executable, "-m", "kiosk", "outbox", "drain", "--json"], env=env,
                           capture_output=True, text=True, timeout=120)
    assert final.returncode == 0, final.stderr
    assert kiosk.outbox.counts()["pending"] == 0 and kiosk.outbox.counts()["failed"] == 0, (
        kiosk.outbox.counts(), kiosk.outbox.parked())
    got = collections.Counter(n for (n,) in real.sql(
        "SELECT number FROM queueing_ticket WHERE number LIKE 'K5-%'"))
    assert got == dict.fromkeys(prefix_numbers, 1)
    print(f"{kills} kills of 10 landed mid-drain")
    assert kills >= 5
    kiosk.outbox.close()


def test_a_request_cut_mid_body_does_not_block_the_item(real: RealCentral, tmp_path: Path) -> None:
    """GIVEN the kiosk died while sending an item's body (the service may record the cut
    request under the key and refuse the whole one as idempotency_key_reused), WHEN the
    outbox drains, THEN the ticket reaches the service exactly once."""
    import socket

    kiosk = connector(real, tmp_path / "kiosk", ticket_prefix="K6")
    ticket = kiosk.desk.local_ticket("legal-aid")
    [item] = kiosk.outbox.due()
    head = (f"POST {item.path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {real.demo['kiosk_token']}\r\n"
            f"Idempotency-Key: {item.key}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(item.body)}\r\n\r\n").encode()
    with socket.create_connection(("127.0.0.1", real.port)) as sock:
        sock.sendall(head + item.body[:25])
        time.sleep(0.3)
    time.sleep(0.5)  # let the service finish with the cut request
    result = kiosk.drain_once(now=True)
    assert (result.delivered, result.pending, result.failed) == (1, 0, 0)
    assert real.sql("SELECT COUNT(*) FROM queueing_ticket WHERE number = ?", ticket.number) == [(1,)]
    kiosk.outbox.close()


def test_a_resident_keeps_being_served_while_the_service_goes_off_and_on(
        real: RealCentral, tmp_path: Path) -> None:
    """A scripted resident takes tickets and books while the service is switched off and on
    and the connector's threads sync, drain and beat in the background. Afterwards every
    ticket is on the server exactly once, and every booking the kiosk showed exists there,
    and no other booking was made for these phones."""
    kiosk = connector(real, tmp_path / "kiosk", ticket_prefix="K7", drain_interval_s=0.5,
                      sync_interval_s=1.0, heartbeat_interval_s=1.0)
    kiosk.start()
    rng = random.Random(int(os.environ.get("RESIDENT_SEED", "5")))
    tickets, bookings, phones = [], [], []
    offline_bookings = 0
    try:
        for step in range(36):
            if step % 9 == 8:
                (real.stop if real.proc is not None else real.start)()
            if rng.random() < 0.6:
                tickets.append(kiosk.desk.take_ticket("legal-aid", rng.choice(["none", "elderly"])))
                continue
            phone = f"136{rng.randrange(10**8):08d}"
            phones.append(phone)
            try:
                slot = next(s for s in kiosk.desk.slots("mediation") if s.free)
                bookings.append(kiosk.desk.book(slot.id, "mediation", phone))
            except DeskUnavailable:
                offline_bookings += 1  # the screen says plainly: cannot book now
            except SlotFull:
                pass
        if real.proc is None:
            real.start()
        deadline = time.monotonic() + 60
        while kiosk.outbox.counts()["pending"] and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        kiosk.stop(timeout=15)
    assert any(t.provisional for t in tickets) and any(not t.provisional for t in tickets)
    assert offline_bookings > 0 and bookings
    for ticket in tickets:
        column, value = ("number", ticket.number) if ticket.provisional else ("public_id", ticket.id)
        assert real.sql(f"SELECT COUNT(*) FROM queueing_ticket WHERE {column} = ?", value) == [(1,)], ticket
    shown = sorted(b.code for b in bookings)
    marks = ",".join("?" * len(phones))
    made = sorted(c for (c,) in real.sql(f"SELECT code FROM booking_booking WHERE phone IN ({marks})", *phones))
    assert made == shown
    print(f"{len(tickets)} tickets ({sum(t.provisional for t in tickets)} provisional), {len(bookings)} bookings, "
          f"{offline_bookings} refused while offline")
