"""The app's side of remote commands under Xvfb: a screenshot only at the attract screen
(never with a resident's screen on the glass), taken on the UI thread for the heartbeat's.

`kiosk.ui.remote_hooks` imports Kivy's window, so it is imported inside the test, after the
`ui` fixture has set Kivy up: imported at collection, it opened the process's one window
before tests/ui/conftest.py could (default 800×600 at density 1, not 540×960 at 0.5), and
every later test in the process drew into a window bigger than its X window.
"""

from __future__ import annotations

import io
import threading

from kiosk.connector.commands import CommandHooks
from tests.ui.conftest import Driver

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _from_heartbeat_thread(ui: Driver, hooks: CommandHooks) -> bytes | None:
    """Ask as the connector does (another thread) while this, the UI thread, keeps drawing."""
    assert hooks.screenshot is not None
    out: list[bytes | None] = []
    asker = threading.Thread(target=lambda: out.append(hooks.screenshot() if hooks.screenshot else None))
    asker.start()
    while asker.is_alive():
        ui.frames(1)
        asker.join(0.02)
    return out[0]


def test_screenshot_only_while_the_attract_screen_shows(ui: Driver) -> None:
    from kiosk.ui import remote_hooks

    hooks = CommandHooks()
    remote_hooks.attach(ui.app, hooks)
    assert ui.app.root.current == "attract"
    png = _from_heartbeat_thread(ui, hooks)
    assert png is not None and png.startswith(PNG_MAGIC)
    from kivy.core.window import Window
    from PIL import Image

    shot = Image.open(io.BytesIO(png)).convert("RGB")
    assert shot.size == tuple(int(v) for v in Window.size)
    # The attract screen as drawn, not an empty or stale buffer: many colours, its background.
    colours = shot.getcolors(maxcolors=1 << 16)
    assert colours is None or len(colours) > 20
    bg = tuple(round(c * 255) for c in ui.app.theme.bg[:3])
    corner = shot.getpixel((2, 2))
    assert all(abs(a - b) <= 2 for a, b in zip(corner, bg, strict=True)), (corner, bg)
    # Anything over the attract screen (a modal, a toast) and no screenshot either.
    from kivy.uix.widget import Widget

    overlay = Widget()
    Window.add_widget(overlay)
    try:
        assert _from_heartbeat_thread(ui, hooks) is None
    finally:
        Window.remove_widget(overlay)
    ui.app.go("home")
    ui.run_for(1.0)  # the transition is over: a resident's screen is fully shown
    assert ui.app.root.current == "home"
    assert _from_heartbeat_thread(ui, hooks) is None
    assert hooks.restart is not None
