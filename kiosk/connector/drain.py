"""Deliver what the outbox holds, each item exactly once.

The order of steps is the guarantee: POST with the item's fixed Idempotency-Key and its
exact stored bytes, and only then mark it delivered. A crash between the server's 2xx and
the local commit leaves the item pending; the next drain replays the same key and body,
and the server answers with its first answer without acting again.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from kiosk.connector.client import CentralClient, CentralRefused, CentralUnavailable
from kiosk.connector.outbox import Outbox

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DrainResult:
    delivered: int
    pending: int
    failed: int
    #: Why the drain stopped early (the server unreachable), or "".
    stopped: str = ""


def drain(outbox: Outbox, client: CentralClient, *, stop: threading.Event | None = None,
          limit: int = 1000, now: bool = False) -> DrainResult:
    """Deliver due items (`now=True`: all pending ones) until done or the line fails."""
    delivered = 0
    tried: set[str] = set()
    stopped = ""
    while not stopped and delivered < limit:
        batch = [i for i in outbox.due(limit=min(100, limit - delivered), now=now) if i.key not in tried]
        if not batch:
            break
        for item in batch:
            tried.add(item.key)
            if stop is not None and stop.is_set():
                stopped = "stopping"
                break
            try:
                answer = client.post_raw(item.path, item.body, item.key)
            except CentralUnavailable as exc:
                outbox.retry_later(item.key, exc.reason, exc.retry_after)
                stopped = exc.reason  # the line is down: the rest waits for the next round
                break
            except CentralRefused as exc:
                if exc.status == 409 and exc.code == "idempotency_key_reused":
                    fresh = outbox.rekey(item.key, f"{exc.status} {exc.code}")
                    log.warning("outbox: the server holds a damaged request under %s's key; %s",
                                item.kind, "sending it again under a new key" if fresh else "parked")
                    continue
                log.warning("outbox: %s %s refused (%s): parked", item.kind, item.key, exc.code)
                outbox.park(item.key, f"{exc.status} {exc.code}")
                continue
            outbox.acknowledge(item.key, answer.data)
            delivered += 1
    counts = outbox.counts()
    return DrainResult(delivered, counts["pending"], counts["failed"], stopped)
