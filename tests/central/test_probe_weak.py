"""Issue 14, the probe's weak spots in the central service, over real HTTP on SQLite and
PostgreSQL (tests/central/conftest.py servers)."""

from __future__ import annotations

import datetime as dt

import requests

from central.testing.servers import CentralServer


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
