"""Issue 14, the probe's weak spots in the central service, over real HTTP on SQLite and
PostgreSQL (tests/central/conftest.py servers)."""

from __future__ import annotations

import datetime as dt

import requests

from central.testing.servers import CentralServer
from tests.central.conftest import Api


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
