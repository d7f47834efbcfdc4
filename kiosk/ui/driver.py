"""Drive a Kivy app frame by frame, without its main loop: the engine under screenshots,
the accessibility audit and their tests.

`Driver.start(app)` does what `App.run()` does up to the main loop; then the caller steps
frames, waits for the layout to settle, captures the drawn frame, taps real X events.
Import only after `kiosk.ui.headless.kivy_environment()` (Kivy reads it at import).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from kivy.app import App
from kivy.base import EventLoop, runTouchApp
from kivy.clock import Clock
from kivy.lang import Builder
from kivy.metrics import Metrics
from kivy.uix.label import Label
from kivy.uix.screenmanager import ScreenManager
from kivy.uix.widget import Widget
from PIL import Image

log = logging.getLogger(__name__)

#: Window sizes in dp (UI-CONTRACT.md): a dp is a pixel at full size.
ORIENTATIONS: dict[str, tuple[int, int]] = {"portrait": (1080, 1920), "landscape": (1920, 1080)}
THEMES: tuple[str, ...] = ("normal", "elderly", "contrast")
LOCALES: tuple[str, ...] = ("zh-CN", "en")


class KioskAppLike(Protocol):
    """What the tools need of the kiosk app (UI-CONTRACT.md): its root and runtime switches."""

    root: Any

    def apply(self, theme: str | None = None, locale: str | None = None,
              orientation: str | None = None) -> None: ...


class UiStateLike(Protocol):
    """One entry of `kiosk.ui.catalog.states(app)`."""

    @property
    def name(self) -> str: ...

    @property
    def show(self) -> Callable[[], None]: ...


@dataclass(frozen=True)
class Combo:
    orientation: str
    theme: str
    locale: str


def combos(orientations: Sequence[str] = tuple(ORIENTATIONS), themes: Sequence[str] = THEMES,
           locales: Sequence[str] = LOCALES) -> list[Combo]:
    """Orientation outermost: a window resize is the dearest switch, so it happens least."""
    for o in orientations:
        if o not in ORIENTATIONS:
            raise ValueError(f"unknown orientation {o!r}; known: {', '.join(ORIENTATIONS)}")
    return [Combo(o, t, loc) for o in orientations for t in themes for loc in locales]


def window() -> Any:
    from kivy.core.window import Window

    return Window


def walk(widget: Any) -> Iterator[Any]:
    """Every widget under `widget` (Window or Widget), parents before children."""
    stack = list(reversed(widget.children))
    while stack:
        w = stack.pop()
        yield w
        stack.extend(reversed(w.children))


class Driver:
    """One app in the one Kivy window of this process."""

    def __init__(self, app: App | None = None) -> None:
        self.app = app
        self.window = window()

    @classmethod
    def start(cls, app: App) -> Driver:
        """Build the app and show its first frame, as `App.run()` would, minus the main loop."""
        app._run_prepare()
        if EventLoop.status != "started":
            runTouchApp(embedded=True)
        driver = cls(app)
        driver.settle()
        return driver

    def step(self, *, draw: bool = True) -> None:
        """One frame: clock, input, layout, draw, flip; then the SDL events (input, resize).
        `draw=False` does all but the drawing: layout settles the same (it runs on the clock),
        and the tools skip the software rasteriser's 50-80 ms per full-size frame."""
        if draw:
            EventLoop.idle()
        else:
            Clock.tick()
            EventLoop.dispatch_input()
            Builder.sync()
            Clock.tick_draw()
            Builder.sync()
        self.window.mainloop()

    def signature(self) -> tuple[Any, ...]:
        """What the resident would see change: which screen, every box, every text."""
        parts: list[Any] = [tuple(self.window.size)]
        for w in walk(self.window):
            parts.append((w.uid, round(w.x), round(w.y), round(w.width), round(w.height), w.opacity))
            if isinstance(w, Label):
                parts.append(w.text)
            if isinstance(w, ScreenManager):
                parts.append((w.current, w.transition.is_active))
        return tuple(parts)

    def busy(self) -> bool:
        """A screen transition still running."""
        return any(isinstance(w, ScreenManager) and w.transition.is_active for w in walk(self.window))

    def settle(self, *, max_frames: int = 60, still: int = 2, draw: bool = True) -> int:
        """Step until nothing moves for `still` frames (or `max_frames`, for screens that
        animate for ever). Returns the frames stepped."""
        last = None
        quiet = 0
        for n in range(1, max_frames + 1):
            self.step(draw=draw)
            sig = self.signature()
            quiet = quiet + 1 if sig == last and not self.busy() else 0
            last = sig
            if quiet >= still:
                return n
        log.debug("still moving after %d frames", max_frames)
        return max_frames

    def capture(self, *, present: bool = False) -> Image.Image:
        """Draw the current state and read the frame back from the GL back buffer, before
        any swap (after one, the back buffer is undefined). `present=True` also swaps it
        onto the X screen; screenshots skip that (20 ms a frame here, nothing to see)."""
        from kivy.graphics.opengl import GL_RGB, GL_UNSIGNED_BYTE, glReadPixels

        win = self.window
        win.canvas.ask_update()
        win.dispatch("on_draw")
        width, height = (int(v) for v in win.size)
        data = glReadPixels(0, 0, width, height, GL_RGB, GL_UNSIGNED_BYTE)
        if present:
            win.dispatch("on_flip")
        # GL rows run bottom-up: the raw decoder's negative orientation flips while copying.
        image = Image.frombuffer("RGB", (width, height), data, "raw", "RGB", 0, -1)
        image.load()
        return image

    def size_dp(self) -> tuple[float, float]:
        d = float(Metrics.density)
        return (self.window.width / d, self.window.height / d)

    def expect_orientation(self, orientation: str) -> None:
        """The app must have sized the window as the contract says; screenshots of a wrong
        size would silently show a layout no kiosk has."""
        want = ORIENTATIONS[orientation]
        have = self.size_dp()
        if (round(have[0]), round(have[1])) != want:
            raise RuntimeError(f"after apply(orientation={orientation!r}) the window is "
                               f"{have[0]:.0f}×{have[1]:.0f} dp, not {want[0]}×{want[1]}")

    def screen_point(self, widget: Widget) -> tuple[int, int]:
        """Screen pixel (origin top-left) of the widget's centre, for an X event."""
        x, y = widget.to_window(*widget.center)
        win = self.window
        return int(win.left + x), int(win.top + (win.height - y))

    def tap(self, widget: Widget, tapper: Any, *, frames: int = 1) -> float:
        """A real tap on the widget's centre through the X server; returns when it was sent."""
        x, y = self.screen_point(widget)
        sent = time.perf_counter()
        tapper.tap(x, y)
        for _ in range(frames):
            self.step()
        return sent

    def detach(self) -> None:
        """Take the app's root off the window (the window stays for the next app)."""
        if self.app is not None and self.app.root is not None and self.app.root.parent is not None:
            self.app.root.parent.remove_widget(self.app.root)

    def close(self) -> None:
        """Stop the app and close the window: the end of this process's drawing."""
        if self.app is not None:
            self.app.stop()
        EventLoop.close()
