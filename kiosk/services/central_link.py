"""The running kiosk's tie to the connector: what the heartbeat reports, printer faults as
urgent events, new signed content prepared in the background and swapped in at the next idle,
and the status lines of the maintenance screen. No Kivy; the app calls `start`/`stop` and
`apply_pending` (at the idle wipe), the connector's threads call the rest.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.connector.client import CentralRefused, CentralUnavailable
from kiosk.connector.runtime import Connector
from kiosk.content.bundle import Bundle
from kiosk.flows.engine import FlowEngine
from kiosk.ports import PrinterStatus

if TYPE_CHECKING:
    from kiosk.bootstrap import Services
    from kiosk.search.service import SearchService

log = logging.getLogger(__name__)

#: A slip's fault code (kiosk.ports.PrintResult) as the printer state the heartbeat knows.
_NOT_ANSWERING = frozenset({"no_answer", "garbage", "disconnected", "no_port", "stalled", "adapter_error"})


def status_after_print(fault: str | None, warning: str | None) -> PrinterStatus:
    """What a print's result tells about the printer, in the heartbeat's terms."""
    if fault is None:
        return PrinterStatus(answered=True, online=True,
                             paper="near_end" if warning == "paper_near_end" else "ok")
    if fault == "paper_out":
        return PrinterStatus(answered=True, online=False, paper="out")
    if fault in _NOT_ANSWERING:
        return PrinterStatus(answered=False, detail=fault)
    return PrinterStatus(answered=True, online=False, cover_open=fault == "cover_open",
                         cutter_error=fault == "cutter_error", detail=fault)


@dataclass
class Pending:
    """A newer verified bundle, loaded and indexed off the UI thread, waiting for the idle."""

    signed: int
    bundle: Bundle
    engine: FlowEngine
    search: SearchService | None = None


@dataclass
class CentralLink:
    connector: Connector
    #: (content folder, locality) -> Bundle, the kiosk's own loader (bootstrap's).
    load: Callable[[Path, Path], Bundle]
    pending: Pending | None = None
    #: Wall-clock time the central service last answered this kiosk (any call).
    last_contact: float | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _stopped: bool = field(default=False, repr=False)
    #: The signed version the kiosk serves now (None: the shipped pack); the sync's own
    #: serving_version moves on as soon as a bundle is prepared, this one at the swap.
    signed: int | None = None
    _services: Services | None = field(default=None, repr=False)

    # --- set-up from the composition root ----------------------------------------------------

    def attach(self, services: Services) -> None:
        """Point the heartbeat at the services, and printer faults at the outbox."""
        self._services = services
        if self.connector.sync is not None:
            self.signed = self.connector.sync.serving_version
        sources = self.connector.health.sources
        sources.printer = services.printer
        sources.speaker = services.speaker
        sources.recognizer = services.recognizer
        sources.content_version = self.content_version
        sources.speech_model = lambda: _model_state(services.recognizer)
        services.printing.observer = self.printed
        if self.connector.sync is not None:
            self.connector.sync.on_ready = self.prepare

    def start(self, state: Callable[[], str]) -> None:
        """Background work begins (the app's on_start); `state` is asked at each heartbeat."""
        self.connector.health.sources.state = state
        self.connector.start()

    def stop(self) -> None:
        """Stop the background work once (the app's on_stop, then the launcher's finally)."""
        with self._lock:
            stopping, self._stopped = not self._stopped, True
        if stopping:
            self.connector.stop()

    # --- health ------------------------------------------------------------------------------

    def content_version(self) -> str:
        services = self._services
        version = services.bundle.version if services is not None else "unknown"
        return f"v{self.signed} ({version})" if self.signed is not None else version

    def printed(self, fault: str | None, warning: str | None) -> None:
        """A slip printed or failed (worker thread): a change goes out as an urgent event now."""
        try:
            self.connector.health.printer_changed(status_after_print(fault, warning))
        except Exception:
            log.exception("printer event not queued")

    # --- content updates ---------------------------------------------------------------------

    def prepare(self, signed: int) -> None:
        """Sync thread: a newer verified bundle is in force on disk. Load it and build its
        search index here, so the idle swap is a pointer change."""
        sync = self.connector.sync
        services = self._services
        if sync is None or services is None:
            return
        paths = sync.take_ready()
        if paths is None:
            return
        try:
            bundle = self.load(*paths)
        except (Exception, SystemExit):
            log.exception("verified content v%d could not be loaded; still serving %s", signed,
                          services.bundle.version)
            return
        cfg = services.cfg
        engine = FlowEngine(bundle, chain=cfg.fallback_chain, clock=lambda: services.clock().date())
        search = None
        try:
            from kiosk.search.service import SearchService

            search = SearchService.for_bundle(bundle, {
                loc: list(cfg.fallback_chain(loc)[1:]) for loc in cfg.locales})
        except Exception:
            log.exception("search index for content v%d not built; built on first use", signed)
        with self._lock:
            self.pending = Pending(signed, bundle, engine, search)
        log.info("content v%d (%s) ready: applies at the next idle", signed, bundle.version)

    def apply_pending(self) -> str | None:
        """At the idle wipe (no resident): serve the prepared bundle. Returns its version."""
        with self._lock:
            pending, self.pending = self.pending, None
        services = self._services
        if pending is None or services is None:
            return None
        services.swap_content(pending.bundle, pending.engine, pending.search)
        self.signed = pending.signed
        log.info("now serving content v%d (%s)", pending.signed, pending.bundle.version)
        return pending.bundle.version

    # --- the maintenance screen ----------------------------------------------------------------

    def probe(self) -> str:
        """One quick call (no retries): "" when the service answered, else why not."""
        try:
            self.connector.drain_client.get("/api/v1/services")
        except CentralUnavailable as exc:
            return exc.reason
        except CentralRefused as exc:
            if exc.status in (401, 403):
                return f"{exc.status} {exc.code}"
        self.last_contact = time.time()
        return ""

    def contact_time(self) -> float | None:
        desk_ok = self.connector.desk.last_ok
        times = [t for t in (self.last_contact, desk_ok) if t is not None]
        return max(times) if times else None

    def status(self) -> dict[str, Any]:
        """For the maintenance screen (worker thread): reachability, content, outbox."""
        problem = self.probe()
        contact = self.contact_time()
        sync = self.connector.sync
        with self._lock:
            waiting = self.pending.signed if self.pending is not None else None
        ready = sync.ready_version() if sync is not None else None
        counts = self.connector.outbox.counts()
        return {
            "url": self.connector.settings.url,
            "reachable": problem == "",
            "problem": problem,
            "last_contact": (dt.datetime.fromtimestamp(contact).isoformat(sep=" ", timespec="seconds")
                             if contact is not None else None),
            "signed_version": self.signed,
            "pending_version": waiting if waiting is not None else ready,
            "pending": counts.get("pending", 0),
            "failed": counts.get("failed", 0),
            "parked": [(p.kind, p.reason) for p in self.connector.outbox.parked()],
        }


def _model_state(recognizer: object) -> str:
    """"ok: vosk-model-small-cn-0.22 (Chinese, 42 MB)" when a model is loaded: which one."""
    state = _unit_state(getattr(recognizer, "unavailable", lambda: "no recognizer"))
    summary = getattr(recognizer, "model_summary", None)
    name = summary() if state == "ok" and callable(summary) else None
    return f"ok: {name}"[:120] if name else state


def _unit_state(unavailable: Callable[[], str | None]) -> str:
    try:
        reason = unavailable()
    except Exception as exc:
        return f"error: {type(exc).__name__}"
    return "ok" if reason is None else f"unavailable: {reason}"[:120]

