"""The kiosk's services layer (build_services, as `kiosk run` builds it) against the real
central service on loopback with a fresh SQLite database, while the service is stopped and
started again twice: a scripted resident finds flows, answers them, takes tickets, books and
prints; the connector's threads sync, drain and beat in the background. Afterwards every
ticket and every queued event is on the server exactly once, every booking the kiosk showed
exists there and no other, and new signed content was applied only at an idle.
Skipped, with the reason, when the `central` extra is not installed."""

from __future__ import annotations

import collections
import datetime as dt
import json
import os
import random
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.bootstrap import Services, build_services
from kiosk.config import load_config
from kiosk.devices.fakes import FakePrinter
from kiosk.flows.scenarios import run_scenario
from kiosk.ports import DeskUnavailable, PrintResult, SlotFull, Ticket
from kiosk.slips.data import TicketData
from tests.conftest import CONTENT, LOCALITY, REPO
from tests.connector.real_central import RealCentral, missing

pytestmark = pytest.mark.skipif(missing() is not None, reason=missing() or "")

SEARCHES = ["老板不给工钱", "离婚孩子归谁", "交通事故赔偿", "免费律师"]


@pytest.fixture
def real(tmp_path: Path) -> Iterator[RealCentral]:
    server = RealCentral(tmp_path / "central").setup()
    server.start()
    yield server
    server.cleanup()


def kiosk_services(real: RealCentral, tmp_path: Path, printer: FakePrinter) -> Services:
    real.use_ticket_prefix("K8")
    config = tmp_path / "kiosk.toml"
    config.write_text(
        '[kiosk]\nid = "wired"\nlocales = ["zh-CN", "en"]\n'
        f'[content]\npath = "{CONTENT}"\nlocality = "{LOCALITY}"\nstate_dir = "{tmp_path / "var"}"\n'
        '[central]\nticket_prefix = "K8"\nretries = 0\nconnect_timeout_s = 1\nread_timeout_s = 5\n'
        'drain_interval_s = 0.5\nsync_interval_s = 1\nheartbeat_interval_s = 1\n'
        'outbox_base_s = 0.2\noutbox_cap_s = 1\n', encoding="utf-8")
    env = {"KIOSK_CENTRAL_URL": real.url, "KIOSK_TOKEN": real.demo["kiosk_token"],
           "KIOSK_TUF_ROOT": real.root_path}
    return build_services(load_config(config, env=env), env=env, printer=printer)


