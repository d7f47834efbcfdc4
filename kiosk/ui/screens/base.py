"""What every screen shares: its context (services, the resident's session, navigation)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from kivy.properties import StringProperty
from kivy.uix.screenmanager import Screen

from kiosk.bootstrap import Services
from kiosk.services.maintenance import PinLock
from kiosk.services.session import ResidentSession
from kiosk.ui.worker import run_async

if TYPE_CHECKING:
    from kiosk.ui.voice import VoiceUi


class Nav(Protocol):
    """What a screen may ask of the app: move, speak, translate chrome, wipe."""

    @property
    def locale(self) -> str: ...

    @property
    def landscape(self) -> bool: ...

    def go(self, name: str, **kwargs: Any) -> None: ...

    def t(self, msgid: str, **params: Any) -> str: ...

    def say(self, text: str) -> None: ...

    def finish(self, how: str | None = None) -> None: ...

    def apply(self, theme: str | None = None, locale: str | None = None,
              orientation: str | None = None) -> None: ...

    def idle_seconds_left(self) -> int: ...

    def keep_going(self, back_to: str) -> None: ...

    def go_back(self) -> None: ...

    def read_aloud_on(self) -> None: ...

    def read_in(self, code: str) -> None:
        """The read-aloud language: "cmn", "yue" or "en" (kiosk/app.py)."""
        ...

    def step_shown(self, name: str) -> None:
        """Screen `name` moved to its next step by itself (booking, ticket): read it aloud
        if read-aloud is on and it is the screen shown."""
        ...

    def stop(self, *args: Any) -> None: ...

    @property
    def pin(self) -> PinLock: ...


@dataclass
class UiContext:
    services: Services
    session: ResidentSession
    nav: Nav
    #: Read-aloud and the microphone (None in tools that build a screen alone).
    voice: VoiceUi | None = None


class KioskScreen(Screen):
    """A screen built with its context; `enter()` prepares it before it is shown."""

    def __init__(self, ctx: UiContext, **kwargs: Any) -> None:
        self.ctx = ctx
        super().__init__(**kwargs)

    def enter(self, **kwargs: Any) -> None:
        """Set the screen up for what the resident is doing (called before it shows)."""

    def spoken(self) -> str:
        """What read-aloud says for this screen (never personal data)."""
        return ""

    def relabel(self) -> None:
        """The language changed: rebuild texts that do not come from .kv bindings."""

    def wipe(self) -> None:
        """Forget anything of the resident this screen's widgets still show."""

    def note_usage(self, kind: str, /, **detail: Any) -> None:
        """A usage event (issue 15) at a moment only this screen sees; never raises."""
        usage = self.ctx.services.usage
        if usage is not None:
            usage.record(kind, **detail)


class DeskScreen(KioskScreen):
    """A screen that asks the desk (booking, ticket): the call runs off the UI thread with a
    "one moment" message, and a failure goes to the screen's own `failed`."""

    message = StringProperty("")
    tone = StringProperty("info")

    def _call(self, work: Callable[[], Any], then: Callable[[Any], None]) -> None:
        self.tone, self.message = "info", self.ctx.nav.t("One moment, please...")

        def done(result: Any, error: BaseException | None) -> None:
            self.message = ""
            if error is None:
                then(result)
            else:
                self.failed(error)

        run_async(work, done)

    def failed(self, error: BaseException) -> None:
        """Tell the resident plainly what went wrong (each desk screen says it its own way)."""
        raise NotImplementedError
