"""Usage batches and a call back through the real outbox and client to a server process on
loopback that checks the contract; the server killed after committing a batch but before
answering, then started again on its database: every event arrives exactly once."""

from __future__ import annotations

import datetime as dt
import json
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.connector.client import CentralClient, build_session
from kiosk.connector.drain import drain
from kiosk.connector.outbox import Outbox
from kiosk.connector.settings import CentralSettings
from kiosk.insight.rating import RatingDraft, submit
from kiosk.insight.usage import UsageBounds, UsageRecorder
from tests.insight.events_server import TOKEN

PHONE = "13912340077"


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ServerProcess:
    def __init__(self, db: Path) -> None:
        self.db, self.port = db, _port()
        self.proc: subprocess.Popen[str] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, crash_after: int = 0) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.insight.events_server", "--port", str(self.port), "--db", str(self.db),
             "--crash-after", str(crash_after)], stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout is not None and self.proc.stdout.readline().strip() == "ready"

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
        if self.proc is not None:
            self.proc.wait(10)
            if self.proc.stdout is not None:
                self.proc.stdout.close()
        self.proc = None

    def rows(self, query: str) -> list[tuple[object, ...]]:
        db = sqlite3.connect(self.db)
        try:
            return db.execute(query).fetchall()
        finally:
            db.close()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServerProcess]:
    proc = ServerProcess(tmp_path / "server.sqlite3")
    yield proc
    proc.stop()


def _client(url: str, state: Path) -> CentralClient:
    settings = CentralSettings(url=url, token=TOKEN, tuf_root=None, ticket_prefix="K3", state_dir=state,
                               connect_timeout_s=1.0, read_timeout_s=3.0, retries=0, backoff_s=0.01,
                               retry_after_max_s=1.0, outbox_base_s=0.01, outbox_cap_s=0.05)
    return CentralClient(settings, build_session(settings, retries=0))


def test_batches_reach_the_server_exactly_once_across_its_kill_and_restart(server: ServerProcess,
                                                                        tmp_path: Path) -> None:
    box = Outbox(tmp_path / "state" / "outbox.sqlite3", base_s=0.01, cap_s=0.05)
    rec = UsageRecorder(box, bounds=UsageBounds(batch_max=50), strict=True)
    recorded: list[str] = []
    for visit in range(6):
        rec.start_visit("zh-CN", "normal")
        for n in range(40):
            event = rec.record("node_reached", flow="wages", node=f"v{visit}n{n}")
            assert event is not None
            recorded.append(event)
        if visit == 2:
            rating = submit(RatingDraft(level=2, reasons=["too_slow"], phone=PHONE, consent=True), rec, box)
            assert rating is not None
            recorded.append(rating)
        rec.end_visit("finished")
    pending = box.counts()["pending"]
    assert pending >= 7  # batches of at most 50, and the call back

    server.start(crash_after=3)  # commits the third batch, then dies without answering
    client = _client(server.url, tmp_path / "state")
    first = drain(box, client, now=True)
    assert first.stopped and first.delivered >= 2 and server.proc is not None
    assert server.proc.wait(10) == 3
    server.stop()
    server.start()
    deadline = time.monotonic() + 20
    while box.counts()["pending"] and time.monotonic() < deadline:
        drain(box, client, now=True)
    assert box.counts() == {"pending": 0, "failed": 0, "delivered": pending}

    ids = [r[0] for r in server.rows("SELECT id FROM events")]
    visit_ends = server.rows("SELECT COUNT(*) FROM events WHERE kind = 'visit_ended'")[0][0]
    assert visit_ends == 6
    assert set(recorded) <= set(ids) and len(ids) == len(set(ids)) == len(recorded) + 12  # + starts and ends
    replayed = server.rows("SELECT key, COUNT(*) FROM requests WHERE path = '/api/v1/events' "
                           "GROUP BY key HAVING COUNT(*) > 1")
    assert len(replayed) == 1  # the batch the server died answering was sent again, same key
    assert server.rows("SELECT phone FROM callbacks") == [(PHONE,)]
    assert box.personal_rows() == 0  # the call back's body is gone from the kiosk


def test_a_batch_the_contract_refuses_in_part_is_still_delivered(server: ServerProcess, tmp_path: Path) -> None:
    """Events too old are rejected per event; the rest of the batch is accepted."""
    box = Outbox(tmp_path / "outbox.sqlite3")
    old = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    times = iter([old, dt.datetime.now(dt.UTC)] * 10)
    rec = UsageRecorder(box, now=lambda: next(times), strict=True)
    rec.start_visit("en", "normal")
    rec.record("language", lang="zh-CN")
    rec.end_visit("home")
    server.start()
    result = drain(box, _client(server.url, tmp_path), now=True)
    assert result.delivered == 1
    answer = json.loads(box._db.execute("SELECT answer FROM outbox").fetchone()[0])
    assert answer == {"accepted": 1, "duplicates": 0,
                      "rejected": [{"index": 0, "error": "too_old"}, {"index": 2, "error": "too_old"}]}
