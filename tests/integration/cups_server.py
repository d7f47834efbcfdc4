"""A private CUPS scheduler on a Unix socket in a temp folder, with a cups-pdf queue.

Nothing of the machine's own CUPS is touched: the scheduler has its own ServerRoot, spool
and logs, and the kiosk's adapter is pointed at its socket. cups-pdf writes each job to
the folder its system configuration names (`Out ${HOME}/PDF` on Debian: the job user's
home), which `pdf_out_dir()` reads.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

CUPSD = "/usr/sbin/cupsd"
CUPS_PDF_PPD = Path("/usr/share/ppd/cups-pdf/CUPS-PDF_noopt.ppd")
CUPS_PDF_BACKEND = Path("/usr/lib/cups/backend/cups-pdf")


def missing() -> str | None:
    """Why a private CUPS with a PDF printer cannot run here, or None."""
    for path, package in ((Path(CUPSD), "cups"), (CUPS_PDF_BACKEND, "printer-driver-cups-pdf"),
                          (CUPS_PDF_PPD, "printer-driver-cups-pdf")):
        if not path.exists():
            return f"{path} not found: apt-get install {package}"
    for tool in ("lp", "lpstat", "lpadmin", "pdftotext"):
        if not shutil.which(tool):
            return f"{tool} not found: apt-get install cups-client poppler-utils"
    if os.geteuid() != 0:
        return "cupsd runs its backends as root here: run the tests as root"
    return None


def pdf_out_dir() -> Path:
    conf = Path("/etc/cups/cups-pdf.conf")
    out = "${HOME}/PDF"
    if conf.exists():
        for line in conf.read_text(encoding="utf-8", errors="replace").splitlines():
            match = re.match(r"^\s*Out\s+(\S+)", line)
            if match:
                out = match.group(1)
    return Path(out.replace("${HOME}", str(Path.home())))


@dataclass
class PrivateCups:
    root: Path
    process: subprocess.Popen[bytes] | None = None

    @classmethod
    def in_temp_folder(cls) -> PrivateCups:
        """A folder CUPS's filters (run as the `lp` user) can enter: pytest's are root-only."""
        root = Path(tempfile.mkdtemp(prefix="kiosk-cups-"))
        root.chmod(0o755)
        return cls(root)

    @property
    def socket(self) -> str:
        return str(self.root / "cups.sock")

    def env(self) -> dict[str, str]:
        return dict(os.environ, CUPS_SERVER=self.socket, LC_ALL="C")

    def start(self) -> None:
        for sub in ("conf", "spool", "cache", "state", "log"):
            (self.root / sub).mkdir(parents=True, exist_ok=True)
        logs = "\n".join(f"{kind}Log {self.root}/log/{kind.lower()}_log" for kind in ("Error", "Access", "Page"))
        (self.root / "conf" / "cupsd.conf").write_text(
            f"Listen {self.socket}\nLogLevel warn\n{logs}\nErrorPolicy stop-printer\n"
            "<Location />\n  Order allow,deny\n  Allow all\n</Location>\n"
            "<Location /admin>\n  Order allow,deny\n  Allow all\n</Location>\n", encoding="utf-8")
        (self.root / "conf" / "cups-files.conf").write_text(
            f"ServerRoot {self.root}/conf\nRequestRoot {self.root}/spool\nCacheDir {self.root}/cache\n"
            f"StateDir {self.root}/state\nTempDir {self.root}/spool\n{logs}\n"
            "ServerBin /usr/lib/cups\nDataDir /usr/share/cups\n", encoding="utf-8")
        self.process = subprocess.Popen(
            [CUPSD, "-f", "-c", f"{self.root}/conf/cupsd.conf", "-s", f"{self.root}/conf/cups-files.conf"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if subprocess.run(["lpstat", "-r"], env=self.env(), capture_output=True).returncode == 0:
                return
            time.sleep(0.1)
        raise RuntimeError("private cupsd did not start")

    def add_pdf_queue(self, name: str, timeout_s: float = 30) -> None:
        """Add a cups-pdf queue; a scheduler that has only just started (or a loaded machine)
        may refuse the first tries, so it is asked again for a while before giving up."""
        deadline = time.monotonic() + timeout_s
        while True:
            done = subprocess.run(["lpadmin", "-p", name, "-v", "cups-pdf:/", "-P", str(CUPS_PDF_PPD), "-E"],
                                  env=self.env(), capture_output=True, text=True)
            if done.returncode == 0:
                return
            if time.monotonic() > deadline:
                raise RuntimeError(f"lpadmin could not add {name}: {done.stderr.strip()}")
            time.sleep(0.5)

    def disable(self, name: str) -> None:
        subprocess.run(["cupsdisable", name], env=self.env(), check=True, capture_output=True)

    def enable(self, name: str) -> None:
        subprocess.run(["cupsenable", name], env=self.env(), check=True, capture_output=True)

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def __enter__(self) -> PrivateCups:
        """Started, with nothing left running if starting fails half-way."""
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()


def serve_pdf_queue(queue: str) -> Iterator[PrivateCups]:
    """Body of a module fixture: a private scheduler with one cups-pdf queue, or a skip that
    says what is missing; stopped and removed afterwards."""
    import pytest

    reason = missing()
    if reason:
        pytest.skip(f"no private CUPS with a PDF printer: {reason}")
    with PrivateCups.in_temp_folder() as server:
        server.add_pdf_queue(queue)
        yield server
    shutil.rmtree(server.root, ignore_errors=True)
