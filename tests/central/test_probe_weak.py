"""Issue 14, the probe's weak spots in the central service, over real HTTP on SQLite and
PostgreSQL (tests/central/conftest.py servers)."""

from __future__ import annotations

import ast
import datetime as dt
import hashlib
import json
import re
import uuid

import requests

from central.testing.servers import CentralServer
from tests.central.conftest import Api
from tests.central.helpers import fresh_slot, other_kiosk, phone, set_slot


def _admin_login(server: CentralServer) -> requests.Response:
    session = requests.Session()
    session.get(f"{server.url}/admin/login/", timeout=30)
    data = {"username": "admin", "password": server.demo["admin_password"],
            "csrfmiddlewaretoken": session.cookies["csrftoken"], "next": "/admin/"}
    return session.post(f"{server.url}/admin/login/?next=/admin/", data=data, allow_redirects=False,
                        timeout=60)


def test_weak_staff_sessions_end_with_the_browser_and_after_an_idle_hour(server: CentralServer) -> None:
    answer = _admin_login(server)
    assert answer.status_code == 302, answer.text[:300]
    cookie = next(c for c in answer.raw.headers.getlist("Set-Cookie") if c.startswith("sessionid="))
    assert "expires" not in cookie.lower() and "max-age" not in cookie.lower(), cookie
    key = answer.cookies["sessionid"]
    stored = server.django("from django.contrib.sessions.models import Session; "
                           f"print(Session.objects.get(session_key={key!r}).expire_date.isoformat())")
    expires = dt.datetime.fromisoformat(stored.strip().splitlines()[-1])
    assert expires <= dt.datetime.now(dt.UTC) + dt.timedelta(minutes=61), expires


def test_weak_errors_under_api_are_json(api: Api) -> None:
    answers = {
        "unknown path": api.get("/api/v1/no-such-thing"),
        "unknown version": api.get("/api/v9/services"),
        "wrong method": api.session.put(api.base + "/api/v1/tickets", json={}, timeout=30),
        "wrong method (delete)": api.session.delete(api.base + "/api/v1/services", timeout=30),
        "too large": api.post("/api/v1/events", {"kind": "usage", "at": "2026-01-01T00:00:00+08:00",
                                                 "detail": {"x": "y" * 3_000_000}}),
    }
    expected = {"unknown path": 404, "unknown version": 404, "wrong method": 405,
                "wrong method (delete)": 405, "too large": 413}
    for what, answer in answers.items():
        assert answer.status_code == expected[what], (what, answer.status_code, answer.text[:200])
        assert answer.headers["Content-Type"].startswith("application/json"), (what, answer.text[:200])
        assert answer.json()["error"] in ("not_found", "method_not_allowed", "too_large"), what
    assert "POST" in answers["wrong method"].headers.get("Allow", "")


def _forget_guesses(server: CentralServer) -> None:
    server.django("from central.org.models import GuessCount; GuessCount.objects.all().delete()")


def test_weak_guessing_booking_codes_by_kiosk_is_slowed(api: Api) -> None:
    guesser = other_kiosk(api, "probe-guesser", "K8")
    try:
        for n in range(20):
            missed = guesser.post(f"/api/v1/bookings/ZQ{n:06d}/cancel", {})
            assert missed.status_code == 404 and missed.json()["error"] == "unknown_code", missed.text
        for path in ("/api/v1/bookings/ZQ999999/cancel", "/api/v1/bookings/ZQ999999/checkin"):
            refused = guesser.post(path, {})
            assert refused.status_code == 429, (path, refused.status_code, refused.text[:200])
            assert refused.json()["error"] == "too_many_guesses"
            assert 0 < int(refused.headers["Retry-After"]) <= 600
        # Another kiosk is not slowed, and a real booking is still cancelled.
        slot = fresh_slot(api)
        made = api.post("/api/v1/bookings", {"slot": slot["id"], "service": "consultation", "phone": phone()})
        assert made.status_code == 201, made.text
        done = api.post(f"/api/v1/bookings/{made.json()['code']}/cancel", {})
        assert done.status_code == 200, done.text
    finally:
        _forget_guesses(api.server)


def test_weak_guessing_on_the_phone_pages_is_slowed(server: CentralServer) -> None:
    try:
        for n in range(20):
            assert requests.get(f"{server.url}/b/ZP{n:06d}", timeout=30).status_code == 404
        for path in ("/b/ZP999999", "/q/nosuchticket"):
            refused = requests.get(server.url + path, timeout=30)
            assert refused.status_code == 429, (path, refused.status_code)
            assert int(refused.headers["Retry-After"]) > 0
    finally:
        _forget_guesses(server)


KIOSK_BEAT = {"state": "attract", "content_version": "7", "app_version": "0.1.0",
              "printer": {"status": "ok", "paper": "ok"}, "mic": "ok",
              "speaker": "unavailable: no audio device", "speech_model": "ok", "disk_free_mb": 51234,
              "uptime_s": 3600, "clock": "2026-12-06T10:00:00+08:00"}


