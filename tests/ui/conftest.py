"""The real Kivy app in a real X window (Xvfb), driven by real touch events.

One app per test session (Kivy's window and event loop are process-wide): each test starts
from `app.finish()`, the same reset a resident's departure triggers. Touches are Kivy
MotionEvents posted through the EventLoop to the Window, as Kivy's own tests do
(`kivy.tests.common.UnitTestTouch`). The idle clock is a manual one, so the 60-second idle
reset is tested without waiting a minute.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CONTENT, LOCALITY

#: The window is the full 1080×1920 dp screen drawn at half scale (540×960 px).
DENSITY = "0.5"
#: Monday 09:00: the local desk's office has just opened (queue tickets are issued), and the
#: rest of the coming week's slots are ahead.
NOW = dt.datetime(2026, 11, 23, 9, 0)


def pytest_collection_finish(session: pytest.Session) -> None:
    """Kivy opens its one window at first import of kivy.core.window, with whatever settings
    it finds then: a test module that imports it at collection gets the default window (800×600
    at density 1) instead of `ui_env`'s, and every later test in the process draws into a
    window bigger than its X window. Say so at once rather than as stray pixels later."""
    early = sorted(m for m in sys.modules if m == "kivy" or m.startswith("kivy."))
    if early:  # even without the window: Kivy reads its config and metrics at first import
        raise pytest.UsageError(
            f"a test module imported Kivy at collection ({early[0]}, directly or through a "
            "kiosk.ui module): import it inside the test, after the ui fixture has set Kivy up")


class ManualClock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += seconds


def _free_display() -> int:
    for n in range(140, 400):
        if not Path(f"/tmp/.X11-unix/X{n}").exists() and not Path(f"/tmp/.X{n}-lock").exists():
            return n
    raise RuntimeError("no free X display number")


@pytest.fixture(scope="session")
def xvfb() -> Iterator[str]:
    if shutil.which("Xvfb") is None:
        pytest.skip("Xvfb is not installed (Debian package xvfb; deploy/dev.sh installs it)")
    n = _free_display()
    proc = subprocess.Popen(["Xvfb", f":{n}", "-screen", "0", "2000x2000x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while not Path(f"/tmp/.X11-unix/X{n}").exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"Xvfb :{n} did not start")
        time.sleep(0.05)
    yield f":{n}"
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="session")
def ui_env(xvfb: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("kivy")
    os.environ.update({
        "DISPLAY": xvfb, "KIVY_NO_ARGS": "1", "KIVY_LOG_MODE": "PYTHON", "KIVY_HOME": str(home),
        "KIVY_METRICS_DENSITY": DENSITY, "KIVY_NO_FILELOG": "1", "KIVY_NO_CONFIG": "1",
    })
    from kivy.config import Config

    Config.set("graphics", "width", "540")
    Config.set("graphics", "height", "960")
    Config.set("input", "mouse", "mouse,multitouch_on_demand")
    return home


class Driver:
    """Taps and frames: what a resident's finger and the screen do."""

    def __init__(self, app: Any, clock: ManualClock, state_dir: Path) -> None:
        self.app = app
        self.clock = clock
        self.state_dir = state_dir

    def frames(self, n: int = 2) -> None:
        from kivy.base import EventLoop

        for _ in range(n):
            EventLoop.idle()

    def settle(self, timeout: float = 20.0) -> None:
        """Let worker threads (printing, desk calls) finish and their results land."""
        from kiosk.ui import worker

        deadline = time.monotonic() + timeout
        while worker.busy():
            assert time.monotonic() < deadline, "a worker thread did not finish"
            self.frames(1)
            time.sleep(0.01)
        self.frames(3)

    @property
    def screen(self) -> Any:
        return self.app.screens[self.app.root.current]

    def widgets(self) -> list[Any]:
        return list(self.screen.walk(restrict=True))

    def find(self, text: str | None = None, cls: str = "KButton", contains: bool = False) -> Any:
        found = [
            w for w in self.widgets()
            if type(w).__name__ == cls or cls in [c.__name__ for c in type(w).__mro__]
            if text is None or (text in w.text if contains else w.text == text)
            if w.opacity > 0 and not w.disabled
        ]
        assert found, f"no visible {cls} {text!r} on {self.app.root.current}: " + ", ".join(
            repr(getattr(w, "text", "")) for w in self.widgets() if getattr(w, "text", ""))
        return found[0]

    def tap_at(self, x: float, y: float, hold: float = 0.0, after: float = 0.0) -> None:
        from kivy.tests.common import UnitTestTouch

        touch = UnitTestTouch(x, y)
        touch.touch_down()
        self.frames(1)
        if hold:
            self.run_for(hold)
        touch.touch_up()
        self.frames(2)
        if after:
            self.run_for(after)

    def run_for(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            self.frames(1)
            time.sleep(0.02)

    def tap(self, widget: Any) -> None:
        from kivy.uix.scrollview import ScrollView

        assert widget.get_root_window() is not None, f"{widget} is not on screen"
        x, y = widget.to_window(*widget.center)
        # A ScrollView hands a tap to its children only after telling it from a scroll, and
        # delivers the release 0.2 s later (Kivy's ScrollView._do_touch_up).
        node, scrolled = widget.parent, False
        while node is not None and node is not node.parent and not scrolled:  # Window.parent is Window
            scrolled, node = isinstance(node, ScrollView), node.parent
        self.tap_at(x, y, after=0.3 if scrolled else 0.0)

    def tap_text(self, text: str, cls: str = "KButton", contains: bool = False) -> None:
        self.tap(self.find(text, cls, contains))
        self.settle()

    def all_texts(self) -> list[str]:
        """Every text in every screen's widget tree (shown or not)."""
        texts = []
        for screen in self.app.screens.values():
            for w in screen.walk(restrict=True):
                for attr in ("text", "query", "typed", "shown_phone", "pin_dots", "number"):
                    value = getattr(w, attr, None)
                    if isinstance(value, str) and value:
                        texts.append(value)
        return texts


@pytest.fixture(scope="session")
def ui_app(ui_env: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Driver]:
    from kivy.base import EventLoop, _runTouchApp_prepare

    from kiosk.app import KioskApp
    from kiosk.bootstrap import build_services
    from kiosk.config import load_config
    from kiosk.devices.fakes import FakeRecognizer, FakeSpeaker

    state = tmp_path_factory.mktemp("state")
    config = state / "kiosk.toml"
    config.write_text(
        '[kiosk]\nid = "ui-test"\nlocales = ["zh-CN", "en"]\n'
        f'[content]\npath = "{CONTENT}"\nlocality = "{LOCALITY}"\nstate_dir = "{state / "var"}"\n'
        '[ui]\nidle_seconds = 60\nwarning_seconds = 30\n'
        '[maintenance]\npin_hash = "pbkdf2_sha256$1000$salt$'
        + _hash("2468") + '"\n', encoding="utf-8")
    clock = ManualClock()
    services = build_services(load_config(config, env={}), speaker=FakeSpeaker(),
                              recognizer=FakeRecognizer(), clock=lambda: NOW, monotonic=clock)
    app = KioskApp(services)
    app._run_prepare()
    _runTouchApp_prepare()
    driver = Driver(app, clock, state / "var")
    driver.frames(3)
    yield driver
    app.stop()
    EventLoop.close()


def _hash(pin: str) -> str:
    import hashlib

    return hashlib.pbkdf2_hmac("sha256", pin.encode(), b"salt", 1000).hex()


@pytest.fixture
def ui(ui_app: Driver) -> Iterator[Driver]:
    """The app back at the attract screen, as a new resident finds it."""
    app = ui_app.app
    app.services.speaker.said.clear()
    ui_app.settle()
    app.finish()
    ui_app.frames(2)
    yield ui_app


Tap = Callable[[str], None]
