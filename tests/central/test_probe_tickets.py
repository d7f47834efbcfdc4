"""Issue 14, V1: offline ticket numbers (`local_number`) a kiosk reports, over real HTTP on
SQLite and PostgreSQL. The probe took server numbers, reached another kiosk's ticket and
jumped the queue with an old `issued_at`."""

from __future__ import annotations

import datetime as dt
import json

from tests.central.conftest import Api
from tests.central.helpers import other_kiosk


def _number(api: Api, service: str) -> tuple[str, int]:
    made = api.post("/api/v1/tickets", {"service": service})
    assert made.status_code == 201, made.text
    number = made.json()["number"]
    return number[0], int(number[1:])


def test_v1_a_server_number_as_local_number_is_refused_and_normal_tickets_go_on(api: Api) -> None:
    letter, last = _number(api, "consultation")
    stolen = f"{letter}{last + 1:03d}"
    claimed = api.post("/api/v1/tickets", {"service": "consultation", "local_number": stolen})
    assert claimed.status_code == 422, claimed.text
    assert claimed.json()["error"] == "bad_local_number"
    assert "K1-001" in claimed.json()["detail"]
    after = api.post("/api/v1/tickets", {"service": "consultation"})
    assert after.status_code == 201, after.text  # main: 409 duplicate_number all day
    assert after.json()["number"] == stolen


def test_v1_server_numbers_skip_a_number_already_taken(api: Api) -> None:
    letter, last = _number(api, "notarization")
    taken = f"{letter}{last + 1:03d}"
    # A number stored before the rule (an old offline report): the sequence must step over it.
    api.server.django(
        "import secrets; from django.utils import timezone; from central.queueing.models import Ticket; "
        "t = Ticket.objects.filter(service__slug='notarization').order_by('-pk').first(); "
        f"Ticket.objects.create(public_id=secrets.token_urlsafe(9), office=t.office, service=t.service, "
        f"day=t.day, number={taken!r}, issued_at=timezone.now(), provisional=True)")
    after = api.post("/api/v1/tickets", {"service": "notarization"})
    assert after.status_code == 201, after.text
    assert after.json()["number"] == f"{letter}{last + 2:03d}"


def test_v1_a_kiosk_cannot_reach_another_kiosks_ticket(api: Api) -> None:
    other = other_kiosk(api, "probe-other", "K9")
    now = dt.datetime.now(dt.UTC).isoformat()
    theirs = other.post("/api/v1/tickets", {"service": "mediation", "local_number": "K9-001", "issued_at": now})
    assert theirs.status_code == 201, theirs.text
    mine = api.post("/api/v1/tickets", {"service": "mediation", "local_number": "K9-001", "issued_at": now})
    assert mine.status_code == 422 and mine.json()["error"] == "bad_local_number", mine.text
    assert theirs.json()["id"] not in mine.text
    # Its own report, sent again under a new key, is the same ticket (looked up by kiosk).
    again = other.post("/api/v1/tickets", {"service": "mediation", "local_number": "K9-001", "issued_at": now})
    assert again.status_code == 201 and again.json()["id"] == theirs.json()["id"]
    for bad in ("A001", "K9-0001", "K9-01", "K91-001", "k9-001"):
        refused = other.post("/api/v1/tickets", {"service": "mediation", "local_number": bad})
        assert refused.status_code == 422, (bad, refused.text)


def test_v1_issued_at_must_be_recent(api: Api) -> None:
    now = dt.datetime.now(dt.UTC)
    for when in (now - dt.timedelta(days=3), now - dt.timedelta(hours=25), now + dt.timedelta(minutes=30)):
        refused = api.post("/api/v1/tickets", {"service": "consultation", "local_number": "K1-801",
                                                "issued_at": when.isoformat()})
        assert refused.status_code == 422, (when, refused.text)
        assert refused.json()["error"] == "bad_issued_at"
    early = now - dt.timedelta(hours=1)
    kept = api.post("/api/v1/tickets", {"service": "consultation", "local_number": "K1-802",
                                         "issued_at": early.isoformat()})
    assert kept.status_code == 201, kept.text
    assert json.loads(kept.text)["number"] == "K1-802"
