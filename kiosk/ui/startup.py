"""Start-up after the first frame: the attract screen is drawn at once, and everything else a
resident would otherwise wait for is done while it waits, a little a frame.

In order: the other screens are built, one a frame; a worker warms the services (search
index, pinyin tables); the voice controller is made; each text size of every theme opens
its font face, one a frame; each hidden screen is drawn once off the glass
(kiosk/ui/prime.py); then memory is collected and frozen, and `app.ready` says start-up is
over (benchmarks time taps from there).

`KioskApp.build` calls `begin`, `on_stop` calls `stop`. The app is reached through
`StartingApp`, the little this needs of it, so no import circle with kiosk/app.py.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from kivy.clock import Clock
from kivy.core.window import Window
from kivy.metrics import dp

from kiosk.bootstrap import Services
from kiosk.services.memory import release_memory
from kiosk.services.watchdog import SystemdNotifier
from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.theme import THEMES

if TYPE_CHECKING:
    from kiosk.ui.voice import VoiceUi

log = logging.getLogger(__name__)

#: The theme's text sizes that labels use (Text.role).
TEXT_ROLES = ("small", "body", "large", "title", "huge")
#: Between two steps: a positive delay, so the next step runs in the next frame, not this one.
STEP_S = 0.02


class StartingApp(Protocol):
    """What start-up needs of the app (`kiosk.app.KioskApp`)."""

    #: Start-up is over; set here, once.
    ready: bool

    @property
    def services(self) -> Services: ...

    @property
    def screens(self) -> Mapping[str, KioskScreen]:
        """The screens built so far; asking for one not built yet builds it (LazyScreens)."""
        ...

    @property
    def notifier(self) -> SystemdNotifier: ...

    @property
    def voice(self) -> VoiceUi: ...


class StartUp:
    def __init__(self, app: StartingApp, order: Sequence[str]) -> None:
        self.app = app
        #: Every screen's name, in the order they are built after the first frame.
        self._order = list(order)
        self._faces: list[tuple[float, bool]] = []
        self._primer: Any = None
        self._frozen = False

    def begin(self) -> None:
        """In `build()`, before the first frame: wait for the attract screen to be drawn."""
        Window.bind(on_flip=self._first_flip)

    def _first_flip(self, *_args: Any) -> None:
        """The attract screen is on the glass: build the rest in the frames that follow."""
        Window.unbind(on_flip=self._first_flip)
        self.app.notifier.ready()
        Clock.schedule_once(self._build_next, STEP_S)

    def _pending(self) -> list[str]:
        """Screens not built yet (a resident may have asked for some already)."""
        return [name for name in self._order if name not in self.app.screens]

    def _build_next(self, _dt: float = 0.0) -> None:
        if pending := self._pending():
            self.app.screens[pending[0]]  # LazyScreens builds it now
        if self._pending():
            Clock.schedule_once(self._build_next, STEP_S)
        else:
            self.warm_up()

    def warm_up(self) -> None:
        """Every screen is built: while the attract screen waits, a worker loads what the
        first search and the first slip would otherwise make a resident wait for."""
        from kiosk.ui.worker import run_async

        def done(_result: None, error: BaseException | None) -> None:
            if error is not None:  # first use will try again, and say what is wrong
                log.warning("warming up failed: %s", error)
            self.app.voice.controller  # noqa: B018 (made now, not at a resident's first touch)
            self._faces = [(size, bold) for size in sorted({getattr(theme, role) for theme in THEMES.values()
                                                            for role in TEXT_ROLES})
                           for bold in (False, True)]
            Clock.schedule_once(self._open_next_face, STEP_S)

        run_async(self.app.services.warm_up, done)

    def _open_next_face(self, _dt: float = 0.0) -> None:
        """Open one text size of the font (Kivy keeps each size's face open for good), one a
        frame: memory reaches what every theme needs now, not at a resident's first switch."""
        from kivy.core.text import Label as CoreLabel

        if not self._faces:
            from kiosk.ui.prime import ScreenPrimer

            hidden = [screen for screen in self.app.screens.values() if screen.parent is None]
            # Kept here: Kivy's clock holds its callbacks weakly.
            self._primer = ScreenPrimer(hidden, Window.size, self._settle_memory)
            self._primer.start()
            return
        size, bold = self._faces.pop()
        CoreLabel(text="法 Aa", font_size=dp(size), bold=bold).refresh()
        Clock.schedule_once(self._open_next_face, STEP_S)

    def _settle_memory(self) -> None:
        """Start-up is over: collect once, then freeze what is left (screens, content, search
        index, modules: half a million objects that live as long as the app) so that Python's
        full collections, which otherwise stall a random tap by 150-400 ms, skip them."""
        self._primer = None
        release_memory()  # collects, and hands back what start-up freed
        gc.freeze()
        self._frozen = True
        self.app.ready = True

    def stop(self) -> None:
        """The app closes: unfreeze (tests and tools start several apps in one process)."""
        if self._frozen:
            gc.unfreeze()
            self._frozen = False
