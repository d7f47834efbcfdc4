"""Fleet health: the heartbeat, device state changes turned into urgent events, clock skew.

The heartbeat is sent directly (a stale heartbeat is worth nothing, so it is never queued);
events such as paper_out go through the outbox at once, so they arrive exactly once even if
the line is down when they happen. Nothing a resident entered is ever in either.
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from kiosk.connector.client import CentralClient
from kiosk.connector.outbox import Outbox
from kiosk.ports import Printer, PrinterStatus, Recognizer, Speaker

log = logging.getLogger(__name__)

EVENT_KINDS = frozenset({"paper_out", "paper_near_end", "printer_offline", "content_verification_failed",
                         "content_stale", "crash_restart", "usage"})


def app_version() -> str:
    try:
        return metadata.version("legal-kiosk")
    except metadata.PackageNotFoundError:
        return "unknown"


@dataclass
class HealthSources:
    """What the heartbeat looks at; every part optional (absent = reported as unknown).

    The heartbeat runs in its own thread: give it the printer wrapped in
    kiosk.devices.locked.LockedPrinter (the same instance the print service uses), so a
    status query never lands inside a slip."""

    printer: Printer | None = None
    speaker: Speaker | None = None
    recognizer: Recognizer | None = None
    #: "idle" | "in_session" | "maintenance": the app's state, asked at each beat.
    state: Callable[[], str] = lambda: "idle"
    content_version: Callable[[], str] = lambda: "unknown"
    #: Whether the speech model is there (None: not configured).
    speech_model: Callable[[], str] = lambda: "unknown"
    started: float = field(default_factory=time.monotonic)


def _device(unit: Speaker | Recognizer | None) -> str:
    if unit is None:
        return "absent"
    try:
        reason = unit.unavailable()
    except Exception as exc:
        return f"error: {type(exc).__name__}"
    return "ok" if reason is None else f"unavailable: {reason}"[:120]


def printer_events(before: PrinterStatus | None, now: PrinterStatus) -> list[str]:
    """Urgent events for a printer change (only on the transition, never every beat)."""
    def kind(status: PrinterStatus | None) -> str | None:
        if status is None:
            return None
        if not status.answered or (not status.online and status.paper != "out"):
            return "printer_offline"
        if status.paper == "out":
            return "paper_out"
        if status.paper == "near_end":
            return "paper_near_end"
        return None

    was, new = kind(before), kind(now)
    return [new] if new is not None and new != was else []


class Health:
    def __init__(self, client: CentralClient, outbox: Outbox, sources: HealthSources, state_dir: Path,
                 wake: Callable[[], None] | None = None,
                 now: Callable[[], dt.datetime] = lambda: dt.datetime.now().astimezone()) -> None:
        self.client = client
        self.outbox = outbox
        self.sources = sources
        self.state_dir = state_dir
        self.wake = wake or (lambda: None)
        self.now = now
        self._printer: PrinterStatus | None = None
        self._printer_lock = threading.Lock()
        #: Server time minus ours, in seconds (None before the first answer).
        self.clock_skew_s: float | None = None
        self.poll_interval_s: float | None = None
        #: Usage events dropped to keep the disk bounded (issue 15), for the heartbeat.
        self.usage_dropped: Callable[[], int] | None = None

    def event(self, kind: str, detail: dict[str, Any] | None = None) -> str:
        """Queue an urgent event; the drainer is woken to send it at once."""
        if kind not in EVENT_KINDS:
            raise ValueError(f"unknown event kind {kind!r}")
        key = self.outbox.enqueue("event", "/api/v1/events",
                                  {"kind": kind, "at": self.now().isoformat(timespec="seconds"),
                                   "detail": detail or {}})
        self.wake()
        return key

    def printer_status(self) -> PrinterStatus | None:
        if self.sources.printer is None:
            return None
        try:
            status = self.sources.printer.status()
        except Exception as exc:
            status = PrinterStatus(answered=False, detail=f"error: {type(exc).__name__}")
        self.printer_changed(status)
        return status

    def printer_changed(self, status: PrinterStatus) -> None:
        """The printer's state as last seen (a status query, or a slip's result): a change
        to paper out, near end or offline is queued as an urgent event, once."""
        with self._printer_lock:
            kinds = printer_events(self._printer, status)
            self._printer = status
        for kind in kinds:
            self.event(kind, {"detail": status.fault or ""})

    def payload(self) -> dict[str, Any]:
        status = self.printer_status()
        try:
            free_mb = shutil.disk_usage(self.state_dir if self.state_dir.exists() else "/").free // 2**20
        except OSError:
            free_mb = -1
        return {
            "state": self.sources.state(),
            "content_version": self.sources.content_version(),
            "app_version": app_version(),
            "printer": {"status": "absent" if status is None else (status.fault or "ok"),
                        "paper": "unknown" if status is None else status.paper},
            "mic": _device(self.sources.recognizer),
            "speaker": _device(self.sources.speaker),
            "speech_model": self.sources.speech_model(),
            "disk_free_mb": int(free_mb),
            "uptime_s": int(time.monotonic() - self.sources.started),
            "clock": self.now().isoformat(timespec="seconds"),
            **({"usage_dropped": int(self.usage_dropped())} if self.usage_dropped is not None else {}),
        }

    def beat(self) -> dict[str, Any]:
        """Send one heartbeat; returns the server's answer (raises CentralUnavailable/Refused)."""
        body = self.payload()
        sent = time.time()
        answer = self.client.post("/api/v1/heartbeat", body)
        received = time.time()
        if isinstance(answer, dict):
            if answer.get("server_time"):
                server = dt.datetime.fromisoformat(str(answer["server_time"]).replace("Z", "+00:00"))
                self.clock_skew_s = server.timestamp() - (sent + received) / 2
                if abs(self.clock_skew_s) > 120:
                    log.warning("kiosk clock is %.0f s off the central service's", self.clock_skew_s)
            hint = answer.get("poll_interval")
            if isinstance(hint, int | float) and hint > 0:
                self.poll_interval_s = float(hint)
        return answer if isinstance(answer, dict) else {}
