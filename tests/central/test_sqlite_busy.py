"""SQLite held by another writer: the kiosk gets 503 + Retry-After (nothing done), never a 500,
and its retry with the same Idempotency-Key succeeds once the lock is gone."""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from central.testing.servers import CentralServer, start_central
from tests.central.conftest import Api


@pytest.fixture(scope="module")
def impatient_server() -> Iterator[CentralServer]:
    data = Path(tempfile.mkdtemp(prefix="central-busy-"))
    server = start_central(None, data, workers=1, threads=4, extra_env={"CENTRAL_SQLITE_TIMEOUT": "0.5"})
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(data, ignore_errors=True)


def test_locked_database_is_a_503_then_the_retry_works(impatient_server: CentralServer) -> None:
    api = Api(impatient_server)
    db = impatient_server.data_dir / "central.sqlite3"
    locked, release = threading.Event(), threading.Event()

    def hold() -> None:
        conn = sqlite3.connect(db, timeout=10, isolation_level=None)
        conn.execute("BEGIN EXCLUSIVE")
        locked.set()
        release.wait(20)
        conn.execute("ROLLBACK")
        conn.close()

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert locked.wait(10)
        key = str(uuid.uuid4())
        started = time.monotonic()
        busy = api.post("/api/v1/tickets", {"service": "consultation"}, key=key)
        assert busy.status_code == 503, busy.text
        assert busy.json()["error"] == "busy" and busy.headers["Retry-After"] == "1"
        assert time.monotonic() - started < 10
    finally:
        release.set()
        holder.join()
    retried = api.post("/api/v1/tickets", {"service": "consultation"}, key=key)
    assert retried.status_code == 201 and retried.json()["number"] == "A001", "the 503 took no number"
