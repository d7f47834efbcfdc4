"""The A4 printer, through CUPS: status from `lpstat`, jobs with `lp`.

CUPS's own command-line clients rather than pycups: they need no C build (pycups needs
libcups2-dev and a compiler on the kiosk), speak to a local or remote scheduler the same
way (`-h`), and their exit codes and messages are stable. Each call has a timeout, so a
hung scheduler costs the resident a few seconds, never the kiosk.

Privacy: a job's title is the application code only; the PDF goes to the scheduler on
standard input, so no copy is left on the kiosk's disk, and CUPS deletes its spool copy
once printed (`PreserveJobFiles No`, the default).
"""

from __future__ import annotations

import logging
import os
import re
import subprocess
import time
from dataclasses import dataclass

log = logging.getLogger(__name__)

#: Fault codes, as the thermal printer's: the UI turns each into a plain sentence.
FAULTS = (
    "no_a4_printer", "cups_down", "unknown_printer", "disabled", "not_accepting", "job_failed", "timeout",
)


@dataclass(frozen=True)
class A4Status:
    answered: bool
    fault: str | None = None
    detail: str = ""


@dataclass(frozen=True)
class A4PrintResult:
    printed: bool
    fault: str | None = None
    job: str | None = None
    #: The job was accepted but had not finished when we stopped waiting.
    pending: bool = False


class NoA4Printer:
    """No `[a4] printer` configured: the resident takes the form home by QR instead."""

    def status(self) -> A4Status:
        return A4Status(answered=False, fault="no_a4_printer")

    def print_pdf(self, pdf: bytes, title: str) -> A4PrintResult:
        return A4PrintResult(printed=False, fault="no_a4_printer")


class CupsA4Printer:
    """One CUPS queue by name, on the local scheduler or `server` (a host or socket path)."""

    def __init__(self, name: str, server: str = "", timeout_s: float = 8.0, wait_s: float = 20.0) -> None:
        if not re.fullmatch(r"[A-Za-z0-9_.@-]{1,127}", name):
            raise ValueError(f"not a CUPS queue name: {name!r}")
        self.name = name
        self.server = server
        self.timeout_s = timeout_s
        self.wait_s = wait_s

    def _run(self, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
        env = dict(os.environ, LC_ALL="C", LANG="C")
        if self.server:
            env["CUPS_SERVER"] = self.server
        return subprocess.run(list(args), input=stdin, capture_output=True, timeout=self.timeout_s,
                              env=env, check=False)

    def status(self) -> A4Status:
        try:
            running = self._run("lpstat", "-r")
            if running.returncode != 0 or b"not running" in running.stdout:
                return A4Status(answered=False, fault="cups_down")
            shown = self._run("lpstat", "-p", self.name)
            accepting = self._run("lpstat", "-a", self.name)
        except FileNotFoundError:
            return A4Status(answered=False, fault="cups_down", detail="lpstat not installed (cups-client)")
        except subprocess.TimeoutExpired:
            return A4Status(answered=False, fault="timeout")
        text = (shown.stdout + shown.stderr).decode("utf-8", "replace")
        if shown.returncode != 0:
            return A4Status(answered=True, fault="unknown_printer", detail=text.strip()[:200])
        if "disabled" in text:
            return A4Status(answered=True, fault="disabled", detail=text.strip()[:200])
        if b"not accepting" in accepting.stdout:
            return A4Status(answered=True, fault="not_accepting")
        return A4Status(answered=True)

    def print_pdf(self, pdf: bytes, title: str) -> A4PrintResult:
        """Queue the PDF and wait (up to `wait_s`) for CUPS to finish it."""
        before = self.status()
        if before.fault:
            return A4PrintResult(printed=False, fault=before.fault)
        try:
            sent = self._run("lp", "-d", self.name, "-t", title, "-o", "media=A4", "-", stdin=pdf)
        except subprocess.TimeoutExpired:
            return A4PrintResult(printed=False, fault="timeout")
        out = (sent.stdout + sent.stderr).decode("utf-8", "replace")
        match = re.search(r"request id is (\S+)", out)
        if sent.returncode != 0 or not match:
            log.warning("lp refused the job: %s", out.strip()[:200])
            return A4PrintResult(printed=False, fault="job_failed")
        job = match.group(1)
        return self._wait(job)

    def _wait(self, job: str) -> A4PrintResult:
        deadline = time.monotonic() + self.wait_s
        while time.monotonic() < deadline:
            try:
                pending = self._run("lpstat", "-W", "not-completed", "-o", self.name)
            except subprocess.TimeoutExpired:
                break
            if job not in pending.stdout.decode("utf-8", "replace"):
                return self._finished(job)
            time.sleep(0.2)
        return A4PrintResult(printed=True, job=job, pending=True)

    def _finished(self, job: str) -> A4PrintResult:
        """A job that left the queue finished, unless the printer stopped on it (CUPS's default
        error policy stops the queue when a backend fails: the fault names why)."""
        after = self.status()
        if after.fault:
            return A4PrintResult(printed=False, fault=after.fault, job=job)
        return A4PrintResult(printed=True, job=job)


def make_a4_printer(section: dict[str, object]) -> CupsA4Printer | NoA4Printer:
    """From the kiosk config's `[a4]`: `printer` (a CUPS queue name; empty: none), `server`."""
    name = str(section.get("printer", "") or "")
    if not name:
        return NoA4Printer()
    return CupsA4Printer(name, server=str(section.get("server", "") or ""))
