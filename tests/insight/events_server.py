"""A small HTTP server on loopback that holds the kiosk to the usage-events contract
(docs/api.md, issue 15), for the kiosk-side tests before the real central endpoint lands.

Run as a process (`python -m tests.insight.events_server --port P --db FILE`) so a test can
kill it and start it again on the same SQLite file, as a real service restarts on its
database. It checks each batch as the contract says (bearer token, Idempotency-Key, at most
500 events, each with a uuid4 id, a known kind, a 32-hex visit, an ISO time with offset, a
detail object) and each call-back (consent true, a mainland mobile number); it answers a
replayed key with its first answer, and drops events whose id it already holds.
`--crash-after N` exits abruptly after committing the N-th batch, before answering: the
worst moment for exactly-once.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import sqlite3
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from kiosk.insight.kinds import KINDS

TOKEN = "contract-token"
PHONE = re.compile(r"^1[3-9]\d{9}$")
VISIT = re.compile(r"^[0-9a-f]{32}$")
SCHEMA = """
CREATE TABLE IF NOT EXISTS keys (key TEXT PRIMARY KEY, status INTEGER, answer TEXT);
CREATE TABLE IF NOT EXISTS events (id TEXT PRIMARY KEY, kind TEXT, visit TEXT, at TEXT, detail TEXT);
CREATE TABLE IF NOT EXISTS callbacks (key TEXT PRIMARY KEY, rating TEXT, phone TEXT);
CREATE TABLE IF NOT EXISTS requests (n INTEGER PRIMARY KEY AUTOINCREMENT, path TEXT, key TEXT);
"""


def check_event(event: Any) -> str | None:
    """The contract's per-event error code, or None."""
    if not isinstance(event, dict) or set(event) != {"id", "kind", "at", "visit", "detail"}:
        return "bad_detail"
    if event["kind"] not in KINDS:
        return "unknown_kind"
    try:
        if uuid.UUID(str(event["id"])).version != 4:
            return "bad_detail"
        at = dt.datetime.fromisoformat(str(event["at"]))
    except ValueError:
        return "bad_detail"
    if at.tzinfo is None or not VISIT.match(str(event["visit"])) or not isinstance(event["detail"], dict):
        return "bad_detail"
    now = dt.datetime.now(dt.UTC)
    if at > now + dt.timedelta(minutes=10):
        return "future"
    if at < now - dt.timedelta(days=90):
        return "too_old"
    return None


class Handler(BaseHTTPRequestHandler):
    server: Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _send(self, status: int, body: Any) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        key = self.headers.get("Idempotency-Key") or ""
        db = self.server.db
        with self.server.lock:
            db.execute("INSERT INTO requests (path, key) VALUES (?, ?)", (self.path, key))
            if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                return self._send(401, {"error": "unauthorized"})
            if not key:
                return self._send(400, {"error": "idempotency_key_required"})
            row = db.execute("SELECT status, answer FROM keys WHERE key = ?", (key,)).fetchone()
            if row is not None:
                return self._send(row[0], json.loads(row[1]))
            try:
                body = json.loads(raw)
            except ValueError:
                return self._send(422, {"error": "bad_json"})
            if self.path == "/api/v1/events":
                status, answer = self._events(body)
            elif self.path == "/api/v1/rating-callbacks":
                status, answer = self._callback(key, body)
            else:
                return self._send(404, {"error": "not_found"})
            if status < 300:
                db.execute("INSERT INTO keys VALUES (?, ?, ?)", (key, status, json.dumps(answer)))
            db.commit()
            self.server.batches += self.path == "/api/v1/events" and status < 300
            if self.server.crash_after and self.server.batches >= self.server.crash_after:
                os._exit(3)  # committed, never answered: as if killed at the worst moment
        self._send(status, answer)

    def _events(self, body: Any) -> tuple[int, dict[str, Any]]:
        events = body.get("events") if isinstance(body, dict) else None
        if not isinstance(events, list):
            return 422, {"error": "bad_body"}
        if len(events) > 500:
            return 413, {"error": "too_many_events"}
        accepted = duplicates = 0
        rejected = []
        for index, event in enumerate(events):
            error = check_event(event)
            if error:
                rejected.append({"index": index, "error": error})
                continue
            cur = self.server.db.execute(
                "INSERT OR IGNORE INTO events VALUES (?, ?, ?, ?, ?)",
                (event["id"], event["kind"], event["visit"], event["at"], json.dumps(event["detail"])))
            if cur.rowcount:
                accepted += 1
            else:
                duplicates += 1
        return 200, {"accepted": accepted, "duplicates": duplicates, "rejected": rejected}

    def _callback(self, key: str, body: Any) -> tuple[int, dict[str, Any]]:
        if not isinstance(body, dict) or body.get("consent") is not True:
            return 422, {"error": "consent_required"}
        if not PHONE.match(str(body.get("phone", ""))) or body.get("level") not in (1, 2):
            return 422, {"error": "bad_phone"}
        self.server.db.execute("INSERT INTO callbacks VALUES (?, ?, ?)", (key, body.get("rating"), body["phone"]))
        return 201, {"id": key}


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, port: int, db: str, crash_after: int = 0) -> None:
        super().__init__(("127.0.0.1", port), Handler)
        self.db = sqlite3.connect(db, check_same_thread=False, isolation_level="DEFERRED")
        self.db.executescript(SCHEMA)
        self.lock = threading.Lock()
        self.crash_after = crash_after
        self.batches = 0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--crash-after", type=int, default=0)
    args = parser.parse_args()
    server = Server(args.port, args.db, args.crash_after)
    print("ready", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
