"""How a resident's visit ends: a "Finish" button (the rating first when the visit did
something), the idle warning and the idle wipe, and forgetting everything the resident left
on the kiosk. Visits start in `kiosk/ui/visit.py` (read off the navigation).

`KioskApp.leave` and `finish` hand over to `VisitEnd`; the app's clock calls `tick`. The app
is reached through `EndingApp`, the little this needs of it, so no import circle with
kiosk/app.py.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Protocol

from kivy.clock import Clock

from kiosk.bootstrap import Services
from kiosk.services.memory import release_memory
from kiosk.services.session import IdleClock, ResidentSession
from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.visit import VisitTracker
from kiosk.ui.widgets.qr import forget as forget_codes

if TYPE_CHECKING:
    from kiosk.ui.voice import VoiceUi

log = logging.getLogger(__name__)

#: Seconds after the visit's end before memory is released (only if the kiosk is still
#: idle: a full collection takes 50-80 ms here).
RELEASE_AFTER_S = 3.0


class EndingApp(Protocol):
    """What ending a visit needs of the app (`kiosk.app.KioskApp`)."""

    @property
    def root(self) -> Any: ...  # the ScreenManager, None before build()

    @property
    def services(self) -> Services: ...

    @property
    def session(self) -> ResidentSession: ...

    @property
    def screens(self) -> Mapping[str, KioskScreen]: ...

    @property
    def idle(self) -> IdleClock: ...

    @property
    def visit(self) -> VisitTracker: ...

    @property
    def voice(self) -> VoiceUi: ...

    @property
    def locale(self) -> str: ...

    def go(self, name: str, **kwargs: Any) -> None: ...

    def restore_defaults(self) -> None:
        """Read-aloud, its voice, theme and language back to the kiosk's defaults."""
        ...


class VisitEnd:
    def __init__(self, app: EndingApp) -> None:
        self.app = app
        #: How the visit ended when the rating screen came first (`leave`): finished or home.
        self.leaving = "finished"

    def _current(self) -> str:
        root = self.app.root
        return str(root.current) if root is not None else "attract"

    def leave(self) -> None:
        """A "Finish" button: a visit that did something is offered the rating first (its
        answer, skip or Home come back to `finish`); any other visit ends at once."""
        app, current = self.app, self._current()
        how = "home" if current == "home" else "finished"
        if app.visit.did_something and app.root is not None and current not in ("rating", "maintenance"):
            self.leaving = how
            app.go("rating")
            return
        self.finish(how)

    def finish(self, how: str | None = None) -> None:
        """The resident is done (or gone): forget everything, back to the attract screen.
        `how` (for the usage events): finished, home (left from the home screen) or idle."""
        app, current = self.app, self._current()
        if current == "rating":
            how = self.leaving  # rated, skipped, or walked away from: the visit had finished
        elif how is None:
            how = "home" if current == "home" else "finished"
        app.visit.ended(how)
        services = app.services
        services.speaker.stop()
        app.voice.reset()  # silence, default rate and volume, the voice turn forgotten
        if app.session.flow is not None:
            log.info("session ended in flow %s", app.session.flow.state.flow_id)
        app.session.wipe()
        forget = getattr(services.desk, "forget_session", None)
        if callable(forget):  # the central desk keeps phone numbers for a "try again"
            forget()
        for screen in app.screens.values():
            screen.wipe()
        forget_codes()
        # No resident now: newer signed content, if verified and loaded, is served from here.
        services.apply_pending_content()
        app.restore_defaults()
        app.idle.touched()
        app.go("attract")
        # A few seconds on, if nobody has come.
        Clock.schedule_once(self._release_if_idle, RELEASE_AFTER_S)

    def _release_if_idle(self, _dt: float) -> None:
        root = self.app.root
        if root is not None and root.current == "attract":
            release_memory()

    def tick(self, _dt: float = 0.0) -> None:
        """Twice a second: the idle clock warns, then wipes; usage batches that waited go out."""
        app = self.app
        if app.root is None:
            return
        current = app.root.current
        if current == "attract":
            app.idle.touched()
            return
        if app.services.usage is not None:
            app.services.usage.tick()
        state = app.idle.state()
        if current == "maintenance":
            if state != "active":  # staff walked away: lock it again, without a warning
                self.finish(how="idle")
            return
        if state == "wipe":
            self.finish(how="idle")
        elif state == "warn" and current != "idle":
            app.go("idle", back_to=current)
            self.say_warning()
        elif current == "idle":
            app.screens["idle"].enter(refresh=True)

    def say_warning(self) -> None:
        """The idle warning is spoken even when read-aloud is off (WCAG 2.2.1)."""
        self.app.voice.say(self.app.screens["idle"].spoken(), self.app.locale)
