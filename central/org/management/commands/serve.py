"""`central serve`: gunicorn on loopback, plus the housekeeping loop in this process."""

from __future__ import annotations

import logging
import signal
import subprocess
import sys
import threading
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from central.housekeeping import run_once

log = logging.getLogger(__name__)
HOUSEKEEPING_S = 60


def _housekeeping(stop: threading.Event) -> None:
    while not stop.is_set():
        try:
            run_once()
        except Exception:  # keep serving: the next round tries again
            log.exception("housekeeping failed")
        stop.wait(HOUSEKEEPING_S)


class Command(BaseCommand):
    help = "Serve the central service (gunicorn; Django's development server only with --dev)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8700)
        parser.add_argument("--host", default="127.0.0.1", help="default loopback; 0.0.0.0 behind a proxy")
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument("--dev", action="store_true", help="Django's runserver (development only)")

    def handle(self, *args: Any, **options: Any) -> None:
        stop = threading.Event()
        threading.Thread(target=_housekeeping, args=(stop,), daemon=True, name="housekeeping").start()
        bind = f"{options['host']}:{options['port']}"
        if options["dev"]:
            call_command("runserver", bind if ":" not in options["host"] else f"[{options['host']}]:"
                         f"{options['port']}", use_reloader=False)
            return
        cmd = [sys.executable, "-m", "gunicorn", "central.wsgi:application", "--bind", bind,
               "--workers", str(options["workers"]), "--threads", str(options["threads"]),
               "--worker-class", "gthread", "--timeout", "30", "--graceful-timeout", "5",
               "--keep-alive", "5", "--backlog", "512",
               # Above nginx's 4 KiB (deploy/central/nginx-site.conf.in), which answers as JSON.
               "--limit-request-line", "8190"]
        proc = subprocess.Popen(cmd)

        def forward(signum: int, frame: Any) -> None:
            proc.send_signal(signum)

        signal.signal(signal.SIGTERM, forward)
        signal.signal(signal.SIGINT, forward)
        self.stdout.write(f"central serving on http://{bind}/ (gunicorn, {options['workers']} workers)")
        code = proc.wait()
        stop.set()
        if code:
            raise SystemExit(code)
