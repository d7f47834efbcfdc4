"""The outbox: what must reach the central service exactly once, kept in SQLite (WAL).

Each item gets its Idempotency-Key and its exact request bytes when it is queued, so any
replay (after a timeout, a reboot, or a SIGKILL between the server's 2xx and our commit)
is the same request and the server answers it with its first answer instead of acting
twice. The retry schedule (`next_at`, wall-clock seconds) lives in the same row, so it
survives a reboot. Once the server acknowledges an item its body, which may hold a phone
number, is deleted; only the key, kind and time stay, for the maintenance screen.
"""

from __future__ import annotations

import json
import random
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.connector.client import encode

SCHEMA = """
CREATE TABLE IF NOT EXISTS outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    key TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    path TEXT NOT NULL,
    body BLOB,
    personal INTEGER NOT NULL DEFAULT 0,
    state TEXT NOT NULL DEFAULT 'pending',
    attempts INTEGER NOT NULL DEFAULT 0,
    next_at REAL NOT NULL,
    created_at REAL NOT NULL,
    last_error TEXT,
    answer TEXT,
    done_at REAL,
    rekeyed INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS outbox_due ON outbox (state, next_at);
CREATE TABLE IF NOT EXISTS ticket_seq (day TEXT PRIMARY KEY, seq INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS tally (name TEXT PRIMARY KEY, n INTEGER NOT NULL);
"""

#: Delivered rows (no body left) are forgotten after this long.
KEEP_DELIVERED_S = 7 * 86400


@dataclass(frozen=True)
class Item:
    id: int
    key: str
    kind: str
    path: str
    body: bytes
    attempts: int
    next_at: float


@dataclass(frozen=True)
class Parked:
    key: str
    kind: str
    reason: str
    created_at: float


