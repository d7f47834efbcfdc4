"""The connector's background work: outbox drain, content sync and heartbeat, each in its
own daemon thread with a clean stop. Nothing here runs on (or blocks) the UI thread.

Intervals carry jitter so a province-wide power restore does not make every kiosk call
at the same second: the first sync waits a random part of its interval, later ones
interval x U(0.8, 1.2); the heartbeat follows the server's poll_interval hint.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.connector.client import CentralClient, CentralRefused, CentralUnavailable
from kiosk.connector.commands import CommandExecutor, CommandHooks
from kiosk.connector.desk import CentralDesk
from kiosk.connector.drain import DrainResult, drain
from kiosk.connector.health import Health
from kiosk.connector.outbox import Outbox
from kiosk.connector.settings import CentralSettings

if TYPE_CHECKING:
    from kiosk.connector.sync import ContentSync

log = logging.getLogger(__name__)


def jittered(interval: float, rng: random.Random, spread: float = 0.2) -> float:
    return max(1.0, interval * rng.uniform(1 - spread, 1 + spread))


class Connector:
    """Owns the desk, the outbox, the content sync and the health reporter."""

    def __init__(self, settings: CentralSettings, *, desk: CentralDesk, outbox: Outbox,
                 drain_client: CentralClient, sync: ContentSync | None, health: Health,
                 rng: random.Random | None = None, commands: CommandExecutor | None = None) -> None:
        self.settings = settings
        self.desk = desk
        self.outbox = outbox
        self.drain_client = drain_client
        self.sync = sync
        self.health = health
        self.rng = rng or random.Random()
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._threads: list[threading.Thread] = []
        self.last_drain: DrainResult | None = None
        self._marker = settings.state_dir / "connector.running"
        self._sync_lock = threading.Lock()  # the sync loop and a "sync now" command
        #: Remote commands from the heartbeat reply; the app sets restart/screenshot hooks.
        self.commands = commands or CommandExecutor(
            outbox, settings.state_dir, CommandHooks(log_file=settings.log_file), wake=self.wake)
        if self.commands.hooks.sync is None and sync is not None:
            self.commands.hooks.sync = self.sync_now

    # --- life cycle -----------------------------------------------------------------------

    def start(self) -> None:
        if self._threads:
            return
        if self._marker.exists():  # the last run did not stop cleanly: a crash or power cut
            self.health.event("crash_restart", {})
        self._marker.parent.mkdir(parents=True, exist_ok=True)
        self._marker.write_text(str(time.time()), encoding="utf-8")
        loops: list[tuple[str, Callable[[], None]]] = [("outbox", self._drain_loop),
                                                        ("heartbeat", self._heartbeat_loop)]
        if self.sync is not None:
            loops.append(("content-sync", self._sync_loop))
        for name, target in loops:
            thread = threading.Thread(target=target, name=f"connector-{name}", daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        deadline = time.monotonic() + timeout
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        alive = [t.name for t in self._threads if t.is_alive()]
        if alive:
            log.warning("connector threads still busy at stop: %s", ", ".join(alive))
        self._threads = []
        self._marker.unlink(missing_ok=True)
        self.outbox.close()

    def wake(self) -> None:
        """Something urgent was queued: drain now."""
        self._wake.set()

    def refresh_config(self) -> None:
        """Re-read GET /api/v1/config (public base URL, sealing key) into the cache."""
        from kiosk.connector.central_config import refresh_config

        try:
            refresh_config(self.drain_client, self.settings.state_dir)
        except (CentralUnavailable, CentralRefused) as exc:
            log.info("central config not refreshed: %s", exc)
        except Exception:
            log.exception("central config refresh failed")

    # --- loops ----------------------------------------------------------------------------

    def _sleep(self, seconds: float, event: threading.Event | None = None) -> bool:
        """Wait (cut short by stop, or by `event`); False once stopping."""
        (event or self._stop).wait(max(0.0, seconds))
        return not self._stop.is_set()

    def drain_once(self, now: bool = False) -> DrainResult:
        self.last_drain = drain(self.outbox, self.drain_client, stop=self._stop, now=now)
        return self.last_drain

    def _drain_loop(self) -> None:
        while not self._stop.is_set():
            self._wake.clear()
            try:
                self.drain_once()
            except Exception:
                log.exception("outbox drain failed")
            due = self.outbox.next_due_at()
            wait = self.settings.drain_interval_s if due is None else min(
                self.settings.drain_interval_s, max(0.5, due - time.time()))
            if not self._sleep(wait, self._wake):
                return

    def sync_now(self) -> str:
        """One content sync at once (a remote "sync" command); SyncFailed propagates."""
        assert self.sync is not None
        with self._sync_lock:
            result = self.sync.sync_once()
        fetched = f", {len(result.downloaded)} downloaded" if result.changed else ", unchanged"
        return f"v{result.version}{fetched}"

    def _sync_loop(self) -> None:
        from kiosk.connector.sync import SyncFailed

        assert self.sync is not None
        if not self._sleep(self.rng.uniform(0, self.settings.sync_interval_s)):
            return
        while not self._stop.is_set():
            try:
                with self._sync_lock:
                    result = self.sync.sync_once()
                if result.changed:
                    log.info("content v%d ready (%d downloaded)", result.version, len(result.downloaded))
            except SyncFailed as exc:
                (log.warning if exc.kind != "unreachable" else log.info)("content sync: %s", exc)
            except Exception:
                log.exception("content sync failed")
            if not self._sleep(jittered(self.settings.sync_interval_s, self.rng)):
                return

    def _heartbeat_loop(self) -> None:
        if not self._sleep(self.rng.uniform(0, min(60.0, self.settings.heartbeat_interval_s))):
            return
        while not self._stop.is_set():
            try:
                answer = self.health.beat()
                self.commands.handle(answer.get("commands"))
            except (CentralUnavailable, CentralRefused) as exc:
                log.info("heartbeat not delivered: %s", exc)
            except Exception:
                log.exception("heartbeat failed")
            self.refresh_config()
            interval = self.health.poll_interval_s or self.settings.heartbeat_interval_s
            if not self._sleep(jittered(interval, self.rng, 0.1)):
                return


def state_paths(settings: CentralSettings) -> tuple[Path, Path]:
    """(outbox database, cache folder) under the kiosk's state directory."""
    return settings.state_dir / "outbox.sqlite3", settings.state_dir / "central"
