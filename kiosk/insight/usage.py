"""The usage-event recorder: what residents do, with no way to tell who or to link visits.

Each visit gets a fresh random id (`secrets.token_hex(16)`), forgotten when the visit
ends; nothing else identifies it. Events wait in memory and go to the outbox as one batch
(one item, one Idempotency-Key) when 200 have gathered, when the oldest has waited 60 s
(`tick`), and at the end of every visit; each event carries its own uuid so the central
service also drops a duplicate that arrives in another batch. Queued batches are bounded
(`UsageBounds`): when the kiosk is offline for weeks the oldest usage batches are dropped
first and counted in `usage_dropped`; nothing else in the outbox is ever touched.

The recorder never raises into the UI: an event outside the contract is logged (its kind,
never its detail) and dropped, unless `strict` (tests).
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from kiosk.insight.kinds import BadEvent, check
from kiosk.insight.scrub import scrub_query

log = logging.getLogger(__name__)

PATH = "/api/v1/events"
OUTBOX_KIND = "usage"
TALLY = "usage_dropped"
#: What makes a visit worth a rating when the resident leaves.
DONE_KINDS = frozenset({"outcome_reached", "ticket", "booking", "application"})


class OutboxLike(Protocol):
    """The part of kiosk.connector.outbox.Outbox the recorder uses."""

    def enqueue(self, kind: str, path: str, payload: Any, *, personal: bool = False) -> str: ...

    def trim(self, kind: str, *, max_items: int, max_bytes: int, tally: str) -> tuple[int, int]: ...

    def tally(self, name: str) -> int: ...


@dataclass(frozen=True)
class UsageBounds:
    #: Events per batch (the contract allows 500).
    batch_max: int = 200
    #: Seconds the oldest event may wait in memory before its batch is queued.
    flush_s: float = 60.0
    #: Undelivered usage batches kept on disk, and their bytes: about a month of a busy
    #: kiosk (a visit is about 15 events, 3 KB); beyond, the oldest batches go first.
    max_batches: int = 1000
    max_bytes: int = 8 * 2**20


class UsageRecorder:
    def __init__(self, outbox: OutboxLike | None, *, bounds: UsageBounds | None = None,
                 now: Callable[[], dt.datetime] = lambda: dt.datetime.now().astimezone(),
                 monotonic: Callable[[], float] = time.monotonic,
                 wake: Callable[[], None] | None = None, strict: bool = False,
                 known_word: Callable[[str], bool] | None = None) -> None:
        self.outbox = outbox
        self.bounds = bounds or UsageBounds()
        self.now = now
        self.monotonic = monotonic
        self.wake = wake or (lambda: None)
        self.strict = strict
        #: Whether the content uses a word (so 高利贷 is not taken for a name by the scrubber).
        self.known_word = known_word
        self._lock = threading.Lock()
        self._events: list[dict[str, Any]] = []
        self._oldest: float | None = None
        self._visit: str | None = None
        self._visit_began = 0.0
        #: Where the resident is (flow, node), for visit_ended.
        self.place: tuple[str | None, str | None] = (None, None)
        #: This visit reached an outcome, a ticket, a booking or an application.
        self.did_something = False

    # --- visits -----------------------------------------------------------------------------

    @property
    def in_visit(self) -> bool:
        return self._visit is not None

    def start_visit(self, lang: str, theme: str) -> None:
        """A resident touched the attract screen: a new, unlinkable visit id."""
        with self._lock:
            self._visit = secrets.token_hex(16)
            self._visit_began = self.monotonic()
            self.place = (None, None)
            self.did_something = False
        self.record("visit_started", lang=lang if lang in ("zh-CN", "en") else "zh-CN",
                    theme="large" if theme == "elderly" else "normal")

    def end_visit(self, how: str) -> None:
        """The visit is over (finished, home, idle): its events are queued, its id forgotten."""
        if self._visit is None:
            return
        flow, node = self.place
        self.record("visit_ended", how=how, seconds=int(self.monotonic() - self._visit_began),
                    flow=flow, node=node)
        with self._lock:
            self._visit = None
            self.place = (None, None)
            self.did_something = False
        self.flush()

    # --- events ------------------------------------------------------------------------------

    def record(self, kind: str, /, **detail: Any) -> str | None:
        """One event of the contract; returns its uuid (None when outside a visit or refused)."""
        try:
            check(kind, detail)
        except BadEvent as exc:
            if self.strict:
                raise
            log.warning("usage event %s dropped: %s", kind, str(exc).split(":")[0])
            return None
        with self._lock:
            if self._visit is None:
                return None
            event_id = str(uuid.uuid4())
            self._events.append({"id": event_id, "kind": kind,
                                 "at": self.now().isoformat(timespec="seconds"),
                                 "visit": self._visit, "detail": detail})
            self.did_something = self.did_something or kind in DONE_KINDS
            if self._oldest is None:
                self._oldest = self.monotonic()
            full = len(self._events) >= self.bounds.batch_max
        if full:
            self.flush()
        return event_id

    def search(self, mode: str, chosen: str | None, rank: int | None, results: int,
               query: str) -> str | None:
        """A search, with the query kept (scrubbed) only when nothing was chosen."""
        kept = scrub_query(query, self.known_word) if chosen is None else None
        return self.record("search", mode=mode, chosen=chosen, rank=rank, results=results, query=kept)

    def node(self, flow: str, node: str, outcome: bool = False) -> None:
        """The resident reached a node (an outcome node counts as both)."""
        self.place = (flow, node)
        self.record("node_reached", flow=flow, node=node)
        if outcome:
            self.record("outcome_reached", flow=flow, outcome=node)

    # --- batches -----------------------------------------------------------------------------

    def pending(self) -> int:
        with self._lock:
            return len(self._events)

    def tick(self) -> None:
        """Called every few seconds: queue a batch whose oldest event has waited long enough."""
        with self._lock:
            due = self._oldest is not None and self.monotonic() - self._oldest >= self.bounds.flush_s
        if due:
            self.flush()

    def flush(self) -> int:
        """Queue what has gathered as one outbox item; returns the events queued."""
        with self._lock:
            events, self._events, self._oldest = self._events, [], None
        if not events or self.outbox is None:
            return 0
        try:
            size = self.bounds.batch_max
            for start in range(0, len(events), size):
                self.outbox.enqueue(OUTBOX_KIND, PATH, {"events": events[start:start + size]})
            self.outbox.trim(OUTBOX_KIND, max_items=self.bounds.max_batches,
                             max_bytes=self.bounds.max_bytes, tally=TALLY)
        except Exception:  # a full disk must not take the kiosk down with it
            log.exception("usage batch not queued (%d events lost)", len(events))
            return 0
        self.wake()
        return len(events)

    def dropped(self) -> int:
        """Events dropped so far to keep the disk bounded (the maintenance screen's figure)."""
        try:
            return self.outbox.tally(TALLY) if self.outbox is not None else 0
        except Exception:
            return -1

    def wipe(self) -> None:
        """Forget the visit without recording its end (tests, tools)."""
        with self._lock:
            self._visit = None
            self.place = (None, None)
            self.did_something = False