class Outbox:
    def __init__(self, path: Path, *, base_s: float = 5.0, cap_s: float = 1800.0,
                 clock: Callable[[], float] = time.time, rng: random.Random | None = None) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.base_s = base_s
        self.cap_s = cap_s
        self.clock = clock
        self.rng = rng or random.Random()
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=30)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")  # a commit survives a power cut
        self._db.execute("PRAGMA secure_delete=ON")  # freed pages (old phone numbers) are zeroed
        self._db.executescript(SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # --- queueing -------------------------------------------------------------------------

    def _insert(self, kind: str, path: str, payload: Any, personal: bool) -> str:
        key = str(uuid.uuid4())
        now = self.clock()
        self._db.execute(
            "INSERT INTO outbox (key, kind, path, body, personal, next_at, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (key, kind, path, encode(payload), int(personal), now, now))
        return key

    def enqueue(self, kind: str, path: str, payload: Any, *, personal: bool = False) -> str:
        """Queue one POST; returns its Idempotency-Key, fixed from now on."""
        with self._lock:
            return self._insert(kind, path, payload, personal)

    def issue_local_ticket(self, prefix: str, day: str,
                           payload: Callable[[str], dict[str, Any]]) -> tuple[str, str]:
        """Take the next daily number (`K3-017`) and queue its report in one transaction,
        so no number is ever issued without being reported, nor issued twice."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                row = self._db.execute("SELECT seq FROM ticket_seq WHERE day = ?", (day,)).fetchone()
                seq = (row[0] if row else 0) + 1
                self._db.execute("INSERT INTO ticket_seq (day, seq) VALUES (?, ?) "
                                 "ON CONFLICT(day) DO UPDATE SET seq = excluded.seq", (day, seq))
                self._db.execute("DELETE FROM ticket_seq WHERE day < ?", (day,))
                number = f"{prefix}-{seq:03d}"
                key = self._insert("ticket", "/api/v1/tickets", payload(number), False)
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        return number, key

    # --- draining -------------------------------------------------------------------------

    def due(self, limit: int = 100, *, now: bool = False) -> list[Item]:
        """Pending items whose time has come (`now=True`: every pending item, for an
        operator's `kiosk outbox drain`)."""
        until = float("inf") if now else self.clock()
        with self._lock:
            rows = self._db.execute(
                "SELECT id, key, kind, path, body, attempts, next_at FROM outbox "
                "WHERE state = 'pending' AND next_at <= ? ORDER BY id LIMIT ?",
                (until, limit)).fetchall()
        return [Item(*row) for row in rows]

    def acknowledge(self, key: str, answer: Any) -> None:
        """The server has it: drop the body (and with it any phone number)."""
        with self._lock:
            row = self._db.execute("SELECT personal FROM outbox WHERE key = ?", (key,)).fetchone()
            self._db.execute(
                "UPDATE outbox SET state = 'delivered', body = NULL, answer = ?, done_at = ?, "
                "last_error = NULL WHERE key = ?", (_scrub(answer), self.clock(), key))
            self._db.execute("DELETE FROM outbox WHERE state = 'delivered' AND done_at < ?",
                             (self.clock() - KEEP_DELIVERED_S,))
            if row is not None and row[0]:
                # The old page images of a personal body also sit in the WAL until a
                # checkpoint: fold them back now (secure_delete zeroes the freed pages).
                self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def backoff(self, attempts: int) -> float:
        """Exponential backoff with full jitter, capped (AWS architecture blog's 'Full Jitter')."""
        return self.rng.uniform(0, min(self.cap_s, self.base_s * 2 ** min(attempts, 30)))

    def retry_later(self, key: str, reason: str, retry_after: float | None = None) -> float:
        """Reschedule after a failed try; the new time is stored, so a reboot keeps it."""
        with self._lock:
            row = self._db.execute("SELECT attempts FROM outbox WHERE key = ?", (key,)).fetchone()
            attempts = (row[0] if row else 0) + 1
            wait = self.backoff(attempts)
            if retry_after is not None:
                wait = max(wait, min(retry_after, self.cap_s))
            when = self.clock() + wait
            self._db.execute("UPDATE outbox SET attempts = ?, next_at = ?, last_error = ? WHERE key = ?",
                             (attempts, when, reason[:200], key))
        return when

    def rekey(self, key: str, reason: str, limit: int = 3) -> str | None:
        """Give the item a fresh Idempotency-Key (same bytes), or park it after `limit` times.

        Only for 409 idempotency_key_reused: our bytes never change under a key, so the
        request the server recorded under it was a damaged copy of ours (a connection cut
        mid-body, as when the kiosk is killed while sending). A truncated JSON body can only
        have been refused, so sending the whole one again under a new key acts once."""
        with self._lock:
            row = self._db.execute("SELECT rekeyed FROM outbox WHERE key = ?", (key,)).fetchone()
            if row is None:
                return None
            if row[0] >= limit:
                self._db.execute("UPDATE outbox SET state = 'failed', last_error = ? WHERE key = ?",
                                 (reason[:200], key))
                return None
            fresh = str(uuid.uuid4())
            self._db.execute("UPDATE outbox SET key = ?, rekeyed = rekeyed + 1, last_error = ? WHERE key = ?",
                             (fresh, reason[:200], key))
            return fresh

    def park(self, key: str, reason: str) -> None:
        """The server refused it for good (a 4xx): keep it for the maintenance screen."""
        with self._lock:
            self._db.execute("UPDATE outbox SET state = 'failed', last_error = ?, attempts = attempts + 1 "
                             "WHERE key = ?", (reason[:200], key))

    def discard(self, key: str) -> None:
        """Maintenance: forget a parked item (and any personal data in it)."""
        with self._lock:
            self._db.execute("DELETE FROM outbox WHERE key = ? AND state = 'failed'", (key,))
            self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def trim(self, kind: str, *, max_items: int, max_bytes: int, tally: str) -> tuple[int, int]:
        """Bound the undelivered items of one `kind` (usage batches, never applications,
        bookings or tickets): drop the oldest beyond `max_items` or `max_bytes` and add
        the events they held to the counter `tally`. Returns (items, events) dropped."""
        with self._lock:
            rows = self._db.execute(
                "SELECT id, length(body) FROM outbox WHERE kind = ? AND state != 'delivered' "
                "ORDER BY id DESC", (kind,)).fetchall()
            kept_bytes, doomed = 0, []
            for n, (row_id, size) in enumerate(rows):
                kept_bytes += size or 0
                if n >= max_items or kept_bytes > max_bytes:
                    doomed.append(row_id)
            if not doomed:
                return 0, 0
            events = sum(_event_count(self._db.execute("SELECT body FROM outbox WHERE id = ?",
                                                       (i,)).fetchone()[0]) for i in doomed)
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.executemany("DELETE FROM outbox WHERE id = ?", [(i,) for i in doomed])
                self._db.execute("INSERT INTO tally (name, n) VALUES (?, ?) "
                                 "ON CONFLICT(name) DO UPDATE SET n = n + excluded.n", (tally, events))
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        return len(doomed), events

    def tally(self, name: str) -> int:
        """A counter kept beside the outbox (e.g. usage_dropped), 0 when never counted."""
        with self._lock:
            row = self._db.execute("SELECT n FROM tally WHERE name = ?", (name,)).fetchone()
        return int(row[0]) if row else 0

    def queued_bytes(self, kind: str) -> tuple[int, int]:
        """(items, body bytes) of `kind` not delivered yet."""
        with self._lock:
            row = self._db.execute("SELECT COUNT(*), COALESCE(SUM(length(body)), 0) FROM outbox "
                                   "WHERE kind = ? AND state != 'delivered'", (kind,)).fetchone()
        return int(row[0]), int(row[1])

    # --- reporting ------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        with self._lock:
            rows = self._db.execute("SELECT state, COUNT(*) FROM outbox GROUP BY state").fetchall()
        found = dict(rows)
        return {"pending": found.get("pending", 0), "failed": found.get("failed", 0),
                "delivered": found.get("delivered", 0)}

    def parked(self) -> list[Parked]:
        with self._lock:
            rows = self._db.execute("SELECT key, kind, last_error, created_at FROM outbox "
                                    "WHERE state = 'failed' ORDER BY id").fetchall()
        return [Parked(k, kind, reason or "", created) for k, kind, reason, created in rows]

    def next_due_at(self) -> float | None:
        with self._lock:
            row = self._db.execute("SELECT MIN(next_at) FROM outbox WHERE state = 'pending'").fetchone()
        return float(row[0]) if row and row[0] is not None else None

    def personal_rows(self) -> int:
        """Rows still holding personal data (for tests and the privacy check)."""
        with self._lock:
            row = self._db.execute("SELECT COUNT(*) FROM outbox WHERE personal = 1 AND body IS NOT NULL "
                                   "AND state = 'delivered'").fetchone()
        return int(row[0])


def _event_count(body: bytes | None) -> int:
    """Events in a batch body ({"events": [...]}); 1 for any other body."""
    try:
        data = json.loads(body or b"{}")
    except ValueError:
        return 1
    events = data.get("events") if isinstance(data, dict) else None
    return len(events) if isinstance(events, list) else 1


def _scrub(answer: Any) -> str:
    """Keep the server's answer for the record, without any phone number in it."""
    if isinstance(answer, dict):
        answer = {k: v for k, v in answer.items() if k != "phone"}
    return json.dumps(answer, ensure_ascii=False)
