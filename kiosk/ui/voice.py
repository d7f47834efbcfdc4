"""The touchscreen's side of voice: one VoiceController per app, touches and the microphone
buttons in, the controller's events out to the screens.

Read-aloud goes through the controller too (`read`): flow and outcome screens as engine
views (`show`), every other screen as its localised chrome text (`say`, scrubbed of personal
data). Any touch silences the kiosk and ends a voice turn; a tap on the microphone while a
turn runs is that turn's "stop", not a new one. Events arrive on the recogniser's thread and
are handed to the UI thread in the order they were sent.

The speech bar of every screen (kiosk/ui/widgets/speech.py) binds to `speaker_off` (then it
shows one plain line why instead of dead buttons) and to the `can_*` flags
of the rate and volume steps; `refresh` sets them from the speaker itself, without making
the controller (which stays off the start-up path).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from kivy.clock import Clock
from kivy.event import EventDispatcher
from kivy.properties import BooleanProperty

from kiosk.ui.i18n import N_
from kiosk.voice.levels import SpeechLevels
from kiosk.voice.words import prompt

if TYPE_CHECKING:
    from kiosk.app import KioskApp
    from kiosk.voice.dialogue import VoiceController, VoiceEvent

log = logging.getLogger(__name__)

#: What the speech bar and the read-aloud toggle say when no speaker works (a gettext msgid).
SPEAKER_OFF = N_("No speaker: reading aloud is off.")
#: What a rate or volume step says before the screen (the key's own label, msgids).
STEP_WORDS = {"slower": N_("Slower"), "faster": N_("Faster"), "softer": N_("Softer"), "louder": N_("Louder")}


class VoiceUi(EventDispatcher):
    #: A voice turn started by a microphone button runs (the button shows "stop").
    active = BooleanProperty(False)
    #: The microphone is open right now (the button pulses).
    listening = BooleanProperty(False)
    #: No speaker works: the speech bars show SPEAKER_OFF instead of their buttons.
    speaker_off = BooleanProperty(False)
    #: Whether one more rate / volume step is possible (the buttons are disabled at the ends).
    can_slower = BooleanProperty(False)
    can_faster = BooleanProperty(False)
    can_softer = BooleanProperty(False)
    can_louder = BooleanProperty(False)

    def __init__(self, app: KioskApp, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.app = app
        self._controller: VoiceController | None = None
        self._stop_tap = False
        self._fault_logged = False  # read-aloud refused for want of a speaker, this resident

    @property
    def controller(self) -> VoiceController:
        """Made on first use (the app's warm-up after the first frame makes it): the dialogue
        module and its number and pinyin helpers stay off the path to the attract screen."""
        if self._controller is None:
            from kiosk.voice.dialogue import VoiceController

            services = self.app.services
            self._controller = VoiceController(services.speaker, services.recognizer, self._event,
                                               engine=services.engine)
        return self._controller

    # --- what the app and the screens call --------------------------------------------

    def mic_notice(self, locale: str) -> str:
        """"" when the microphone works; else the plain words why not, for residents."""
        return self.controller.mic_notice(locale) or ""

    def speaker_works(self) -> bool:
        return self.app.services.speaker.unavailable() is None

    def refresh(self) -> None:
        """The speech bar's state from the speaker as it is now (a player may have failed
        since the last screen): called at every screen change and after every step."""
        self.speaker_off = not self.speaker_works()
        if self.speaker_off and self.app.read_aloud:  # the sound card went since it was turned on
            self.app.read_aloud = False
            self._log_fault()
        levels = SpeechLevels(self.app.services.speaker)
        works = not self.speaker_off
        self.can_slower, self.can_faster = works and levels.can_slower(), works and levels.can_faster()
        self.can_softer, self.can_louder = works and levels.can_softer(), works and levels.can_louder()

    def speaker_ready(self) -> bool:
        """Read-aloud asked for: True when a speaker works. Else the speech bars show why
        (in the resident's language) and the fault log gets it for the health report, once
        per resident; the technical reason goes to the log (never anything personal)."""
        if self.speaker_works():
            return True
        self.refresh()
        self._log_fault()
        return False

    def _log_fault(self) -> None:
        if not self._fault_logged:
            self._fault_logged = True
            log.warning("read-aloud wanted, but no speaker: %s", self.app.services.speaker.unavailable())
            self.app.services.faults.record("tts", "read_aloud_unavailable")

    def step_and_read(self, what: str, screen: Any, locale: str) -> None:
        """A speech-bar step; when it changed something, the key's own word and then the
        screen again, heard at the new setting ("慢一点。您要办什么事？...")."""
        if self.step(what):
            self.read(screen, locale, self.app.t(STEP_WORDS[what]))

    def show_speaker_off(self) -> None:
        """As when no speaker works, on a kiosk whose speaker works (the UI catalogue's
        no-speaker state); the next `refresh` shows the speaker as it really is."""
        self.speaker_off = True
        self.can_slower = self.can_faster = self.can_softer = self.can_louder = False

    def step(self, what: str) -> bool:
        """One rate or volume step ("slower", "faster", "softer", "louder"): True when it
        changed something (at the end of the ladder, or without a speaker, nothing does)."""
        controller = self.controller
        steps = {"slower": controller.slower, "faster": controller.faster,
                 "softer": controller.softer, "louder": controller.louder}
        changed = steps[what]() is not None
        self.refresh()
        return changed

    def touch(self) -> None:
        """Any touch, before any widget sees it: silence, and the voice turn (if any) ends."""
        self._stop_tap = self.active
        self.active = self.listening = False
        self.controller.touch()

    def read(self, screen: Any, locale: str, lead: str = "") -> None:
        """Read a screen aloud: its engine view if it has one, else its chrome text; `lead`
        first (the confirmation of a rate or volume step, heard at the new setting)."""
        view = screen.voice_view() if hasattr(screen, "voice_view") else None
        self.controller.read_lang = str(self.app.read_lang)
        if view is not None:
            self.controller.show(view, locale, lead)
        else:
            text = " ".join(part for part in (lead, screen.spoken()) if part)
            if text:
                self.controller.say(text, locale)

    def say(self, text: str, locale: str) -> None:
        if text:
            self.controller.read_lang = str(self.app.read_lang)
            self.controller.say(text, locale)

    def listen_flow(self) -> None:
        """The microphone on a flow screen (a second tap, while a turn runs, only stops it)."""
        if self._consume_stop():
            return
        session = self.app.session.flow
        if session is None:
            return
        self.controller.engine = self.app.services.engine
        self.active = True
        self.app.visit.record("voice_used", screen="flow")
        self.controller.listen_flow(session)

    def listen_search(self, locale: str) -> None:
        if self._consume_stop():
            return
        services = self.app.services
        self.controller.search = services.search()
        self.controller.engine = services.engine
        self.active = True
        self.app.visit.record("voice_used", screen="search")
        self.controller.listen_search(locale)

    def reset(self) -> None:
        """Idle wipe: silence, default rate and volume, nothing remembered."""
        self.active = self.listening = False
        self._stop_tap = False
        self.controller.reset()
        self._fault_logged = False
        self.refresh()

    def _consume_stop(self) -> bool:
        stop, self._stop_tap = self._stop_tap, False
        return stop

    # --- events ---------------------------------------------------------------------------

    def _event(self, event: VoiceEvent) -> None:
        """Called on the recogniser's thread (or inside a listen call): handled next frame,
        in the order sent (Clock runs callbacks scheduled for the same frame in order)."""
        Clock.schedule_once(lambda _dt: self.handle(event), 0)

    def handle(self, event: VoiceEvent) -> None:
        app = self.app
        kind = event.kind
        if kind == "listening":
            self.listening = True
        elif kind in ("heard", "confirming", "results"):
            self.listening = False
        elif kind in ("ended", "offer_buttons", "unavailable"):
            self.active = self.listening = False
        if kind == "screen" and event.session is not None:
            app.session.flow = event.session
            app.go("outcome" if event.session.finished else "flow", quiet=True)
            return
        if kind == "pick" and event.session is not None:
            app.session.flow = event.session
            app.session.offered_service = None
            app.go("flow", quiet=True)
            return
        if kind == "results" and app.root is not None and app.root.current != "search":
            app.go("search", quiet=True)
        if kind == "command":
            self._command(str(event.value))
            return
        screen = app.screens[app.root.current] if app.root is not None else None
        handler = getattr(screen, "voice_event", None)
        if callable(handler):
            handler(event)

    def _command(self, name: str) -> None:
        app = self.app
        if name == "staff":
            app.go("staff")
        elif name in ("home", "back"):  # a flow's "back" the controller does itself
            app.go("home")


def mic_off_text(voice: VoiceUi | None, locale: str) -> str:
    """What the microphone's place says when it cannot work (the catalogue's no-model state
    shows it even on a kiosk whose microphone works)."""
    return (voice.mic_notice(locale) if voice is not None else "") or prompt("mic_off", locale)
