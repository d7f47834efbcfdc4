"""Text → WAV through the pyttsx3 worker process, with a cache of rendered prompts.

Fixed prompts (commands, help, question texts without a resident's answers in them) are
kept in `<state>/speech/cache` across residents; everything else is rendered into
`<state>/speech/session` and wiped at the idle reset, so nothing a resident answered stays
on disk. A worker that raises, crashes or hangs is killed, the fault recorded, and a fresh
one started for the next text (the failed text is tried once more on the fresh worker).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import queue
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

from kiosk.services.faults import FaultLog

log = logging.getLogger(__name__)

CACHE_VERSION = "1"
#: After this many failed workers in a row, speech output is reported unavailable.
MAX_FAILURES = 4


class RenderError(Exception):
    """The text could not be rendered (the reason is plain and free of the text)."""


def cache_key(text: str, voice: str, rate: int, volume: float) -> str:
    raw = json.dumps([CACHE_VERSION, text, voice, rate, round(volume, 3)], ensure_ascii=False)
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:32]


class WorkerRenderer:
    def __init__(
        self,
        root: Path,
        faults: FaultLog | None = None,
        command: list[str] | None = None,
        timeout_s: float = 10.0,
    ) -> None:
        self.cache = root.resolve() / "cache"
        self.session = root.resolve() / "session"
        self.faults = faults
        self.command = command or [sys.executable, "-m", "kiosk.devices.tts_worker"]
        self.timeout_s = timeout_s
        self._proc: subprocess.Popen[str] | None = None
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._lock = threading.Lock()
        self._next_id = 0
        self._failures = 0
        self._broken: str | None = None
        self._timed_out = False
        self._closed = False
        self.voices: list[str] = []
        #: How many workers were started (1 + restarts), for tests and the health report.
        self.starts = 0

    # --- the worker process ----------------------------------------------------------

    def _fault(self, code: str) -> None:
        log.warning("speech worker fault: %s", code)
        if self.faults is not None:
            self.faults.record("tts", code)

    def _spawn(self) -> subprocess.Popen[str]:
        self._lines = queue.Queue()
        proc = subprocess.Popen(
            self.command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            text=True, encoding="utf-8", bufsize=1,
        )
        self.starts += 1
        lines = self._lines
        stdout = proc.stdout
        assert stdout is not None

        def pump() -> None:
            # This thread alone reads and closes the worker's stdout (closing it from another
            # thread while this one reads would leave the file descriptor open).
            with stdout:
                for line in stdout:
                    lines.put(line)
            lines.put(None)  # the worker is gone

        threading.Thread(target=pump, name="tts-worker-out", daemon=True).start()
        hello = self._read(self.timeout_s)
        if hello is None or not hello.get("ready"):
            self._kill(proc)
            reason = (hello or {}).get("error", "the speech worker did not start")
            self._broken = f"speech engine (pyttsx3 + espeak-ng) cannot start: {reason}"
            self._fault("engine_unavailable")
            raise RenderError(self._broken)
        self.voices = list(hello.get("voices", []))
        return proc

    def _read(self, timeout: float) -> dict[str, Any] | None:
        try:
            line = self._lines.get(timeout=timeout)
        except queue.Empty:
            self._timed_out = True
            return None
        if line is None:
            return None
        message: dict[str, Any] = json.loads(line)
        return message

    @staticmethod
    def _kill(proc: subprocess.Popen[str]) -> None:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=5)
        if proc.stdin is not None:
            with contextlib.suppress(OSError):  # a broken pipe from a dead worker
                proc.stdin.close()

    def _ask(self, request: dict[str, Any]) -> None:
        if self._proc is None or self._proc.poll() is not None:
            if self._proc is not None:
                self._kill(self._proc)
                self._fault("worker_crashed")
            self._proc = self._spawn()
        self._next_id += 1
        request["id"] = self._next_id
        stdin = self._proc.stdin
        assert stdin is not None
        try:
            stdin.write(json.dumps(request, ensure_ascii=False) + "\n")
            stdin.flush()
        except OSError:
            reply = None
        else:
            self._timed_out = False
            reply = self._read(self.timeout_s)
        if reply is not None and reply.get("ok") and reply.get("id") == request["id"]:
            self._failures = 0
            return
        # Engine exception, crash or hang: this worker is done for.
        self._kill(self._proc)
        self._proc = None
        self._failures += 1
        if reply is None:
            self._fault("worker_timeout" if self._timed_out else "worker_crashed")
        else:
            self._fault("engine_error")
            log.warning("speech engine error: %s", reply.get("error"))
        if self._failures >= MAX_FAILURES:
            self._broken = "the speech engine keeps failing; speech output is off until restart"
        raise RenderError("the speech engine failed on this text")

    # --- public ------------------------------------------------------------------------

    def cached(self, text: str, voice: str, rate: int, volume: float) -> Path | None:
        """The WAV for `text` if it was rendered before (a fixed prompt, or this session)."""
        name = f"{cache_key(text, voice, rate, volume)}.wav"
        return next((known for known in (self.cache / name, self.session / name) if known.exists()), None)

    def render(self, text: str, voice: str, rate: int, volume: float, fixed: bool = False) -> Path:
        """The WAV for `text` (rendered now or from the cache); RenderError if it cannot be."""
        known = self.cached(text, voice, rate, volume)
        if known is not None:
            return known
        name = f"{cache_key(text, voice, rate, volume)}.wav"
        folder = self.cache if fixed else self.session
        path = folder / name
        with self._lock:
            if self._closed:
                raise RenderError("the speech worker is closed")
            if self._broken:
                raise RenderError(self._broken)
            folder.mkdir(parents=True, exist_ok=True)
            request = {"text": text, "voice": voice, "rate": rate, "volume": volume, "out": str(path)}
            try:
                self._ask(dict(request))
            except RenderError:
                if self._broken:
                    raise
                self._ask(dict(request))  # once more, on a fresh worker
        return path

    def unavailable(self) -> str | None:
        return self._broken

    def start(self) -> None:
        """Start the worker now (at boot), so the first screen does not wait for it.

        Renders left from a session cut short (a crash, a power cut) are wiped first."""
        self.forget_session()
        self.ensure_started()

    def ensure_started(self) -> None:
        """The worker running (so `voices` is known), the session's renders kept."""
        with self._lock:
            if self._proc is None and not self._broken and not self._closed:
                with contextlib.suppress(RenderError):
                    self._proc = self._spawn()

    def forget_session(self) -> None:
        """Wipe renders made for the last resident."""
        shutil.rmtree(self.session, ignore_errors=True)

    def worker_pid(self) -> int | None:
        return self._proc.pid if self._proc is not None and self._proc.poll() is None else None

    def close(self) -> None:
        """Stop the worker for good: a render still queued after this fails, never respawns."""
        with self._lock:
            self._closed = True
            if self._proc is not None:
                stdin = self._proc.stdin
                if stdin is not None:
                    stdin.close()
                with contextlib.suppress(subprocess.TimeoutExpired):
                    self._proc.wait(timeout=2)
                self._kill(self._proc)
                self._proc = None
