"""The kiosk API through real HTTP against `central serve`, on SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import requests

from tests.central.conftest import Api
from tests.central.helpers import fresh_slot, phone, set_slot


def test_missing_or_wrong_token_is_401_json(api: Api) -> None:
    bare = requests.get(api.base + "/api/v1/services", timeout=10)
    assert bare.status_code == 401 and bare.json()["error"] == "unauthorized"
    wrong = Api(api.server, token="not-a-token")
    assert wrong.get("/api/v1/slots?service=consultation").status_code == 401
    posted = wrong.post("/api/v1/tickets", {"service": "consultation"})
    assert posted.status_code == 401 and posted.json()["error"] == "unauthorized"


def test_post_without_idempotency_key_is_refused(api: Api) -> None:
    response = api.session.post(api.base + "/api/v1/tickets", json={"service": "consultation"}, timeout=10)
    assert response.status_code == 400
    assert response.json()["error"] == "idempotency_key_required"


def test_services_and_slots(api: Api) -> None:
    services = {s["id"]: s for s in api.get("/api/v1/services").json()}
    assert services["consultation"]["name"] == {"zh-CN": "法律咨询", "en": "Legal consultation"}
    assert services["consultation"]["prefix"] == "A" and services["consultation"]["bookable"]
    slots = api.get("/api/v1/slots?service=consultation").json()
    assert slots, "the demo plans give slots in the coming days"
    first = slots[0]
    assert set(first) >= {"id", "service", "start", "end", "capacity", "booked"}
    start = dt.datetime.fromisoformat(first["start"])
    assert start.utcoffset() == dt.timedelta(hours=8)
    assert start > dt.datetime.now(dt.UTC)
    day = start.date().isoformat()
    that_day = api.get(f"/api/v1/slots?service=consultation&date={day}").json()
    assert that_day and all(s["start"].startswith(day) for s in that_day)
    assert api.get("/api/v1/slots?service=consultation&date=2026-13-45").status_code == 422
    unknown = api.get("/api/v1/slots?service=no-such-service")
    assert unknown.status_code == 404 and unknown.json()["error"] == "unknown_service"


def test_book_then_cancel_frees_the_place(api: Api) -> None:
    slot = fresh_slot(api)
    number = phone()
    made = api.post("/api/v1/bookings", {"slot": slot["id"], "service": "consultation", "phone": number})
    assert made.status_code == 201, made.text
    booking = made.json()
    assert booking["status"] == "booked" and len(booking["code"]) == 8
    assert booking["phone_masked"] == f"{number[:3]}****{number[-4:]}"
    page = requests.get(f"{api.base}/b/{booking['code']}", timeout=10)
    assert page.status_code == 200 and booking["code"] in page.text
    assert number not in page.text and booking["phone_masked"] in page.text
    booked = {s["id"]: s["booked"] for s in api.get("/api/v1/slots?service=consultation").json()}
    assert booked[slot["id"]] == 1
    cancelled = api.post(f"/api/v1/bookings/{booking['code']}/cancel", {})
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    booked = {s["id"]: s["booked"] for s in api.get("/api/v1/slots?service=consultation").json()}
    assert booked[slot["id"]] == 0
    unknown = api.post("/api/v1/bookings/ZZZZZZZZ/cancel", {})
    assert unknown.status_code == 404 and unknown.json()["error"] == "unknown_code"


def test_booking_refusals(api: Api) -> None:
    slot = fresh_slot(api)
    bad = api.post("/api/v1/bookings", {"slot": slot["id"], "service": "consultation", "phone": "12345"})
    assert bad.status_code == 422 and bad.json()["error"] == "bad_phone"
    set_slot(api, slot["id"], capacity=1)
    first = api.post("/api/v1/bookings", {"slot": slot["id"], "service": "consultation", "phone": phone()})
    assert first.status_code == 201
    full = api.post("/api/v1/bookings", {"slot": slot["id"], "service": "consultation", "phone": phone()})
    assert full.status_code == 409 and full.json()["error"] == "slot_full"
    # The per-phone limit (2 a day): a third booking the same day is refused.
    same = phone()
    slots = [fresh_slot(api) for _ in range(3)]
    day = {s["start"][:10] for s in slots}
    if len(day) == 1:
        answers = [api.post("/api/v1/bookings", {"slot": s["id"], "service": "consultation", "phone": same})
                   for s in slots]
        assert [a.status_code for a in answers] == [201, 201, 409]
        assert answers[2].json()["error"] == "phone_limit"
    past = fresh_slot(api)
    set_slot(api, past["id"], start="timezone.now() - dt.timedelta(hours=1)")
    late = api.post("/api/v1/bookings", {"slot": past["id"], "service": "consultation", "phone": phone()})
    assert late.status_code == 422 and late.json()["error"] == "slot_past"


def test_check_in_gives_an_appointment_ticket_within_the_window(api: Api) -> None:
    soon, later = fresh_slot(api), fresh_slot(api)
    codes = []
    for slot in (soon, later):
        made = api.post("/api/v1/bookings", {"slot": slot["id"], "service": "consultation", "phone": phone()})
        assert made.status_code == 201
        codes.append(made.json()["code"])
    set_slot(api, soon["id"], start="timezone.now() + dt.timedelta(minutes=10)",
             end="timezone.now() + dt.timedelta(minutes=40)")
    set_slot(api, later["id"], start="timezone.now() + dt.timedelta(days=2)")
    ticket = api.post(f"/api/v1/bookings/{codes[0]}/checkin", {})
    assert ticket.status_code == 201, ticket.text
    assert ticket.json()["priority"] == "appointment" and ticket.json()["number"].startswith("A")
    again = api.post(f"/api/v1/bookings/{codes[0]}/checkin", {})
    assert again.status_code == 409
    early = api.post(f"/api/v1/bookings/{codes[1]}/checkin", {})
    assert early.status_code == 409 and early.json()["error"] == "checkin_window"


def test_tickets_priority_and_public_page(api: Api) -> None:
    plain = api.post("/api/v1/tickets", {"service": "mediation"}).json()
    elder = api.post("/api/v1/tickets", {"service": "mediation", "priority": "elderly"}).json()
    assert plain["number"].startswith("B") and elder["number"].startswith("B")
    assert int(elder["number"][1:]) == int(plain["number"][1:]) + 1
    assert elder["people_ahead"] < api.get(f"/api/v1/tickets/{plain['id']}").json()["people_ahead"] + 1
    fetched = api.get(f"/api/v1/tickets/{plain['id']}").json()
    assert fetched["status"] == "waiting" and fetched["people_ahead"] >= elder["people_ahead"] + 1
    assert fetched["wait_minutes"] >= 10 * fetched["people_ahead"] - 1
    page = requests.get(plain["url"], timeout=10)
    assert page.status_code == 200 and plain["number"] in page.text
    assert api.get("/api/v1/tickets/nope").status_code == 404
    offline = api.post("/api/v1/tickets", {"service": "mediation", "local_number": "K1-007",
                                           "issued_at": dt.datetime.now(dt.UTC).isoformat()})
    assert offline.status_code == 201 and offline.json()["number"] == "K1-007"


def test_idempotent_replay_same_answer_once(api: Api) -> None:
    key = str(uuid.uuid4())
    body = {"service": "notarization"}
    first = api.post("/api/v1/tickets", body, key=key)
    second = api.post("/api/v1/tickets", body, key=key)
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert second.headers.get("Idempotent-Replayed") == "true"
    after = api.post("/api/v1/tickets", body).json()
    assert int(after["number"][1:]) == int(first.json()["number"][1:]) + 1, "the replay made no ticket"
    reused = api.post("/api/v1/tickets", {"service": "mediation"}, key=key)
    assert reused.status_code == 409 and reused.json()["error"] == "idempotency_key_reused"
    # A refusal is replayed as well, with its status.
    bad_key = str(uuid.uuid4())
    refused = [api.post("/api/v1/bookings", {"slot": "1", "service": "consultation", "phone": "1"}, key=bad_key)
               for _ in range(2)]
    assert refused[0].status_code == refused[1].status_code == 422
    assert refused[0].content == refused[1].content


def test_keys_are_per_kiosk_and_revoked_tokens_fail(api: Api) -> None:
    token = api.server.django(
        "from central.fleet.models import Kiosk; k = Kiosk.objects.get(code='demo-kiosk-1'); "
        "o = Kiosk.objects.create(code='test-kiosk-' + __import__('uuid').uuid4().hex[:6], county=k.county, "
        "office=k.office); t = o.issue_token(); o.save(); print(o.code, t)").split()
    other = Api(api.server, token=token[1])
    key = str(uuid.uuid4())
    mine = api.post("/api/v1/tickets", {"service": "consultation"}, key=key).json()
    theirs = other.post("/api/v1/tickets", {"service": "consultation"}, key=key).json()
    assert mine["id"] != theirs["id"]
    api.server.django(f"from central.fleet.models import Kiosk; k = Kiosk.objects.get(code='{token[0]}'); "
                      "k.revoke(); k.save()")
    assert other.get("/api/v1/services").status_code == 401


def test_heartbeat_and_events(api: Api) -> None:
    beat = api.post("/api/v1/heartbeat", {
        "state": "idle", "content_version": "2026.11.1+abc", "app_version": "0.1.0",
        "printer": {"status": "ok", "paper": "near_end"}, "mic": True, "speaker": True,
        "speech_model": "vosk-small-cn", "disk_free_mb": 5120, "uptime_s": 3600,
        "clock": dt.datetime.now(dt.UTC).isoformat()})
    assert beat.status_code == 200
    assert beat.json()["poll_interval"] > 0
    assert abs(dt.datetime.fromisoformat(beat.json()["server_time"]) - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=1)
    event = api.post("/api/v1/events", {"kind": "paper_out", "at": dt.datetime.now(dt.UTC).isoformat(),
                                        "detail": {"printer": "main"}})
    assert event.status_code == 201 and event.json()["id"]
    state = json.loads(api.server.django(
        "import json; from central.fleet.models import Kiosk; k = Kiosk.objects.get(code='demo-kiosk-1'); "
        "print(json.dumps({'paper': k.paper, 'version': k.content_version, "
        "'beat': k.last_heartbeat is not None, 'events': k.events.count()}))"))
    assert state["paper"] == "out" and state["version"] == "2026.11.1+abc" and state["beat"]
    assert state["events"] >= 1
    bad = api.post("/api/v1/events", {"kind": "printer_on_fire", "at": "now"})
    assert bad.status_code == 422 and bad.json()["error"] == "invalid"


def test_bad_input_is_a_4xx_json_error(api: Api) -> None:
    raw = api.session.post(api.base + "/api/v1/tickets", data=b"{not json",
                           headers={"Idempotency-Key": str(uuid.uuid4()), "Content-Type": "application/json"},
                           timeout=10)
    assert raw.status_code == 422 and raw.json()["error"] == "invalid"
    for body in ([1, 2], {"slot": 10**30, "service": "consultation", "phone": phone()},
                 {"slot": "abc", "service": "consultation", "phone": phone()}, {"service": "x" * 5000}):
        response = api.post("/api/v1/bookings", body)
        assert 400 <= response.status_code < 500, (body, response.status_code, response.text)
        assert "error" in response.json()


def test_nul_characters_are_bad_input_not_a_crash(api: Api) -> None:
    assert api.get("/api/v1/slots?service=%00").status_code == 422
    body = api.post("/api/v1/events", {"kind": "usage", "at": dt.datetime.now(dt.UTC).isoformat(),
                                       "detail": {"note": "a\u0000b"}})
    assert body.status_code == 422 and body.json()["error"] == "invalid"
    assert requests.get(f"{api.base}/q/abc%00def", timeout=10).status_code == 400


def test_impossible_times_are_bad_input(api: Api) -> None:
    for at in ("2000-01-01T00:00:00+16:00", "0001-01-01T00:00:00-14:00", "9999-12-31T23:59:59+00:00"):
        response = api.post("/api/v1/events", {"kind": "usage", "at": at})
        assert response.status_code == 422, (at, response.status_code, response.text[:200])
    local = api.post("/api/v1/events", {"kind": "usage", "at": "2026-11-25T09:00:00"})
    assert local.status_code == 201


def test_a_request_cut_mid_body_is_neither_done_nor_remembered(api: Api) -> None:
    """GIVEN a POST whose connection drops after half its body (the kiosk was killed while
    sending), WHEN the kiosk later replays the whole request under the same key, THEN the
    server acts on the whole one: the cut copy was not run and its answer not stored."""
    import socket
    from urllib.parse import urlsplit

    key = str(uuid.uuid4())
    body = json.dumps({"service": "consultation", "priority": "none"}).encode()
    url = urlsplit(api.base)
    head = (f"POST /api/v1/tickets HTTP/1.1\r\nHost: {url.netloc}\r\n"
            f"Authorization: Bearer {api.token}\r\nIdempotency-Key: {key}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n").encode()
    with socket.create_connection((url.hostname, url.port), timeout=10) as raw:
        raw.sendall(head + body[: len(body) // 2])
        raw.shutdown(socket.SHUT_WR)
        raw.settimeout(10)
        try:
            answer = raw.recv(4096)
        except (ConnectionResetError, TimeoutError):
            answer = b""
    assert b" 201 " not in answer.split(b"\r\n", 1)[0], answer[:200]
    whole = api.post("/api/v1/tickets", {"service": "consultation", "priority": "none"}, key=key)
    assert whole.status_code == 201, whole.text
    again = api.post("/api/v1/tickets", {"service": "consultation", "priority": "none"}, key=key)
    assert again.status_code == 201 and again.json()["number"] == whole.json()["number"]