def wait_for(what: Any, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not what():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def resident_answers_a_flow(services: Services, words: str) -> str:
    """Search in the resident's own words, then answer the found flow to its outcome."""
    hits = services.search().search(words, top=1, locale="zh-CN")
    assert hits, words
    flow_id = hits[0].flow
    flow = services.bundle.flows[flow_id]
    result = run_scenario(services.bundle, flow_id, flow.scenarios[0])
    assert result.ok, result.message
    return flow_id


def print_ticket(services: Services, ticket: Ticket) -> bool:
    data = TicketData(office="demo", service=ticket.service, number=ticket.number, issued_at=ticket.issued_at,
                      qr="https://example.gov.cn", provisional=ticket.provisional)
    return services.printing.print(data, "zh-CN").printed


def test_a_resident_is_served_while_the_central_service_goes_off_and_on_twice(
        real: RealCentral, tmp_path: Path) -> None:
    printer = FakePrinter()
    services = kiosk_services(real, tmp_path, printer)
    assert services.desk_kind == "central" and services.central is not None
    link = services.central
    outbox = link.connector.outbox
    state = {"now": "attract"}
    services.start_background(lambda: state["now"])
    rng = random.Random(int(os.environ.get("RESIDENT_SEED", "8")))
    tickets: list[Ticket] = []
    bookings, phones, usage = [], [], []
    offline_bookings = 0
    versions_in_session: list[str] = []
    reported: set[str] = {link.content_version()}
    switched: list[tuple[int, str]] = []
    edited = tmp_path / "content"
    try:
        # The first verified bundle arrives from the service and is applied at an idle.
        wait_for(lambda: link.pending is not None)
        for visit in range(12):
            if visit in (3, 8):
                real.stop()
            elif visit in (5, 10):
                real.start()
            if visit == 6:  # the bureau publishes an edit while kiosks are in use
                shutil.copytree(REPO / "content", edited)
                flow = edited / "flows" / "divorce.yaml"
                flow.write_text(flow.read_text(encoding="utf-8") + "\n# county edit\n", encoding="utf-8")
                real.import_content(edited)
                real.publish()
            if visit == 7:  # the kiosk has verified and prepared it in the background meanwhile
                wait_for(lambda: link.pending is not None)
            state["now"] = "in_session"
            started_on = services.bundle.version
            resident_answers_a_flow(services, SEARCHES[visit % len(SEARCHES)])
            ticket = services.desk.take_ticket("legal-aid", rng.choice(["none", "elderly"]))
            tickets.append(ticket)
            if visit == 4:  # offline, the printer runs out of paper mid-visit
                printer.result = PrintResult(printed=False, fault="paper_out")
            assert print_ticket(services, ticket) == (visit != 4)
            printer.result = PrintResult(printed=True)
            phone = f"135{rng.randrange(10**8):08d}"
            phones.append(phone)
            try:
                slot = next(s for s in services.desk.slots("mediation") if s.free)
                bookings.append(services.desk.book(slot.id, "mediation", phone))
            except DeskUnavailable:
                offline_bookings += 1  # the screen says plainly: it cannot be booked now
            except SlotFull:
                pass
            usage.append(link.connector.health.event("usage", {"visit": visit}))
            versions_in_session.append(started_on)
            reported.add(link.content_version())
            assert services.bundle.version == started_on  # never swapped under a resident
            state["now"] = "attract"
            applied = services.apply_pending_content()  # the idle wipe
            if applied is not None:
                switched.append((visit, applied))
        wait_for(lambda: outbox.counts()["pending"] == 0)
        status = link.status()
        wait_for(lambda: real.sql("SELECT last_heartbeat FROM fleet_kiosk WHERE last_heartbeat IS NOT NULL"))
    finally:
        services.stop_background()

    # Flows, tickets and bookings went on; both kinds of ticket and of booking answer were seen.
    provisional = [t for t in tickets if t.provisional]
    assert provisional and len(provisional) < len(tickets)
    assert all(t.number.startswith("K8-") for t in provisional)
    assert offline_bookings > 0 and bookings
    for ticket in tickets:
        column, value = ("number", ticket.number) if ticket.provisional else ("public_id", ticket.id)
        assert real.sql(f"SELECT COUNT(*) FROM queueing_ticket WHERE {column} = ?", value) == [(1,)], ticket
    marks = ",".join("?" * len(phones))
    made = sorted(c for (c,) in real.sql(f"SELECT code FROM booking_booking WHERE phone IN ({marks})", *phones))
    assert made == sorted(b.code for b in bookings)
    # Every queued event exactly once: one usage per visit, one paper_out for the one change.
    events = collections.Counter(
        (kind, json.dumps(json.loads(detail), sort_keys=True)) if kind == "usage" else (kind, "")
        for kind, detail in real.sql("SELECT kind, detail FROM fleet_kioskevent"))
    assert {k: n for k, n in events.items() if k[0] == "usage"} == {
        ("usage", json.dumps({"visit": v})): 1 for v in range(12)}
    assert events[("paper_out", "")] == 1
    assert status["reachable"] and status["pending"] == 0 and status["failed"] == 0
    # Content: the first signed bundle at the first idle, the county's edit at a later idle.
    assert [v for v, _ in switched] == [0, 7]
    assert "county edit" in (tmp_path / "var" / "bundles" / "current" / "flows" / "divorce.yaml").read_text()
    assert len(set(versions_in_session)) == 3
    [(state_seen, version_seen)] = real.sql("SELECT state, content_version FROM fleet_kiosk WHERE code = ?",
                                            real.demo["kiosk_id"])
    assert state_seen in ("attract", "in_session") and version_seen in reported
    assert link.content_version().startswith("v2 (")
    print(f"{len(tickets)} tickets ({len(provisional)} provisional), {len(bookings)} bookings, "
          f"{offline_bookings} refused while offline; content switched at visits {[v for v, _ in switched]}; "
          f"at {dt.datetime.now():%H:%M:%S}")
