"""KioskApp: builds the screens, owns theme, language and orientation; the warm-up after the
first frame is kiosk/ui/startup.py, the idle reset and the end of a visit kiosk/ui/visit_end.py.

No business logic here: screens talk to the services they are handed; this class moves
between screens, applies runtime switches (`apply`) and forgets the resident when they
leave (`finish`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kivy.app import App
from kivy.clock import Clock
from kivy.core.window import Window
from kivy.lang import Builder
from kivy.metrics import dp
from kivy.properties import BooleanProperty, ObjectProperty, StringProperty
from kivy.uix.screenmanager import ScreenManager, TransitionBase

from kiosk.bootstrap import Services
from kiosk.services.maintenance import PinLock, usable_pin_hash
from kiosk.services.session import IdleClock, ResidentSession
from kiosk.services.watchdog import SystemdNotifier
from kiosk.ui.fonts import register_fonts
from kiosk.ui.i18n import Translator
from kiosk.ui.screens.base import KioskScreen, UiContext
from kiosk.ui.startup import StartUp
from kiosk.ui.theme import ORIENTATIONS, THEMES
from kiosk.ui.visit import VisitTracker
from kiosk.ui.visit_end import VisitEnd
from kiosk.ui.voice import VoiceUi

log = logging.getLogger(__name__)

UI_DIR = Path(__file__).resolve().parent / "ui"
#: Screens: (name, module under kiosk.ui.screens, class). The attract screen is built before
#: the first frame; the others after it, one per frame in this order (or on first use).
SCREENS = [
    ("attract", "attract", "AttractScreen"), ("home", "home", "HomeScreen"),
    ("topics", "topics", "TopicsScreen"), ("flows", "flows", "FlowsScreen"),
    ("search", "search", "SearchScreen"), ("flow", "flow", "FlowScreen"),
    ("review", "review", "ReviewScreen"), ("outcome", "outcome", "OutcomeScreen"),
    ("booking", "booking", "BookingScreen"), ("ticket", "ticket", "TicketScreen"),
    ("office", "office", "OfficeScreen"), ("staff", "staff", "StaffScreen"),
    ("apply", "apply", "ApplyScreen"), ("track", "track", "TrackScreen"),
    ("idle", "idle", "IdleScreen"), ("maintenance", "maintenance", "MaintenanceScreen"),
    ("rating", "rating", "RatingScreen"),
]
CORNER_DP = 120
LONG_PRESS_S = 3.0


class InstantTransition(TransitionBase):
    """Switch screens within the same frame: no animation, and never two screens drawn at
    once (Kivy's NoTransition still waits a frame, so a quick second switch left both)."""

    def start(self, manager: ScreenManager) -> None:
        self.manager = manager
        self.add_screen(self.screen_in)
        self.screen_in.pos = manager.pos
        self.screen_in.dispatch("on_pre_enter")
        self.screen_out.dispatch("on_pre_leave")
        self.remove_screen(self.screen_out)
        self.is_active = False
        self.screen_in.dispatch("on_enter")
        self.screen_out.dispatch("on_leave")

    def stop(self) -> None:
        self.is_active = False


def load_kv(folder: str, stem: str) -> None:
    """One module of the UI and its .kv file, once per process (Builder rules are global);
    the module is imported first so that its classes are known to the Factory."""
    import importlib

    importlib.import_module(f"kiosk.ui.{folder}.{stem}")
    path = UI_DIR / folder / f"{stem}.kv"
    if path.is_file() and str(path) not in Builder.files:
        Builder.load_file(str(path))


class LazyScreens(dict[str, KioskScreen]):
    """The screens built so far, by name; asking for one not built yet builds it now."""

    def __init__(self, build: Callable[[str], KioskScreen]) -> None:
        super().__init__()
        self._build = build

    def __missing__(self, name: str) -> KioskScreen:
        return self._build(name)


class KioskApp(App):
    # rebind: .kv rules read app.theme.<field>; a new theme object must re-run them.
    theme = ObjectProperty(THEMES["normal"], rebind=True)
    lang = StringProperty("zh-CN")
    landscape = BooleanProperty(False)
    read_aloud = BooleanProperty(False)
    #: The voice for the Chinese screens, "cmn" or "yue": the locality's default
    #: (`read_aloud` in config/localities/*.yaml), the resident's choice on the home screen.
    read_lang = StringProperty("cmn")
    #: Start-up is over (every screen built, warm-up done, memory settled): what a resident
    #: walking up to an idle kiosk meets. Benchmarks time taps from here.
    ready = BooleanProperty(False)

    def __init__(self, services: Services, theme: str = "normal", locale: str | None = None,
                 orientation: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.services = services
        self.settings = services.settings
        self.session = ResidentSession()
        self.translator = Translator()
        self.default_theme = theme or self.settings.theme
        self.default_locale = locale or services.cfg.default_locale
        self.orientation = orientation or self.settings.orientation
        self.theme = THEMES[self.default_theme]
        self.lang = self.default_locale
        self.read_aloud = self.settings.read_aloud
        self.read_lang = services.bundle.locality.read_aloud
        self.idle = IdleClock(self.settings.idle_seconds, self.settings.warning_seconds,
                              services.monotonic)
        central_url = services.central.connector.settings.url if services.central else ""
        self.pin = PinLock(usable_pin_hash(self.settings.pin_hash, central_url), services.monotonic,
                           self.settings.pin_tries, self.settings.lock_minutes * 60,
                           state_file=services.cfg.state_dir / "pin_lock.json")
        self.screens = LazyScreens(self._build_screen)
        self._ctx: UiContext | None = None
        self._manager: ScreenManager | None = None
        #: Screens whose Python-built texts are in an old language or orientation: they are
        #: rebuilt when next shown, so a switch rebuilds one screen, not every screen built.
        self._stale: set[str] = set()
        self.came_from = "home"
        self._corner: Any = None
        self.title = "legal-kiosk"
        #: The one VoiceController of this app, with the touch and microphone logic around it.
        self.voice = VoiceUi(self)
        #: systemd's watchdog (a no-op outside systemd): pinged from this loop's clock only.
        self.notifier = SystemdNotifier()
        #: Usage events at the moments the navigation shows (issue 15); rating offered at the end.
        self.visit = VisitTracker(services.usage)
        #: Finish, the rating before it, the idle warning and wipe.
        self.ending = VisitEnd(self)
        #: The other screens, the warm-up and memory's settling after the first frame.
        self.startup = StartUp(self, [name for name, _module, _cls in SCREENS])

    # --- building ---------------------------------------------------------------------

    def build(self) -> ScreenManager:
        """Only what the attract screen needs before the first frame; the other screens are
        built after it, one per frame (kiosk/ui/startup.py), or at once when first asked for."""
        s = self.settings
        register_fonts(s.font, s.font_bold, s.icon_font, self.services.cfg.state_dir / "fonts", s.font_face)
        for path in sorted((UI_DIR / "widgets").glob("*.py")):
            load_kv("widgets", path.stem)
        self._manager = ScreenManager(transition=InstantTransition())
        self._ctx = UiContext(self.services, self.session, self, voice=self.voice)
        self._build_screen("attract")
        self._manager.current = "attract"
        self.apply(theme=self.default_theme, orientation=self.orientation)
        Window.bind(on_touch_down=self._touch_down, on_touch_up=self._touch_up)
        self.startup.begin()
        Clock.schedule_interval(self.ending.tick, 0.5)
        if (every := self.notifier.ping_interval_s()) is not None:
            Clock.schedule_interval(lambda _dt: self.notifier.ping(), every)
        return self._manager

    def _build_screen(self, name: str) -> KioskScreen:
        import importlib

        if name in self.screens:
            return self.screens[name]
        assert self._ctx is not None and self._manager is not None, "build() first"
        module, cls = next((m, c) for n, m, c in SCREENS if n == name)
        load_kv("screens", module)
        screen: KioskScreen = getattr(importlib.import_module(f"kiosk.ui.screens.{module}"), cls)(
            self._ctx, name=name)
        self.screens[name] = screen
        self._manager.add_widget(screen)
        return screen

    def on_start(self) -> None:
        """The connector's background work (sync, outbox, heartbeat) runs in its own threads."""
        if self.services.central is not None:  # remote restart and attract-screen screenshots
            from kiosk.ui import remote_hooks

            remote_hooks.attach(self, self.services.central.connector.commands.hooks)
        self.services.start_background(self.health_state)

    def on_stop(self) -> None:
        """The app closes: background work stops; the speech worker and player go too."""
        self.notifier.stopping()
        self.services.stop_background()
        self.voice.reset()
        close = getattr(self.services.speaker, "close", None)
        if callable(close):
            close()
        self.startup.stop()

    def health_state(self) -> str:
        """For the heartbeat (asked from its thread): attract, in_session or maintenance."""
        current = self.root.current if self.root is not None else "attract"
        return current if current in ("attract", "maintenance") else "in_session"

    # --- what screens ask ----------------------------------------------------------------

    @property
    def locale(self) -> str:
        return str(self.lang)

    def t(self, msgid: str, lang: str | None = None, **params: Any) -> str:
        """Translate UI chrome; `lang` is passed by .kv rules so they rebind on a switch."""
        text: str = self.translator(msgid, str(lang or self.lang), **params)
        return text

    def go(self, name: str, **kwargs: Any) -> None:
        """Show a screen; read it aloud when read-aloud is on, unless `quiet` (a voice turn
        moved here and reads the screen itself)."""
        quiet = bool(kwargs.pop("quiet", False))
        screen = self._fresh(name)
        screen.enter(**kwargs)
        if name != "attract":  # the speech bars: has the speaker failed since?
            self.voice.refresh()
        if self.root is not None:
            self.visit.moved(self.root.current, name, self.session.flow, quiet,
                             dict.get(self.screens, "search"), self.locale, self.theme.name)
            if self.root.current != name:
                self.came_from = self.root.current
            self.root.current = name
        if self.read_aloud and not quiet:
            self.voice.read(screen, self.locale)

    def say(self, text: str) -> None:
        self.voice.say(text, self.locale)

    def go_back(self) -> None:
        """Back from a side screen (call staff) to where the resident was."""
        side = ("staff", "idle", "maintenance", "attract")
        target = self.came_from if self.came_from not in side else "home"
        if self.root is not None:
            self._fresh(target)
            self.root.current = target

    def idle_seconds_left(self) -> int:
        return self.idle.seconds_left()

    def speak_now(self) -> None:
        """The replay button: read the current screen again."""
        if self.root is not None:
            self.voice.read(self.screens[self.root.current], self.locale)

    def step_shown(self, name: str) -> None:
        if self.read_aloud and self.root is not None and self.root.current == name:
            self.voice.read(self.screens[name], self.locale)

    def read_aloud_on(self) -> None:
        """Elderly mode: switched on, the kiosk reads the screen aloud (if it can speak)."""
        if not self.read_aloud and self.voice.speaker_works():
            self.toggle_read_aloud()

    def speech_step(self, what: str) -> None:
        """The speech bar's slower / faster / softer / louder (kiosk/ui/voice.py)."""
        if self.root is not None:
            self.voice.step_and_read(what, self.screens[self.root.current], self.locale)

    def toggle_read_aloud(self) -> None:
        """On only when a speaker works: else it stays off and the speech bars say why."""
        if not self.read_aloud and not self.voice.speaker_ready():
            return
        self.read_aloud = not self.read_aloud
        voice = "en" if self.locale == "en" else self.read_lang
        self.visit.record("read_aloud", on=bool(self.read_aloud), lang=voice)
        if self.read_aloud:
            self.speak_now()
        else:
            self.services.speaker.stop()

    def read_in(self, code: str) -> None:
        """The home screen's read-aloud language: "cmn" or "yue" reads the Chinese screens
        in that voice, "en" comes with the English screens (English speech needs English
        words). Heard at once: the screen is read in the chosen voice."""
        if code == "en":
            self.apply(locale="en")
        else:
            self.read_lang = code
            if not self.lang.startswith("zh"):
                self.apply(locale="zh-CN")
        if self.read_aloud:
            self.speak_now()
        else:
            self.read_aloud_on()

    def leave(self) -> None:
        """A "Finish" button: the rating first when the visit did something (kiosk/ui/visit_end.py)."""
        self.ending.leave()

    def finish(self, how: str | None = None) -> None:
        """The resident is done (or gone): forget everything, back to the attract screen."""
        self.ending.finish(how)

    def restore_defaults(self) -> None:
        """After a visit: read-aloud, its voice, theme and language as the kiosk starts."""
        self.read_aloud = self.settings.read_aloud
        self.read_lang = self.services.bundle.locality.read_aloud
        self._switch(theme=self.default_theme, locale=self.default_locale, shown="attract")

    # --- runtime switches ------------------------------------------------------------------

    def apply(self, theme: str | None = None, locale: str | None = None,
              orientation: str | None = None) -> None:
        if locale is not None and locale != self.lang:
            self.visit.record("language", lang=locale)
        if theme is not None and theme != self.theme.name:
            self.visit.record("theme", theme=theme)
        self._switch(theme, locale, orientation,
                     shown=self._manager.current if self._manager is not None else None)

    def _switch(self, theme: str | None = None, locale: str | None = None,
                orientation: str | None = None, *, shown: str | None) -> None:
        """Theme, language, orientation at run time. `.kv` bindings follow by themselves;
        texts built in Python are rebuilt now only on the screen `shown`, the others when
        they are next shown (`_fresh`)."""
        relabel = False
        if theme is not None:
            self.theme = THEMES[theme]
            Window.clearcolor = self.theme.bg
        if orientation is not None:
            turned = self.landscape != (orientation == "landscape")
            self.orientation = orientation
            self.landscape = orientation == "landscape"
            w, h = ORIENTATIONS[orientation]
            Window.size = (dp(w), dp(h))
            relabel = turned  # screens that place widgets by orientation in Python rebuild them
        if locale is not None and locale != self.lang:
            self.lang = locale
            if self.session.flow is not None:
                self.session.flow.set_locale(locale)
            relabel = True
        if relabel:
            self._stale.update(self.screens)
            if shown is not None and shown in self.screens:
                self._fresh(shown)

    def _fresh(self, name: str) -> KioskScreen:
        """The screen, its Python-built texts in the current language and orientation."""
        screen = self.screens[name]
        if name in self._stale:
            self._stale.discard(name)
            screen.relabel()
        return screen

    # --- touches and the idle clock ----------------------------------------------------------

    def _touch_down(self, _win: Any, touch: Any) -> bool:
        self.idle.touched()
        self.voice.touch()  # speech stops at once; a voice turn ends (touch takes over)
        if touch.x < dp(CORNER_DP) and touch.y > Window.height - dp(CORNER_DP):
            self._corner = Clock.schedule_once(lambda _dt: self.open_maintenance(), LONG_PRESS_S)
        return False

    def _touch_up(self, _win: Any, _touch: Any) -> bool:
        if self._corner is not None:
            self._corner.cancel()
            self._corner = None
        return False

    def open_maintenance(self) -> None:
        self._corner = None
        self.go("maintenance")

    def keep_going(self, back_to: str) -> None:
        self.idle.touched()
        if self.root is not None:
            self._fresh(back_to)
            self.root.current = back_to
