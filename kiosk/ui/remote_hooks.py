"""The app's side of remote commands (kiosk/connector/commands.py): a restart that lets
systemd start the app again, and a screenshot taken only while the attract screen shows.

Both are asked from the connector's heartbeat thread; the work is done on Kivy's main thread
(the only one that may touch the window), and the thread waits for it with a time limit.
"""

from __future__ import annotations

import io
import threading
from typing import Any

from kivy.clock import Clock
from kivy.core.window import Window

from kiosk.connector.commands import CommandHooks

WAIT_S = 10.0


def attract_only_png(app: Any) -> bytes | None:
    """Main thread: PNG bytes of the window if the attract screen is fully shown and nothing
    lies over it, else None. The frame is drawn now and read back before any swap (as the UI
    tools' `Driver.capture` does): after a swap the back buffer is undefined on real GPUs."""
    from kiosk.ui.driver import Driver

    manager = app.root
    if manager is None or manager.current != "attract" or manager.transition.is_active:
        return None
    if list(Window.children) != [manager]:
        return None  # an overlay (a modal, a toast) may hold what the attract screen does not
    out = io.BytesIO()
    Driver(app).capture().save(out, format="PNG")
    return out.getvalue()


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
