"""Races through real HTTP against gunicorn: the database keeps capacity and numbering."""

from __future__ import annotations

import threading
import uuid
from collections import Counter

import requests

from tests.central.conftest import Api
from tests.central.helpers import fresh_slot, phone, set_slot

CLIENTS = 200


def _race(api: Api, path: str, bodies: list[dict[str, object]], key: str | None = None) -> list[requests.Response]:
    """Every client opens its own connection, waits at the barrier, then posts at once."""
    barrier = threading.Barrier(len(bodies))
    answers: list[requests.Response | None] = [None] * len(bodies)
    token = api.token

    def client(i: int) -> None:
        with requests.Session() as session:
            session.headers["Authorization"] = f"Bearer {token}"
            session.get(api.base + "/healthz", timeout=60)  # connect before the start line
            barrier.wait()
            answers[i] = session.post(api.base + path, json=bodies[i], timeout=120,
                                      headers={"Idempotency-Key": key or str(uuid.uuid4())})

    threads = [threading.Thread(target=client, args=(i,)) for i in range(len(bodies))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(a is not None for a in answers)
    return [a for a in answers if a is not None]


def test_200_clients_race_for_capacity_3(api: Api) -> None:
    slot = fresh_slot(api)
    set_slot(api, slot["id"], capacity=3)
    bodies: list[dict[str, object]] = [{"slot": slot["id"], "service": "consultation", "phone": phone()}
                                       for _ in range(CLIENTS)]
    answers = _race(api, "/api/v1/bookings", bodies)
    statuses = Counter(a.status_code for a in answers)
    assert statuses[201] == 3, statuses
    assert set(statuses) <= {201, 409, 503}, statuses  # 503 = busy, retry later (never a 500)
    assert all(a.json()["error"] == "slot_full" for a in answers if a.status_code == 409)
    codes = {a.json()["code"] for a in answers if a.status_code == 201}
    assert len(codes) == 3
    booked = {s["id"]: s["booked"] for s in api.get("/api/v1/slots?service=consultation").json()}
    assert booked[slot["id"]] == 3
    count = api.server.django(
        f"from central.booking.models import Booking; print(Booking.objects.filter(slot_id={slot['id']}).count())")
    assert int(count.strip().splitlines()[-1]) == 3


def test_concurrent_tickets_get_distinct_consecutive_numbers(api: Api) -> None:
    answers = _race(api, "/api/v1/tickets", [{"service": "legal-aid"} for _ in range(60)])
    assert all(a.status_code == 201 for a in answers), Counter(a.status_code for a in answers)
    numbers = sorted(int(a.json()["number"][1:]) for a in answers)
    assert numbers == list(range(numbers[0], numbers[0] + 60))


def test_retries_racing_with_one_key_make_one_ticket(api: Api) -> None:
    key = str(uuid.uuid4())
    answers = _race(api, "/api/v1/tickets", [{"service": "notarization"} for _ in range(20)], key=key)
    assert {a.status_code for a in answers} == {201}
    assert len({a.json()["id"] for a in answers}) == 1, "every retry got the first answer"
    following = api.post("/api/v1/tickets", {"service": "notarization"}).json()
    assert int(following["number"][1:]) == int(answers[0].json()["number"][1:]) + 1
