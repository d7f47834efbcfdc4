"""Real servers for tests and benches: a throwaway PostgreSQL cluster and `central serve`.

Never the machine's own PostgreSQL: initdb makes a private cluster in a temporary folder,
on a free loopback port with its socket in that folder, and it is removed afterwards.
"""

from __future__ import annotations

import contextlib
import glob
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CENTRAL = str(Path(sys.executable).with_name("central"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


def pg_missing() -> str | None:
    """Why a private PostgreSQL cannot be started here, or None."""
    if pg_bin() is None:
        return "PostgreSQL server binaries not installed (apt-get install postgresql)"
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        return "runuser missing: initdb must run as the postgres user"
    return None


@dataclass
class PgCluster:
    root: Path
    port: int
    durable: bool = False

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/central"

    def _run(self, *cmd: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run([*prefix, *cmd], check=True, capture_output=True, timeout=120)

    def start(self) -> PgCluster:
        binary = pg_bin()
        assert binary is not None
        data, sock = self.root / "data", self.root / "sock"
        sock.mkdir()
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres")
            shutil.chown(sock, "postgres")
        self._run(str(binary / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8",
                  "--locale=C", "--no-sync")
        opts = f"-p {self.port} -k {sock} -c listen_addresses=127.0.0.1 -c max_connections=300"
        if not self.durable:
            opts += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        self._run(str(binary / "pg_ctl"), "-D", str(data), "-o", opts, "-l", str(self.root / "log"),
                  "-w", "-t", "60", "start")
        self._run(str(binary / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
                  "central")
        return self

    def stop(self) -> None:
        binary = pg_bin()
        if binary is not None and (self.root / "data" / "postmaster.pid").exists():
            with contextlib.suppress(subprocess.CalledProcessError):
                self._run(str(binary / "pg_ctl"), "-D", str(self.root / "data"), "-m", "immediate",
                          "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)


def start_pg(durable: bool = False) -> PgCluster:
    # Under /tmp, not $TMPDIR: the postgres user must be able to reach the folder.
    root = Path(tempfile.mkdtemp(prefix="central-pg-", dir="/tmp" if os.path.isdir("/tmp") else None))
    os.chmod(root, 0o755)
    return PgCluster(root, free_port(), durable).start()


@dataclass
class CentralServer:
    url: str
    env: dict[str, str]
    data_dir: Path
    demo: dict[str, str]
    proc: subprocess.Popen[bytes] | None = None
    log: Path = field(default_factory=Path)

    def command(self, *args: str) -> str:
        done = subprocess.run([CENTRAL, *args], env=self.env, capture_output=True, text=True, timeout=120)
        if done.returncode:
            raise RuntimeError(f"central {' '.join(args)} failed: {done.stderr[-2000:]}")
        return done.stdout

    def django(self, code: str) -> str:
        """Run Python inside the server's Django (same database): for test set-up only."""
        return self.command("shell", "--no-imports", "-c", code)

    def start(self, port: int, workers: int = 2, threads: int = 8) -> None:
        """`central serve` on `port`; returns once /healthz answers (again, after a kill)."""
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(
                [CENTRAL, "serve", "--port", str(port), "--workers", str(workers), "--threads", str(threads)],
                env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"central did not start: {self.log.read_text()[-2000:]}")
            time.sleep(0.2)

    def kill(self) -> None:
        """SIGKILL the node (gunicorn master, workers, housekeeping): a crash, not a stop."""
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


def start_central(database_url: str | None, data_dir: Path, workers: int = 2, threads: int = 8,
                  extra_env: dict[str, str] | None = None, setup: bool = True) -> CentralServer:
    """migrate + demo (unless `setup` is False: another node on the same database did it) +
    serve on a free loopback port; returns once /healthz answers.

    The queue takes tickets at any time of day unless `extra_env` says
    CENTRAL_QUEUE_HOURS=plans: tests and benches not about office hours must pass at night."""
    env = {**os.environ, "CENTRAL_QUEUE_HOURS": "always", "CENTRAL_DATA_DIR": str(data_dir),
           **(extra_env or {})}
    env["DATABASE_URL"] = database_url or f"sqlite:///{data_dir / 'central.sqlite3'}"
    if not env.get("CENTRAL_SECRET_KEY") and not env.get("CENTRAL_SECRET_KEY_FILE"):
        env["CENTRAL_SECRET_KEY"] = secrets.token_urlsafe(50)  # PostgreSQL requires one
    env.pop("DJANGO_SETTINGS_MODULE", None)
    data_dir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    server = CentralServer(f"http://127.0.0.1:{port}", env, data_dir, {}, log=data_dir / "serve.log")
    if setup:
        server.command("migrate")
        server.demo = json.loads(server.command("demo", "--json"))
    server.start(port, workers, threads)
    return server