def test_weak_heartbeat_and_event_fields_are_typed_and_bounded(api: Api) -> None:
    assert api.post("/api/v1/heartbeat", KIOSK_BEAT).status_code == 200, "what a kiosk sends still goes"
    at = dt.datetime.now(dt.UTC).isoformat()
    ok = api.post("/api/v1/events", {"kind": "paper_out", "at": at, "detail": {"detail": "paper_out"}})
    assert ok.status_code == 201, ok.text
    ok = api.post("/api/v1/events", {"kind": "usage", "at": at,
                                     "detail": {"flow": "divorce", "seconds": 42.5, "steps": [1, 2, 3]}})
    assert ok.status_code == 201, ok.text
    refused_beats = [
        {**KIOSK_BEAT, "mic": {"name": "张三", "phone": "13800138000"}},
        {**KIOSK_BEAT, "speaker": ["张三", "13800138000"]},
        {**KIOSK_BEAT, "disk_free_mb": 1e300},
    ]
    for body in refused_beats:
        answer = api.post("/api/v1/heartbeat", body)
        assert answer.status_code == 422, (body, answer.status_code)
        assert answer.json()["error"] == "invalid"
    refused_details = [
        {"resident": {"name": "张三", "id": "110101199003077777"}},
        {f"k{n}": n for n in range(100)},
        {"list": list(range(500))},
        {"bad key!": 1},
    ]
    for detail in refused_details:
        answer = api.post("/api/v1/events", {"kind": "usage", "at": at, "detail": detail})
        assert answer.status_code == 422, (str(detail)[:80], answer.status_code)
    # Texts are kept but cut short, without phone or ID numbers (a TUF error quoting a hash
    # must not be lost in the kiosk's outbox).
    cleaned = api.post("/api/v1/heartbeat", {**KIOSK_BEAT, "speaker": "call 138 0013 8000 " + "x" * 5000})
    assert cleaned.status_code == 200, cleaned.text
    event = api.post("/api/v1/events", {"kind": "usage", "at": at, "detail": {"id": "11010119900307777X"}})
    assert event.status_code == 201, event.text
    stored = api.server.django(
        "from central.fleet.models import Kiosk, KioskEvent; import json; "
        "k = Kiosk.objects.order_by('pk').first(); "
        f"print(json.dumps([k.health, KioskEvent.objects.get(pk={event.json()['id']}).detail]))")
    health, detail = json.loads(stored.strip().splitlines()[-1])
    assert health["speaker"].startswith("call [number removed]") and len(health["speaker"]) <= 160
    assert detail == {"id": "[number removed]X"}


def _booking_phone(server: CentralServer, code: str) -> str:
    out = server.django("from central.booking.models import Booking; "
                        f"print(repr(Booking.objects.get(code={code!r}).phone))")
    return str(ast.literal_eval(out.strip().splitlines()[-1]))


def test_weak_phone_numbers_not_recoverable_and_removed_after_the_keep_days(api: Api) -> None:
    old_slot, new_slot = fresh_slot(api), fresh_slot(api)
    number, other = phone(), phone()
    key = str(uuid.uuid4())
    body = json.dumps({"slot": old_slot["id"], "service": "consultation", "phone": number}).encode()
    made = api.session.post(api.base + "/api/v1/bookings", data=body, timeout=60,
                            headers={"Idempotency-Key": key, "Content-Type": "application/json"})
    assert made.status_code == 201, made.text
    kept = api.post("/api/v1/bookings", {"slot": new_slot["id"], "service": "consultation", "phone": other})
    assert kept.status_code == 201, kept.text
    stored = api.server.django("from central.fleet.models import IdempotencyRecord; "
                               f"print(IdempotencyRecord.objects.get(key={key!r}).body_digest)")
    digest = stored.strip().splitlines()[-1]
    plain = hashlib.sha256(b"/api/v1/bookings\n" + body).hexdigest()
    assert digest != plain, "an unkeyed digest of the body gives the phone number back"
    # The first booking's appointment was 40 days ago: housekeeping removes its number only.
    set_slot(api, old_slot["id"], start="timezone.now() - dt.timedelta(days=40, hours=1)",
             end="timezone.now() - dt.timedelta(days=40)")
    api.server.command("housekeeping")
    assert _booking_phone(api.server, made.json()["code"]) == ""
    assert _booking_phone(api.server, kept.json()["code"]) == other


def test_weak_csp_allows_no_inline_script_and_the_board_still_has_its_script(server: CentralServer) -> None:
    office = server.django("from central.fleet.models import Kiosk; "
                           "print(Kiosk.objects.order_by('pk').first().office_id)").strip().splitlines()[-1]
    page = requests.get(f"{server.url}/board/{office}/", timeout=30)
    assert page.status_code == 200
    policy = dict(part.strip().split(" ", 1) for part in page.headers["Content-Security-Policy"].split(";"))
    assert "'unsafe-inline'" not in policy["script-src"], policy["script-src"]
    scripts = re.findall(r"<script([^>]*)>", page.text)
    assert scripts and all("src=" in attrs for attrs in scripts), scripts
    source = re.search(r'<script src="([^"]+)"', page.text)
    assert source is not None
    served = requests.get(server.url + source.group(1), timeout=30)
    assert served.status_code == 200 and "speechSynthesis" in served.text
