"""Search: an on-screen keyboard for pinyin and English, a microphone, results as big tiles.

The index is built off the UI thread on first use; typing searches after a short pause.
The microphone shows only when the recogniser can work, and says why when it cannot;
recognised text arrives on a worker thread and is handed back with Clock.schedule_once.
"""

from __future__ import annotations

from typing import Any

from kivy.clock import Clock
from kivy.properties import BooleanProperty, StringProperty

from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.voice import listen_blocking
from kiosk.ui.widgets.base import KButton
from kiosk.ui.widgets.inputs import BACKSPACE, CLEAR, SPACE
from kiosk.ui.worker import run_async

MAX_QUERY = 40


class ResultTile(KButton):
    pass


class SearchScreen(KioskScreen):
    query = StringProperty("")
    status = StringProperty("")
    mic_reason = StringProperty("")
    listening = BooleanProperty(False)

    def __init__(self, ctx: Any, **kwargs: Any) -> None:
        super().__init__(ctx, **kwargs)
        self._search = Clock.create_trigger(self.run_search, 0.3)

    def enter(self, **kwargs: Any) -> None:
        self.query = self.ctx.session.search_text
        reason = self.ctx.services.recognizer.unavailable()
        self.mic_reason = reason or ""
        self.relabel()

    def relabel(self) -> None:
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
        self._search()

    def run_search(self, *_: Any) -> None:
        query = self.query.strip()
        paged = self.ids.paged
        paged.clear_items()
        if not query:
            self.status = self.ctx.nav.t("Type pinyin or English words, or press the microphone.")
            return
        hits = self.ctx.services.search().search(query, top=5, locale=self.ctx.nav.locale)
        if not hits:
            self.status = self.ctx.nav.t("Nothing found. Try other words, or choose a topic.")
            return
        self.status = self.ctx.nav.t("Is it one of these?")
        for hit in hits:
            tile = ResultTile(text=hit.title, value=hit.flow, icon="next")
            tile.bind(on_release=lambda b: self.ctx.nav.go("flow", start=b.value))
            paged.add_item(tile)

    def listen(self) -> None:
        recognizer = self.ctx.services.recognizer
        reason = recognizer.unavailable()
        if reason:
            self.mic_reason = reason
            self.status = self.ctx.nav.t(
                "Voice input is not available on this kiosk. Please type, or choose a topic.")
            return
        self.ctx.services.speaker.stop()
        self.listening = True
        self.status = self.ctx.nav.t("Listening... please speak now.")
        locale = self.ctx.nav.locale
        # The recogniser calls back on its own thread: hop to the UI thread before touching widgets.
        run_async(lambda: listen_blocking(recognizer, None, locale),
                  lambda text, _err: self.heard(text or ""))

    def heard(self, text: str) -> None:
        self.listening = False
        if not text.strip():
            self.status = self.ctx.nav.t("I did not catch that. Please try again, or type.")
            return
        self.query = text.strip()[:MAX_QUERY]
        self.ctx.session.search_text = self.query
        self.run_search()

    def spoken(self) -> str:
        return f"{self.ctx.nav.t('Search')}. {self.status}"

    def wipe(self) -> None:
        self.query = ""
        self.ids.paged.clear_items()

