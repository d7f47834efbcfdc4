"""Draw every screen once, off the glass, while the attract screen waits for a resident.

With software GL (Mesa's llvmpipe) a screen's first draw uploads its text textures, builds
its vertex buffers and compiles the shader variants it needs, in the process's own memory
and on the CPU: done here at start-up, a resident's first visit to each screen is not the
slow one, and memory reaches its working size before anyone uses the kiosk instead of
creeping up over the first half hour. One screen a frame; a screen that is shown meanwhile
is skipped (it is being drawn for real).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from kivy.clock import Clock
from kivy.graphics import ClearBuffers, ClearColor
from kivy.graphics.fbo import Fbo


class ScreenPrimer:
    def __init__(self, screens: Sequence[Any], size: tuple[float, float], done: Callable[[], None]) -> None:
        self._todo = list(screens)
        self._size = (int(size[0]), int(size[1]))
        self._done = done
        self._fbo: Fbo | None = None
        self._screen: Any = None

    def start(self) -> None:
        Clock.schedule_once(self._lay_out_next, 0.02)

    def _lay_out_next(self, _dt: float) -> None:
        """Give the next hidden screen the window's size; its layout runs before `_draw`."""
        self._screen = None
        while self._todo and self._screen is None:
            screen = self._todo.pop(0)
            if screen.parent is None:  # not on the glass
                self._screen = screen
        if self._screen is None:
            self._fbo = None
            self._done()
            return
        self._screen.pos = (0, 0)
        self._screen.size = self._size
        Clock.schedule_once(self._draw, 0.02)

    def _draw(self, _dt: float) -> None:
        screen = self._screen
        if screen is not None and screen.parent is None:
            if self._fbo is None:
                self._fbo = Fbo(size=self._size, with_stencilbuffer=True)  # lists clip by stencil
                with self._fbo:
                    ClearColor(0, 0, 0, 0)
                    ClearBuffers()
            self._fbo.add(screen.canvas)
            self._fbo.draw()
            self._fbo.remove(screen.canvas)
        Clock.schedule_once(self._lay_out_next, 0.02)
