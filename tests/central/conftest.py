"""Fixtures for the central service: real `central serve` processes on SQLite and on a
private PostgreSQL cluster, and an in-process Django for unit tests of the domain rules."""

from __future__ import annotations

import atexit
import os
import re
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from central.testing.servers import REPO, CentralServer, pg_missing, start_central, start_pg

# In-process Django (unit tests): a throwaway data dir; the test database is in memory.
_UNIT_DIR = tempfile.mkdtemp(prefix="central-unit-")
atexit.register(shutil.rmtree, _UNIT_DIR, True)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "central.settings")
os.environ["CENTRAL_DATA_DIR"] = _UNIT_DIR
os.environ["DATABASE_URL"] = f"sqlite:///{_UNIT_DIR}/unit.sqlite3"

# Headless Chromium (Debian's) for the browser tests; screenshots for a person to look at.
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = REPO / "var" / "screenshots" / "central"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]


class Api:
    """A kiosk's view of the API: bearer token and a fresh Idempotency-Key per POST."""

    def __init__(self, server: CentralServer, token: str | None = None) -> None:
        self.server = server
        self.base = server.url
        self.session = requests.Session()
        self.token = server.demo["kiosk_token"] if token is None else token
        self.session.headers["Authorization"] = f"Bearer {self.token}"

    def get(self, path: str, **kw: Any) -> requests.Response:
        return self.session.get(self.base + path, timeout=30, **kw)

    def post(self, path: str, body: Any, key: str | None = None, **kw: Any) -> requests.Response:
        headers = {"Idempotency-Key": key or str(uuid.uuid4())}
        return self.session.post(self.base + path, json=body, headers=headers, timeout=60, **kw)


def serving(database_url: str | None, name: str, workers: int = 2, threads: int = 8) -> Iterator[CentralServer]:
    """A central in a throwaway data folder, stopped and removed after (fixtures yield from it)."""
    data = Path(tempfile.mkdtemp(prefix=f"central-{name}-"))
    server = start_central(database_url, data, workers=workers, threads=threads)
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(data, ignore_errors=True)


@pytest.fixture(scope="session")
def sqlite_server() -> Iterator[CentralServer]:
    yield from serving(None, "sqlite")


@pytest.fixture(scope="session")
def pg_server() -> Iterator[CentralServer]:
    reason = pg_missing()
    if reason:
        pytest.skip(reason)
    cluster = start_pg()
    try:
        yield from serving(cluster.url, "pg")
    finally:
        cluster.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def server(request: pytest.FixtureRequest) -> CentralServer:
    name = "sqlite_server" if request.param == "sqlite" else "pg_server"
    return request.getfixturevalue(name)  # type: ignore[no-any-return]


@pytest.fixture
def api(server: CentralServer) -> Api:
    return Api(server)


@pytest.fixture(scope="session")
def django_db() -> Iterator[None]:
    """An in-memory test database for in-process tests of the domain rules and the admin."""
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment

    setup_test_environment()
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    yield
    connection.creation.destroy_test_db(name, verbosity=0)
    teardown_test_environment()


@pytest.fixture
def db(django_db: None) -> Iterator[None]:
    """Each test in a transaction that is rolled back."""
    from django.db import transaction

    with transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo(db: None) -> dict[str, str]:
    from central.demo import ensure_demo

    return ensure_demo()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless Chromium per test module (a module's pages share it; modules stay apart)."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def login(page: Any, server: CentralServer, user: str | None = None, password: str | None = None) -> None:
    """Sign in through the admin login page (the demo admin unless a user is given)."""
    page.goto(f"{server.url}/admin/login/")
    page.fill("#id_username", user or server.demo["admin_user"])
    page.fill("#id_password", password or server.demo["admin_password"])
    page.click("input[type=submit]")
    page.wait_for_url(re.compile(r".*/admin/$"))
