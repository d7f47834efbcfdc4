"""Issue 14, V3: admin login locks over real HTTP (SQLite and PostgreSQL), behind one trusted
proxy that sends X-Forwarded-For. The probe kept `admin` locked out for everyone with one try
every 14 minutes (the lock was keyed on the proxy's address and renewed by every try), and
a locked answer came back much faster than a wrong password's."""

from __future__ import annotations

import shutil
import statistics
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from central.testing.servers import CentralServer, pg_missing, start_central, start_pg

PASSWORD = "correct horse battery 42"
USERS = ["pair", "renew", "spread", "sprayed", "unlock", "slow", "fast"]
ENV = {"CENTRAL_TRUSTED_PROXIES": "1", "CENTRAL_LOGIN_FAILURES": "5", "CENTRAL_LOGIN_LOCK_S": "4",
       "CENTRAL_LOGIN_ADDRESS_FAILURES": "12", "CENTRAL_LOGIN_USER_FAILURES": "8",
       "CENTRAL_LOGIN_USER_BACKOFF_S": "3"}


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def proxied(request: pytest.FixtureRequest) -> Iterator[CentralServer]:
    """`central serve` as behind nginx (one trusted proxy), short locks, its own accounts."""
    cluster = None
    if request.param == "postgresql":
        reason = pg_missing()
        if reason:
            pytest.skip(reason)
        cluster = start_pg()
    data = Path(tempfile.mkdtemp(prefix="central-login-"))
    server = start_central(cluster.url if cluster else None, data, workers=1, threads=4, extra_env=ENV)
    try:
        server.django("from django.contrib.auth.models import User\n"
                      f"for name in {USERS!r}:\n"
                      f"    User.objects.create_superuser(name, '', {PASSWORD!r})")
        yield server
    finally:
        server.stop()
        shutil.rmtree(data, ignore_errors=True)
        if cluster is not None:
            cluster.stop()


def login(server: CentralServer, user: str, password: str, forwarded: str) -> requests.Response:
    """One try at the admin login form, arriving from the proxy for `forwarded`."""
    session = requests.Session()
    headers = {"X-Forwarded-For": forwarded}
    session.get(f"{server.url}/admin/login/", headers=headers, timeout=30)
    data = {"username": user, "password": password, "csrfmiddlewaretoken": session.cookies["csrftoken"],
            "next": "/admin/"}
    return session.post(f"{server.url}/admin/login/?next=/admin/", data=data, headers=headers,
                        allow_redirects=False, timeout=60)


def admitted(response: requests.Response) -> bool:
    return response.status_code == 302 and response.headers["Location"] == "/admin/"


def fail(server: CentralServer, user: str, address: str, times: int) -> None:
    for _ in range(times):
        assert not admitted(login(server, user, "wrong password", address))


def test_v3_a_locked_address_does_not_lock_the_account_elsewhere(proxied: CentralServer) -> None:
    fail(proxied, "pair", "203.0.113.66", 5)
    assert not admitted(login(proxied, "pair", PASSWORD, "203.0.113.66")), "that address is locked"
    # What the client puts left of the proxy's entry is not believed.
    assert not admitted(login(proxied, "pair", PASSWORD, "198.51.100.9, 203.0.113.66"))
    assert admitted(login(proxied, "pair", PASSWORD, "203.0.113.7")), "the owner elsewhere gets in"


def test_v3_tries_while_locked_neither_count_nor_renew_the_lock(proxied: CentralServer) -> None:
    fail(proxied, "renew", "203.0.113.70", 5)
    locked_at = time.monotonic()
    while time.monotonic() < locked_at + 3.0:  # an attacker keeps trying during the lock
        fail(proxied, "renew", "203.0.113.70", 1)
        time.sleep(0.3)
    time.sleep(max(0.0, locked_at + 4.5 - time.monotonic()))
    assert admitted(login(proxied, "renew", PASSWORD, "203.0.113.70")), "the lock ended on time"


def test_v3_account_backoff_is_separate_from_address_limits(proxied: CentralServer) -> None:
    for n in range(8):  # a spread-out guess: one try from each of 8 addresses
        fail(proxied, "spread", f"192.0.2.{n + 10}", 1)
    assert not admitted(login(proxied, "spread", PASSWORD, "192.0.2.99")), "the account backs off"
    time.sleep(3.5)
    assert admitted(login(proxied, "spread", PASSWORD, "192.0.2.99")), "only for a short while"
    for n in range(12):  # one address spraying many names
        fail(proxied, f"nobody{n}", "198.51.100.50", 1)
    assert not admitted(login(proxied, "sprayed", PASSWORD, "198.51.100.50")), "that address is locked"
    assert admitted(login(proxied, "sprayed", PASSWORD, "198.51.100.51"))


def test_v3_unlock_command_lifts_a_lock(proxied: CentralServer) -> None:
    fail(proxied, "unlock", "203.0.113.80", 5)
    assert not admitted(login(proxied, "unlock", PASSWORD, "203.0.113.80"))
    with pytest.raises(RuntimeError, match="--user"):
        proxied.command("unlock-login")
    out = proxied.command("unlock-login", "--user", "unlock")
    assert "lifted" in out
    assert admitted(login(proxied, "unlock", PASSWORD, "203.0.113.80"))


def test_v3_a_locked_answer_takes_as_long_as_a_wrong_password(proxied: CentralServer) -> None:
    fail(proxied, "slow", "203.0.113.90", 5)
    locked_times, wrong_times, bodies = [], [], set()
    for _ in range(4):  # interleaved, so the machine's load hits both alike
        for user, address, times in (("slow", "203.0.113.90", locked_times),
                                     ("fast", "203.0.113.91", wrong_times)):
            started = time.perf_counter()
            answer = login(proxied, user, "wrong password", address)
            times.append(time.perf_counter() - started)
            assert answer.status_code == 200
            bodies.add("errornote" in answer.text and "locked" not in answer.text.lower())
    assert bodies == {True}, "the same login form with the same error, locked or not"
    locked, wrong = statistics.median(locked_times), statistics.median(wrong_times)
    print(f"median answer: locked {locked * 1000:.0f} ms, wrong password {wrong * 1000:.0f} ms")
    assert locked >= 0.6 * wrong, (locked_times, wrong_times)
