"""The real central service (branch `central`) on loopback with a fresh SQLite database,
started through its documented commands: `central migrate`, `central demo --json`,
`central publish --json`, `central serve --port P`."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import requests

BIN = Path(sys.executable).parent


def missing() -> str | None:
    """Why the real service cannot run here, or None."""
    try:
        import django  # noqa: F401
    except ImportError:
        return "Django is not installed (pip install -e '.[central]'): real-service tests skipped"
    if not (BIN / "central").exists():
        return "the `central` command is not installed: real-service tests skipped"
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class RealCentral:
    def __init__(self, data: Path, database_url: str | None = None) -> None:
        self.data = data
        self.db = data / "central.sqlite3"
        self.database_url = database_url or f"sqlite:///{self.db}"
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("KIOSK_", "CENTRAL_"))}
        # These tests are not about office hours: the queue takes tickets at any time of day.
        self.env.update(CENTRAL_DATA_DIR=str(data / "data"), DATABASE_URL=self.database_url,
                        CENTRAL_QUEUE_HOURS="always", CENTRAL_SECRET_KEY=secrets.token_urlsafe(50))
        self.port = free_port()
        self.proc: subprocess.Popen[bytes] | None = None
        self.demo: dict[str, Any] = {}
        self.root_path = ""

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def run(self, *args: str) -> str:
        done = subprocess.run([str(BIN / "central"), *args], env=self.env, capture_output=True, text=True,
                              timeout=300)
        if done.returncode != 0:
            raise RuntimeError(f"central {' '.join(args)} failed: {done.stderr[-2000:]}")
        return done.stdout

    def setup(self) -> RealCentral:
        self.data.mkdir(parents=True, exist_ok=True)
        self.run("migrate")
        self.demo = json.loads(self.run("demo", "--json").strip().splitlines()[-1])
        self.root_path = self.publish()["root_path"]
        return self

    def use_ticket_prefix(self, prefix: str) -> None:
        """Give the demo kiosk this offline ticket prefix on the server (kept there since
        issue 14: a kiosk may only report numbers of its own series)."""
        self.run("shell", "--no-imports", "-c",
                 "from central.fleet.models import Kiosk; "
                 f"Kiosk.objects.filter(code={self.demo['kiosk_id']!r}).update(ticket_prefix={prefix!r})")

    def publish(self) -> dict[str, Any]:
        out: dict[str, Any] = json.loads(self.run("publish", "--json").strip().splitlines()[-1])
        return out

    def import_content(self, folder: Path) -> None:
        self.run("import-content", str(folder))

    def start(self) -> None:
        self.proc = subprocess.Popen([str(BIN / "central"), "serve", "--port", str(self.port), "--workers", "1",
                                      "--threads", "4"], env=self.env, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{self.url}/healthz", timeout=1).status_code < 500:
                    return
            except requests.RequestException:
                time.sleep(0.1)
        raise RuntimeError("central serve did not come up in 60 s")

    def stop(self) -> None:
        if self.proc is None:
            return
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(5)
        self.proc = None

    def sql(self, query: str, *params: object) -> list[tuple[Any, ...]]:
        """Read the service's database directly (`?` placeholders, on either database)."""
        if self.database_url.startswith("postgres"):
            import psycopg

            with psycopg.connect(self.database_url) as conn:
                rows = conn.execute(query.replace("%", "%%").replace("?", "%s"), params).fetchall()  # type: ignore[arg-type]
            return [tuple(int(v) if isinstance(v, bool) else v for v in row) for row in rows]
        import sqlite3

        db = sqlite3.connect(self.db, timeout=30)
        try:
            return db.execute(query, params).fetchall()
        finally:
            db.close()

    def cleanup(self) -> None:
        self.stop()
        shutil.rmtree(self.data, ignore_errors=True)


def running(folder: Path, database_url: str | None = None) -> Iterator[RealCentral]:
    """A set-up, started central in `folder`, cleaned up after (a module fixture yields from it)."""
    server = RealCentral(folder, database_url).setup()
    server.start()
    yield server
    server.cleanup()
