"""The voice dialogue: speak a screen, listen, snap, confirm, answer the engine. No Kivy.

The controller talks only to the Speaker and Recognizer ports, a FlowSession and the search
service, and tells the UI what happened through one callback taking a VoiceEvent. Events
arrive on the recogniser's thread: wrap the callback with Kivy's @mainthread (or
Clock.schedule_once) before touching widgets.

How the UI wires it (see kiosk/voice/__init__.py for the whole API):

    voice = VoiceController(speaker, recognizer, on_event, search=search, engine=engine)
    voice.show(screen, locale)        # every screen change the UI made (touch): read it aloud
    voice.touch()                     # ANY touch: silence at once, end the voice turn
    voice.replay()                    # the replay button
    voice.mic_reason()                # None, or why the mic button is hidden/explains
    voice.listen_flow(session)        # mic button on a flow screen
    voice.listen_search(locale)       # mic button on the home/search screen
    voice.reset()                     # idle reset: silence, default rate and volume

A voice turn runs from the mic tap until an outcome, an action screen (the UI does the
action), a command the UI must carry out (home, staff), a touch, or two misses in a row
(then "offer_buttons": the UI highlights the buttons). Between, the controller speaks each
new screen and listens again by itself: no touch is needed after the mic button.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kiosk.flows.answers import InvalidAnswer
from kiosk.flows.engine import FlowEngine, FlowSession
from kiosk.flows.views import Screen
from kiosk.ports import Recognizer, Speaker
from kiosk.voice import grammar as grammars
from kiosk.voice import numbers
from kiosk.voice.events import EVENTS, VoiceEvent, needs_confirmation, out_of_range, spoken_answer
from kiosk.voice.grammar import Grammar
from kiosk.voice.levels import SpeechLevels
from kiosk.voice.numbers import parse_date, parse_number
from kiosk.voice.snap import Snap
from kiosk.voice.spoken import results_speech, screen_speech, scrub, speakable, speech_locale
from kiosk.voice.words import prompt

if TYPE_CHECKING:  # search's index pulls numpy in: not on the kiosk's start-up path
    from kiosk.search.index import Hit
    from kiosk.search.service import SearchService

log = logging.getLogger(__name__)


@dataclass
class _Turn:
    generation: int
    session: FlowSession | None
    locale: str
    grammar: Grammar | None = None
    misses: int = 0
    pending: Any = None  # an answer waiting for "yes, that's right"
    hits: tuple[Hit, ...] = field(default_factory=tuple)


class VoiceController:
    def __init__(
        self,
        speaker: Speaker,
        recognizer: Recognizer,
        on_event: Callable[[VoiceEvent], None] | None = None,
        *,
        search: SearchService | None = None,
        engine: FlowEngine | None = None,
        max_misses: int = 2,
    ) -> None:
        self.speaker = speaker
        self.recognizer = recognizer
        self.on_event = on_event or (lambda event: None)
        self.search = search
        self.engine = engine
        self.max_misses = max_misses
        self._lock = threading.RLock()
        self._generation = 0
        self._turn: _Turn | None = None
        self._last: tuple[str, str] | None = None  # (text, locale) last spoken, for replay
        #: The voice for Chinese screens, "cmn" or "yue" (the resident's choice on the home
        #: screen); English screens are read in English whatever it is.
        self.read_lang = "cmn"
        #: The resident's rate and volume steps (reset with the speaker at the idle wipe).
        self.levels = SpeechLevels(speaker)
        threading.Thread(target=numbers.warm, name="voice-warm", daemon=True).start()

    # --- what the UI calls ---------------------------------------------------------------

    def mic_reason(self) -> str | None:
        return self.recognizer.unavailable()

    def louder(self) -> float | None:
        """The volume button: one step up; the new volume 0..1 (None: at the top already, or
        this speaker has no volume)."""
        return self.levels.louder()

    def softer(self) -> float | None:
        return self.levels.softer()

    def slower(self) -> int | None:
        """One rate step slower (kiosk.voice.levels); the new words a minute, or None."""
        return self.levels.slower()

    def faster(self) -> int | None:
        return self.levels.faster()

    def set_rate(self, wpm: int) -> None:
        """Slower or faster speech (words a minute); reset() restores the configured rate."""
        setter = getattr(self.speaker, "set_rate", None)
        if callable(setter):
            setter(wpm)

    def mic_notice(self, locale: str) -> str | None:
        """None when the mic works; else the plain words to show by the hidden mic button."""
        return prompt("mic_off", locale) if self.recognizer.unavailable() else None

    def show(self, screen: Screen, locale: str, lead: str = "") -> None:
        """Read a screen aloud (the UI calls this after it changed the screen); `lead` is
        said first (the UI's "slower" confirmation, at the new rate).

        During a voice turn the controller reads the screens it moved to itself (with how
        to answer); a `show` for that same screen is then a no-op, not a second reading."""
        turn = self._turn
        if turn is not None and turn.session is not None:
            current = turn.session.screen()
            if (current.flow_id, current.node_id) == (screen.flow_id, screen.node_id):
                return
        self.say(" ".join(p for p in (lead, screen_speech(screen, locale, voice_input=False)) if p), locale)

    def say(self, text: str, locale: str) -> None:
        """Speak UI chrome (already localised); personal data is scrubbed on the way."""
        voice = speech_locale(locale, self.read_lang)
        text = speakable(scrub(text, locale), voice)
        self._last = (text, voice)
        self.speaker.say(text, voice)

    def replay(self) -> None:
        if self._last is not None:
            self.speaker.say(*self._last)

    def touch(self) -> None:
        """Any touch: speech stops at once and the voice turn ends; touch takes over."""
        with self._lock:
            self.speaker.stop()
            if self._turn is not None:
                self._end("touch")

    def reset(self) -> None:
        with self._lock:
            self._generation += 1
            self._turn = None
            self._last = None
            self.recognizer.stop()
            self.speaker.reset()

    def listen_flow(self, session: FlowSession, speak_first: bool = False) -> None:
        """The mic button on a flow screen: listen for an answer to the current screen."""
        with self._lock:
            if not self._begin(session, session.state.locale):
                return
            screen = session.screen()
            text = screen_speech(screen, session.state.locale, voice_input=True) if speak_first else None
            self._ask_screen(text)

    def listen_search(self, locale: str) -> None:
        """The mic button on the search screen: free dictation, then pick a result by voice."""
        with self._lock:
            if not self._begin(None, locale):
                return
            self._listen(grammars.dictation(locale), None)

    # --- the turn ----------------------------------------------------------------------------

    def _emit(self, kind: str, **fields: Any) -> None:
        try:
            self.on_event(VoiceEvent(kind, **fields))
        except Exception:  # a UI handler's bug must not kill the recogniser's thread
            log.exception("voice event handler failed on %s", kind)

    def _begin(self, session: FlowSession | None, locale: str) -> bool:
        self.speaker.stop()  # the tap is a touch
        reason = self.recognizer.unavailable()
        if reason:
            self._emit("unavailable", reason=reason)
            self.say(prompt("mic_off", locale), locale)
            return False
        self._generation += 1
        self._turn = _Turn(self._generation, session, locale)
        return True

    def _end(self, reason: str) -> None:
        self._generation += 1
        self._turn = None
        self.recognizer.stop()
        self._emit("ended", reason=reason)

    def _listen(self, grammar: Grammar, speak: str | None) -> None:
        turn = self._turn
        assert turn is not None
        turn.grammar = grammar
        if speak:
            self.say(speak, turn.locale)
        generation = turn.generation
        self._emit("listening")
        self.recognizer.listen(grammar.recognizer_phrases(), turn.locale,
                               lambda text: self._heard(generation, text))

    def _ask_screen(self, speak: str | None) -> None:
        turn = self._turn
        assert turn is not None and turn.session is not None
        turn.pending = None
        self._listen(grammars.for_screen(turn.session.screen(), turn.locale), speak)

    def _heard(self, generation: int, text: str) -> None:
        with self._lock:
            turn = self._turn
            if turn is None or generation != turn.generation:
                return  # touched, reset, or superseded while listening
            try:
                if turn.session is None:
                    self._heard_search(turn, text)
                else:
                    self._heard_flow(turn, turn.session, text)
            except Exception:
                log.exception("voice turn failed")
                self._end("fault")

    def _miss(self, turn: _Turn, why: str, say: str | None = None) -> None:
        """Nothing usable heard (or the resident said "no, not that"): ask again, twice at most."""
        turn.misses += 1
        turn.pending = None
        if turn.misses >= self.max_misses:
            self.say(prompt("buttons", turn.locale), turn.locale)
            self._emit("offer_buttons")
            self._end("buttons")
            return
        again = say or prompt("unsure" if why == "ambiguous" else "again", turn.locale)
        if turn.session is None:
            assert turn.grammar is not None
            self._listen(turn.grammar, again)
        elif why == "denied":
            self._ask_screen(screen_speech(turn.session.screen(), turn.locale, voice_input=True))
        else:
            self._ask_screen(again)

    # --- flow screens ------------------------------------------------------------------------

    def _heard_flow(self, turn: _Turn, session: FlowSession, text: str) -> None:
        screen = session.screen()
        assert turn.grammar is not None
        snapped = turn.grammar.snap(text)
        value: Any = snapped.target.value if snapped.target else None
        self._emit("heard", text=text, phrase=snapped.phrase, value=value)
        if snapped.target is not None and snapped.target.kind == "command":
            if snapped.how != "fuzzy":  # a command only when heard whole: never guess "home"
                self._command(turn, session, screen, snapped.target.value)
                return
            snapped = Snap(text, None, None, snapped.score, "low")
        if turn.pending is not None:  # "you said X, right?"
            if snapped.target is None:
                self._miss(turn, snapped.how)
            elif snapped.target.value is True:
                self._answer(turn, session, turn.pending)
            else:
                self._miss(turn, "denied")
            return
        if screen.kind != "question":
            self._miss(turn, snapped.how)
            return
        if screen.input in ("number", "date"):
            value = (parse_number(text) if screen.input == "number"
                     else parse_date(text, session.engine.clock()))
            if value is None:
                self._miss(turn, "low")
                return
            invalid = out_of_range(screen, value)
            if invalid is not None:  # no point saying back a number the question refuses
                why = invalid.message(session.engine.chain(turn.locale))
                self._miss(turn, "invalid", prompt("invalid", turn.locale, message=why))
                return
        elif snapped.target is None:
            self._miss(turn, snapped.how)
            return
        if needs_confirmation(screen, snapped if screen.input in ("choice", "yesno") else None):
            turn.pending = value
            shown = spoken_answer(screen, value, turn.locale)
            self._emit("confirming", text=shown, value=value)
            self._listen(grammars.for_confirm(turn.locale),
                         prompt("confirm", turn.locale, answer=shown))
            return
        self._answer(turn, session, value)

    def _answer(self, turn: _Turn, session: FlowSession, value: Any) -> None:
        try:
            screen = session.answer(value)
        except InvalidAnswer as exc:
            why = exc.message(session.engine.chain(turn.locale))
            self._miss(turn, "invalid", prompt("invalid", turn.locale, message=why))
            return
        turn.misses = 0
        self._moved(turn, session, screen)

    def _moved(self, turn: _Turn, session: FlowSession, screen: Screen) -> None:
        """The engine moved: the UI shows the screen, the speaker reads it, we go on."""
        self._emit("screen", screen=screen, session=session)
        speech = screen_speech(screen, turn.locale, voice_input=screen.kind in ("question", "info"))
        if screen.kind in ("question", "info"):
            self._ask_screen(speech)
            return
        self.say(speech, turn.locale)
        self._end({"outcome": "outcome", "action": "action"}.get(screen.kind, "fault"))

    def _command(self, turn: _Turn, session: FlowSession, screen: Screen, name: str) -> None:
        if name == "back":
            self._moved(turn, session, session.back())
        elif name == "repeat":
            self._ask_screen(screen_speech(screen, turn.locale, voice_input=True))
        elif name == "help":
            self._ask_screen(f"{screen.help} {prompt('help', turn.locale)}".strip())
        elif name == "next" and screen.kind == "info":
            self._moved(turn, session, session.advance())
        elif name == "next":
            self._end("outcome" if screen.kind == "outcome" else "action")
        else:  # home, staff: the UI navigates
            self._emit("command", value=name)
            self._end("command")

    # --- search ----------------------------------------------------------------------------

    def _heard_search(self, turn: _Turn, text: str) -> None:
        assert turn.grammar is not None
        snapped = turn.grammar.snap(text)
        self._emit("heard", text=text, phrase=snapped.phrase,
                   value=snapped.target.value if snapped.target else None)
        if snapped.target is not None and snapped.target.kind == "command" and snapped.how == "exact":
            if snapped.target.value in ("repeat", "help"):
                self._listen(turn.grammar, prompt("search_ask", turn.locale))
            else:
                self._emit("command", value=snapped.target.value)
                self._end("command")
            return
        if turn.grammar.mode == "dictation":
            query = text.strip()
            search = self.search
            found = search.find(query, top=3, locale=turn.locale) if search and query else None
            hits = tuple(found.hits) if found else ()
            self._emit("results", hits=hits, text=text)
            if not hits:
                # Another body's matter: say who handles it (then listen again, as for a miss).
                told = found.referral if found else None
                self._miss(turn, "low", say=told.text if told and told.body else None)
                return
            turn.hits = hits
            turn.misses = 0
            self._listen(grammars.for_results(hits, turn.locale), results_speech(hits, turn.locale))
            return
        if snapped.target is None:
            self._miss(turn, snapped.how)
            return
        flow_id = str(snapped.target.value)
        session = self.engine.start(flow_id, turn.locale) if self.engine is not None else None
        self._emit("pick", value=flow_id, session=session)
        if session is None:
            self._end("picked")
            return
        turn.session, turn.misses = session, 0
        self._moved(turn, session, session.screen())


__all__ = ["EVENTS", "VoiceController", "VoiceEvent", "needs_confirmation"]
