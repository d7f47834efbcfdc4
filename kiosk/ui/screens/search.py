"""Search: an on-screen keyboard for pinyin and English, a microphone, results as big tiles.

Typing searches after a short pause. A matter of another body (an ID card, 低保) gets no
tiles but the status line says who handles it and which number to call
(content/referrals.yaml). The microphone hands the dictation to the app's
VoiceController (kiosk/ui/voice.py): the top three results come back as tiles and are read
out, and "第一个" starts that flow. When the microphone cannot work, its button shows it
crossed out and the status line says why in plain words.
"""

from __future__ import annotations

from typing import Any

from kivy.clock import Clock
from kivy.properties import BooleanProperty, StringProperty

from kiosk.search.index import Hit
from kiosk.search.scope import SearchResult
from kiosk.search.terms import is_pinyin
from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.voice import mic_off_text
from kiosk.ui.widgets.base import KButton
from kiosk.ui.widgets.inputs import BACKSPACE, CLEAR, SPACE
from kiosk.voice.dialogue import VoiceEvent

MAX_QUERY = 40


class ResultTile(KButton):
    pass


class SearchScreen(KioskScreen):
    query = StringProperty("")
    status = StringProperty("")
    #: Why the microphone cannot work, in the resident's words ("" when it can).
    mic_reason = StringProperty("")
    listening = BooleanProperty(False)

    def __init__(self, ctx: Any, **kwargs: Any) -> None:
        super().__init__(ctx, **kwargs)
        self._search = Clock.create_trigger(self.run_search, 0.3)

    def enter(self, **kwargs: Any) -> None:
        self.query = self.ctx.session.search_text
        self.relabel()

    def relabel(self) -> None:
        voice = self.ctx.voice
        self.mic_reason = voice.mic_notice(self.ctx.nav.locale) if voice is not None else ""
        self.run_search()

    def key(self, key: str) -> None:
        if key == CLEAR:
            self.query = ""
        elif key == BACKSPACE:
            self.query = self.query[:-1]
        elif key == SPACE:
            self.query = (self.query + " ") if self.query and not self.query.endswith(" ") else self.query
        elif len(self.query) < MAX_QUERY:
            self.query += key
        self.ctx.session.search_text = self.query
        # The usage event says how the query came: typed pinyin is its own mode (kiosk/insight).
        self.input_mode = "pinyin" if is_pinyin(self.query) else "touch"
        self._search()

    def run_search(self, *_: Any) -> None:
        query = self.query.strip()
        paged = self.ids.paged
        paged.clear_items()
        if not query:
            self.status = self.mic_reason or self.ctx.nav.t(
                "Type pinyin or English words, or press the microphone.")
            return
        result = self.ctx.services.search().find(query, top=5, locale=self.ctx.nav.locale)
        if not result.hits:
            self.status = self._nothing(result)
            return
        self._show_hits(result.hits)

    def _nothing(self, result: SearchResult) -> str:
        """Another body's matter: who handles it and which line to call; else "nothing found"."""
        if result.referral is not None and result.referral.body is not None:
            return result.referral.text
        return str(self.ctx.nav.t("Nothing found. Try other words, or choose a topic."))

    def _show_hits(self, hits: list[Hit] | tuple[Hit, ...]) -> None:
        paged = self.ids.paged
        paged.clear_items()
        self.status = self.ctx.nav.t("Is it one of these?")
        for hit in hits:
            tile = ResultTile(text=hit.title, value=hit.flow, icon="next")
            tile.bind(on_release=lambda b: self.ctx.nav.go("flow", start=b.value))
            paged.add_item(tile)

    def listen(self) -> None:
        """The microphone: dictation into search (a second tap stops it)."""
        if self.ctx.voice is not None:
            self.ctx.voice.listen_search(self.ctx.nav.locale)

    def mic_unavailable(self, notice: str) -> None:
        self.listening = False
        self.mic_reason = notice
        self.status = notice

    def voice_event(self, event: VoiceEvent) -> None:
        """What the voice turn did, shown: the words heard, the results it reads out."""
        t = self.ctx.nav.t
        if event.kind == "listening":
            self.listening = True
            self.status = t("Listening... please speak now.")
        elif event.kind == "results":
            self.listening = False
            self.query = event.text.strip()[:MAX_QUERY]
            self.input_mode = "voice"
            self.ctx.session.search_text = self.query
            if event.hits:
                self._show_hits(event.hits)
            else:
                self.ids.paged.clear_items()
                heard = event.text.strip()
                self.status = self._nothing(
                    self.ctx.services.search().find(heard, top=1, locale=self.ctx.nav.locale))
        elif event.kind == "offer_buttons":
            self.listening = False
            self.status = t("I did not catch that. Please try again, or type.")
        elif event.kind == "unavailable":
            self.mic_unavailable(mic_off_text(self.ctx.voice, self.ctx.nav.locale))
        elif event.kind == "ended":
            self.listening = False
            if self.status == t("Listening... please speak now."):
                self.status = (t("Is it one of these?") if self.ids.paged.box.children
                               else t("Type pinyin or English words, or press the microphone."))

    #: How the query shown was entered, for the usage event (kiosk/ui/visit.py).
    input_mode = "touch"

    def shown_flows(self) -> list[str]:
        """The flows of the result tiles shown, best first (for the usage event's rank)."""
        return [str(w.value) for w in reversed(self.ids.paged.box.children) if isinstance(w, ResultTile)]

    def spoken(self) -> str:
        """The status line, then the titles of the results shown (content, never the words
        the resident typed)."""
        titles = [w.text for w in reversed(self.ids.paged.box.children) if isinstance(w, ResultTile)]
        return " ".join([f"{self.ctx.nav.t('Search')}.", self.status, *titles])

    def wipe(self) -> None:
        self.input_mode = "touch"
        self.query = ""
        self.ids.paged.clear_items()

