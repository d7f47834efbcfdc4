"""systemd's notify protocol (sd_notify), in a few lines, without Kivy or systemd bindings.

The kiosk's unit is `Type=notify` with `WatchdogSec=`: the app says `READY=1` once the first
screen is on the glass and `WATCHDOG=1` from the UI thread's own clock, so a hung main loop
stops the pings and systemd restarts the app. Pinging from a thread would keep a frozen
screen alive forever, which is why nothing here starts one.

The protocol is one datagram per message on the Unix socket named by `NOTIFY_SOCKET` (a
path, or `@name` for the abstract namespace); `WATCHDOG_USEC` is the deadline and
`WATCHDOG_PID`, when set, the only process meant to ping. Without `NOTIFY_SOCKET` (a
developer's desktop, the tests) every call is a no-op that returns False.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Mapping

log = logging.getLogger(__name__)


class SystemdNotifier:
    def __init__(self, env: Mapping[str, str] | None = None, pid: int | None = None) -> None:
        env = os.environ if env is None else env
        raw = env.get("NOTIFY_SOCKET", "")
        #: The socket address as connect() takes it ("\0name" for the abstract namespace).
        self.address = "\0" + raw[1:] if raw.startswith("@") else raw
        self._watchdog_usec = _positive_int(env.get("WATCHDOG_USEC"))
        owner = _positive_int(env.get("WATCHDOG_PID"))
        self._ours = owner is None or owner == (os.getpid() if pid is None else pid)
        self._failed = False

    @property
    def enabled(self) -> bool:
        return bool(self.address)

    def ping_interval_s(self) -> float | None:
        """How often to send WATCHDOG=1: a third of the deadline (systemd's advice is half;
        a third leaves room for one late frame). None when no watchdog is asked for us."""
        if not self.enabled or self._watchdog_usec is None or not self._ours:
            return None
        return self._watchdog_usec / 1e6 / 3

    def notify(self, *fields: str) -> bool:
        """Send `KEY=VALUE` fields as one datagram; True when it went out."""
        if not self.enabled:
            return False
        message = "\n".join(fields).encode("utf-8")
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC) as sock:
                sock.connect(self.address)
                sock.sendall(message)
        except OSError as exc:
            if not self._failed:  # once: a missing socket every few seconds is one fault
                log.warning("systemd notify socket unusable: %s", exc.strerror or exc)
                self._failed = True
            return False
        self._failed = False
        return True

    def ready(self, status: str = "attract screen shown") -> bool:
        return self.notify("READY=1", f"STATUS={status}")

    def ping(self) -> bool:
        return self.notify("WATCHDOG=1")

    def stopping(self) -> bool:
        return self.notify("STOPPING=1")


def _positive_int(text: str | None) -> int | None:
    try:
        value = int(text or "")
    except ValueError:
        return None
    return value if value > 0 else None
