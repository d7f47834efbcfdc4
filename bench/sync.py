"""Benchmark: what the connector costs on the line.

Against the real central service (a fresh one on loopback with SQLite, from the `central`
extra) when it is installed, else against a loopback server with a python-tuf repository
built here. Prints, bytes counted on the HTTP level (request and status lines, headers,
bodies, both directions):
  - content sync: first full sync, an up-to-date check (goal <= 2 KB), a one-flow change
    (only that target downloaded);
  - outbox drain rate (items/s, each one POST with its Idempotency-Key, then a local commit);
  - heartbeat: bytes and client CPU per beat, and per day at the server's poll_interval.
Run: .venv/bin/python bench/sync.py [--fake] [--items N]
"""

from __future__ import annotations

import argparse
import dataclasses
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kiosk.config import load_config  # noqa: E402
from kiosk.connector.client import build_session  # noqa: E402
from kiosk.connector.factory import build_connector  # noqa: E402
from kiosk.connector.runtime import Connector  # noqa: E402
from kiosk.connector.settings import CentralSettings  # noqa: E402
from tests.connector.fake_central import TOKEN, FakeCentral  # noqa: E402
from tests.connector.real_central import RealCentral, missing  # noqa: E402
from tests.connector.tuf_repo import TufRepo, content_files  # noqa: E402


class Wire:
    """Counts HTTP bytes through a Session's response hook."""

    def __init__(self) -> None:
        self.bytes = 0
        self.requests = 0

    def hook(self, response: requests.Response, *args: Any, **kwargs: Any) -> None:
        req = response.request
        head = f"{req.method} {req.path_url} HTTP/1.1\r\n" + "".join(
            f"{k}: {v}\r\n" for k, v in req.headers.items()) + "\r\n"
        body = req.body or b""
        status = f"HTTP/1.1 {response.status_code} {response.reason}\r\n" + "".join(
            f"{k}: {v}\r\n" for k, v in response.headers.items()) + "\r\n"
        self.bytes += len(head.encode()) + len(body if isinstance(body, bytes) else body.encode())
        self.bytes += len(status.encode()) + len(response.content)
        self.requests += 1

    def take(self) -> tuple[int, int]:
        out = (self.bytes, self.requests)
        self.bytes = self.requests = 0
        return out


class Target:
    """Either the real central service or the loopback fake with a local TUF repository."""

    def __init__(self, tmp: Path, fake: bool) -> None:
        self.real: RealCentral | None = None
        self.fake: FakeCentral | None = None
        self.files = content_files()
        if not fake and missing() is None:
            self.real = RealCentral(tmp / "central").setup()
            self.real.start()
            self.url, self.token = self.real.url, self.real.demo["kiosk_token"]
            self.root = Path(self.real.root_path)
            self.name = "real central service (gunicorn, SQLite)"
        else:
            self.fake = FakeCentral().start()
            self.repo = TufRepo(tmp / "repo")
            self.repo.publish(self.files)
            self.fake.state.tuf_dir = self.repo.dir
            self.url, self.token, self.root = self.fake.url, TOKEN, self.repo.root_path
            self.name = "loopback fake + python-tuf repository built here"
        self.tmp = tmp

    def change_one_flow(self) -> None:
        path = "flows/divorce.yaml"
        if self.real is not None:
            edited = self.tmp / "content"
            shutil.copytree(ROOT / "content", edited, dirs_exist_ok=True)
            flow = edited / path
            flow.write_text(flow.read_text(encoding="utf-8") + f"\n# bench {time.time()}\n", encoding="utf-8")
            self.real.import_content(edited)
            self.real.publish()
        else:
            self.files[path] = self.files[path] + f"\n# bench {time.time()}\n".encode()
            self.repo.publish(self.files)

    def stop(self) -> None:
        if self.real is not None:
            self.real.cleanup()
        if self.fake is not None:
            self.fake.stop()


def make(target: Target, state: Path, wire: Wire) -> Connector:
    cfg = load_config(env={"KIOSK_STATE_DIR": str(state)})
    settings = CentralSettings(url=target.url, token=target.token, tuf_root=target.root, ticket_prefix="K9",
                               state_dir=state, retries=0)
    session = build_session(settings, retries=0)
    session.hooks["response"].append(wire.hook)
    return build_connector(dataclasses.replace(settings), cfg, session=session, background_session=session)


def timed(fn: Any) -> tuple[Any, float]:
    start = time.perf_counter()
    out = fn()
    return out, (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--fake", action="store_true",
                        help="use the loopback fake even if central is installed")
    parser.add_argument("--items", type=int, default=300, help="outbox items for the drain rate")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-sync-"))
    target = Target(tmp, args.fake)
    wire = Wire()
    print(f"against: {target.name}")
    try:
        kiosk = make(target, tmp / "kiosk", wire)
        assert kiosk.sync is not None
        result, ms = timed(kiosk.sync.sync_once)
        b, n = wire.take()
        print(f"first full sync        v{result.version}: {len(result.downloaded)} targets, "
              f"{b:,} B in {n} requests, {ms:.0f} ms (incl. validating the bundle)")
        checks = []
        for _ in range(10):
            result, ms = timed(kiosk.sync.sync_once)
            checks.append((wire.take()[0], ms))
        sizes = sorted(c[0] for c in checks)
        print(f"up-to-date check       {sizes[len(sizes) // 2]:,} B (max {sizes[-1]:,} B; goal <= 2,048 B), "
              f"median {statistics.median(c[1] for c in checks):.1f} ms, {len(result.downloaded)} downloaded")
        target.change_one_flow()
        result, ms = timed(kiosk.sync.sync_once)
        b, n = wire.take()
        print(f"one-flow change        v{result.version}: downloaded {result.downloaded}, "
              f"{b:,} B in {n} requests, {ms:.0f} ms (incl. validating the bundle)")

        for _ in range(args.items):
            kiosk.desk.local_ticket("legal-aid")
        wire.take()
        result, ms = timed(lambda: kiosk.drain_once(now=True))
        b, n = wire.take()
        print(f"outbox drain           {result.delivered} items in {ms / 1000:.2f} s = "
              f"{result.delivered / (ms / 1000):.0f} items/s, {b / max(1, result.delivered):.0f} B/item")

        beats = []
        for _ in range(20):
            cpu = time.process_time()
            answer, ms = timed(kiosk.health.beat)
            beats.append((wire.take()[0], ms, (time.process_time() - cpu) * 1000))
        interval = float(answer.get("poll_interval") or kiosk.settings.heartbeat_interval_s)
        per_day = 86400 / interval
        size = statistics.median(b[0] for b in beats)
        print(f"heartbeat              {size:.0f} B, median {statistics.median(b[1] for b in beats):.1f} ms, "
              f"client CPU {statistics.median(b[2] for b in beats):.1f} ms per beat; server poll_interval "
              f"{interval:.0f} s -> {per_day:.0f} beats, {size * per_day / 1024:.0f} KiB and "
              f"{statistics.median(b[2] for b in beats) * per_day / 1000:.1f} s CPU per day")
        kiosk.outbox.close()
    finally:
        target.stop()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
