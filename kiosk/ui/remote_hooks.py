"""The app's side of remote commands (kiosk/connector/commands.py): a restart that lets
systemd start the app again, and a screenshot taken only while the attract screen shows.

Both are asked from the connector's heartbeat thread; the work is done on Kivy's main thread
(the only one that may touch the window), and the thread waits for it with a time limit.
"""

from __future__ import annotations

import tempfile
import threading
from pathlib import Path
from typing import Any

from kivy.clock import Clock
from kivy.core.window import Window

from kiosk.connector.commands import CommandHooks

WAIT_S = 10.0


def attract_only_png(app: Any) -> bytes | None:
    """Main thread: PNG bytes of the window if the attract screen is fully shown, else None."""
    manager = app.root
    if manager is None or manager.current != "attract" or manager.transition.is_active:
        return None
    with tempfile.TemporaryDirectory(prefix="kiosk-shot-") as folder:
        written = Window.screenshot(name=str(Path(folder) / "shot.png"))
        return Path(written).read_bytes() if written else None


def attach(app: Any, hooks: CommandHooks) -> None:
    """Give the connector's command executor the app's restart and screenshot."""
    def on_main_thread_png() -> bytes | None:
        done = threading.Event()
        out: list[bytes | None] = [None]

        def take(_dt: float) -> None:
            try:
                out[0] = attract_only_png(app)
            finally:
                done.set()

        Clock.schedule_once(take)
        if not done.wait(WAIT_S):
            return None  # the UI is busy: deferred, tried at the next heartbeat
        return out[0]

    hooks.screenshot = on_main_thread_png
    hooks.restart = lambda: Clock.schedule_once(lambda _dt: app.stop())
