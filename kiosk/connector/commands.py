"""Remote commands from the central admin, carried by the heartbeat reply (docs/api.md,
"Remote commands"): restart, sync, screenshot, logs. No Kivy here: the app gives callbacks.

Each command id runs once, remembered in the state dir across restarts; its result goes
through the outbox (exactly once). A screenshot is taken only at the attract screen: until
then the result is `deferred` (sent once) and the next heartbeat brings the command back.
"""

from __future__ import annotations

import base64
import datetime as dt
import gzip
import json
import logging
import os
import re
import shutil
import subprocess
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.connector.outbox import Outbox

log = logging.getLogger(__name__)

MAX_ATTACHMENT = 1_000_000  # the central service refuses more (docs/api.md)
KEEP_IDS = 500
_DIGITS = re.compile(r"\d[\d ]*\d")
_STAMP = re.compile(r"^(\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2})")


@dataclass
class CommandHooks:
    """What the running app provides; each None when there is no app (`kiosk connector`)."""

    #: Ends the app so systemd starts it again (called after the result is queued).
    restart: Callable[[], None] | None = None
    #: PNG bytes of the screen, only while the attract screen shows; None otherwise.
    screenshot: Callable[[], bytes | None] | None = None
    #: Content sync now; returns a short detail ("v7 in force").
    sync: Callable[[], str] | None = None
    #: The kiosk's own log file; None: journalctl -u legal-kiosk.
    log_file: Path | None = None


def scrub(text: str) -> str:
    """A run of 7 or more digits (a phone, ID or card number) is removed."""
    return _DIGITS.sub(lambda m: "[number removed]" if sum(c.isdigit() for c in m.group(0)) >= 7
                       else m.group(0), text)


def last_hour_of_file(path: Path, now: dt.datetime) -> str:
    """Lines stamped within the last hour (logging's default asctime); unstamped lines follow
    the line before them (tracebacks)."""
    since = now - dt.timedelta(hours=1)
    kept: list[str] = []
    keep = False
    with path.open(encoding="utf-8", errors="replace") as lines:
        for line in lines:
            stamp = _STAMP.match(line)
            if stamp:
                try:
                    keep = dt.datetime.fromisoformat(stamp.group(1).replace(" ", "T")) >= since
                except ValueError:
                    keep = False
            if keep:
                kept.append(line)
    return "".join(kept)


def journal_last_hour() -> str | None:
    """`journalctl -u legal-kiosk --since -1h`, or None where there is no journalctl."""
    if shutil.which("journalctl") is None:
        return None
    done = subprocess.run(["journalctl", "-u", "legal-kiosk", "--since", "-1h", "--no-pager"],
                          capture_output=True, text=True, timeout=30, check=False)
    return done.stdout if done.returncode == 0 else None


class CommandExecutor:
    def __init__(self, outbox: Outbox, state_dir: Path, hooks: CommandHooks | None = None, *,
                 wake: Callable[[], None] = lambda: None,
                 journal: Callable[[], str | None] = journal_last_hour,
                 now: Callable[[], dt.datetime] = lambda: dt.datetime.now()) -> None:
        self.outbox = outbox
        self.hooks = hooks or CommandHooks()
        self.wake = wake
        self.journal = journal
        self.now = now
        self._path = state_dir / "commands.json"
        self._lock = threading.Lock()
        self._done, self._deferred = self._load()

    def _load(self) -> tuple[list[str], set[str]]:
        try:
            raw = json.loads(self._path.read_text(encoding="utf-8"))
            return [str(x) for x in raw.get("done", [])], {str(x) for x in raw.get("deferred", [])}
        except FileNotFoundError:
            return [], set()
        except (OSError, ValueError, AttributeError):
            log.warning("commands state unreadable: starting afresh")
            return [], set()

    def _save(self) -> None:
        self._path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self._path.with_suffix(".tmp")
        with tmp.open("w", encoding="utf-8") as out:
            json.dump({"done": self._done[-KEEP_IDS:], "deferred": sorted(self._deferred)}, out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, self._path)

    def done(self, command_id: str) -> bool:
        return command_id in self._done

    def handle(self, commands: Any) -> dict[str, str]:
        """Run the heartbeat's commands not yet done; returns {id: status} of those run."""
        statuses: dict[str, str] = {}
        if not isinstance(commands, list):
            return statuses
        restart = False
        with self._lock:
            for command in commands:
                if not isinstance(command, dict):
                    continue
                command_id, kind = str(command.get("id", ""))[:40], str(command.get("kind", ""))
                if not command_id or command_id in self._done:
                    continue
                status, detail, attachment = self._run(kind)
                if status == "deferred":
                    if command_id in self._deferred:
                        continue  # told once already; the command comes back next heartbeat
                    self._deferred.add(command_id)
                else:
                    self._deferred.discard(command_id)
                    self._done.append(command_id)
                self._save()  # before the result is queued: never run twice, even after a crash
                self._report(command_id, status, detail, attachment)
                statuses[command_id] = status
                restart = restart or (kind == "restart" and status == "done")
        if statuses:
            self.wake()
        if restart and self.hooks.restart is not None:
            log.warning("restarting at the central admin's command")
            self.hooks.restart()
        return statuses

    def _report(self, command_id: str, status: str, detail: str, attachment: bytes | None) -> None:
        body: dict[str, Any] = {"status": status, "detail": scrub(detail)[:500]}
        if attachment is not None:
            body["attachment"] = base64.b64encode(attachment).decode("ascii")
        self.outbox.enqueue("command_result", f"/api/v1/commands/{command_id}/result", body)

    def _run(self, kind: str) -> tuple[str, str, bytes | None]:
        try:
            if kind == "restart":
                return ("done", "restarting", None) if self.hooks.restart else ("failed", "no app", None)
            if kind == "sync":
                if self.hooks.sync is None:
                    return "failed", "content sync not configured", None
                return "done", self.hooks.sync(), None
            if kind == "screenshot":
                return self._screenshot()
            if kind == "logs":
                return self._logs()
            return "failed", f"unknown command kind {kind[:40]!r}", None
        except Exception as exc:  # a command's failure is its result, never the heartbeat's
            log.warning("command %s failed: %s", kind, type(exc).__name__)
            return "failed", f"{type(exc).__name__}: {exc}", None

    def _screenshot(self) -> tuple[str, str, bytes | None]:
        if self.hooks.screenshot is None:
            return "failed", "no app", None
        png = self.hooks.screenshot()
        if png is None:
            return "deferred", "waiting for the attract screen", None
        if len(png) > MAX_ATTACHMENT:
            return "failed", f"screenshot too large ({len(png)} bytes)", None
        return "done", f"{len(png)} bytes", png

    def _logs(self) -> tuple[str, str, bytes | None]:
        log_file = self.hooks.log_file
        if log_file is not None and log_file.is_file():
            text, source = last_hour_of_file(log_file, self.now()), str(log_file)
        else:
            journal = self.journal()
            if journal is None:
                return "failed", "no log file configured and no journalctl", None
            text, source = journal, "journalctl -u legal-kiosk"
        data = scrub(text).encode("utf-8")
        blob = gzip.compress(data)
        while len(blob) > MAX_ATTACHMENT and data:  # keep the newest lines
            data = data[len(data) // 2:]
            blob = gzip.compress(data)
        return "done", f"{source}: {len(data)} bytes of the last hour", blob
