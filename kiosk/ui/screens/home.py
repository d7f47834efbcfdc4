"""Home: big tiles for what a resident came to do, and the language, size and voice switches."""

from __future__ import annotations

from typing import Any

from kivy.factory import Factory
from kivy.metrics import dp
from kivy.properties import StringProperty

from kiosk.ui.i18n import N_
from kiosk.ui.screens.base import KioskScreen

LEGAL_AID_FLOW = "legal-aid"


#: Said and shown when espeak-ng lacks the Cantonese voice (a gettext msgid).
NO_CANTONESE = N_("Cantonese reading is not installed on this kiosk: reading in Mandarin.")


class HomeScreen(KioskScreen):
    #: A plain line under the read-aloud languages when a choice cannot be had ("" = none).
    notice = StringProperty("")

    def enter(self, **kwargs: Any) -> None:
        self.relabel()

    def relabel(self) -> None:
        """A matter in progress gets a "continue" button at the top (added only when there
        is one: a hidden button must not sit over the tiles)."""
        self._place_read_langs()
        box = self.ids.resume
        box.clear_widgets()
        flow = self.ctx.session.flow
        if flow is None:
            return
        title = flow.screen().flow_title
        button = Factory.KButton(icon="next", style="primary", main=True, halign="left",
                                 text=self.ctx.nav.t("Continue: {title}", title=title))
        button.bind(on_release=lambda _b: self.ctx.nav.go("outcome" if flow.finished else "flow"))
        box.add_widget(button)

    def _place_read_langs(self) -> None:
        """The read-aloud languages: under the switches in portrait; in the title row in
        landscape, where a second row of switches would squeeze the tiles."""
        landscape = self.ctx.nav.landscape
        target = self.ids.title_langs if landscape else self.ids.switches
        for key in ("lang_cmn", "lang_yue", "lang_en"):
            button = self.ids[key]
            if button.parent is not target:
                if button.parent is not None:
                    button.parent.remove_widget(button)
                target.add_widget(button)
            button.size_hint_x = None if landscape else 1
            button.width = dp(320) if landscape else button.width

    def spoken(self) -> str:
        t = self.ctx.nav.t
        return " ".join((t("What do you need?"), t("Read aloud in Mandarin, Cantonese or English."),
                         t("Legal questions"), t("Search"),
                         t("Book an appointment"), t("Take a queue number"),
                         t("Can I get free legal aid?"), t("Check my application"), t("Offices and hours"),
                         t("Call staff")))

    def read_in(self, code: str) -> None:
        """A read-aloud language tapped. Cantonese without its espeak-ng voice stays
        Mandarin, and the resident is told so (the speaker records the fault)."""
        nav = self.ctx.nav
        missing = getattr(self.ctx.services.speaker, "missing_voice", None)
        notice = nav.t(NO_CANTONESE) if code == "yue" and callable(missing) and missing("yue") else ""
        self.notice = notice
        nav.read_in("cmn" if notice else code)
        if notice:
            nav.say(notice)

    def wipe(self) -> None:
        self.notice = ""

    def open(self, what: str) -> None:
        nav = self.ctx.nav
        if what == "aid" and LEGAL_AID_FLOW in self.ctx.services.bundle.flows:
            nav.go("flow", start=LEGAL_AID_FLOW)
        elif what == "booking":
            self.ctx.session.offered_service = None
            nav.go("booking", fresh=True)
        elif what == "ticket":
            self.ctx.session.offered_service = None
            nav.go("ticket", fresh=True)
        else:
            nav.go(what)

    def switch(self, **kwargs: Any) -> None:
        self.ctx.nav.apply(**kwargs)
        if kwargs.get("theme") == "elderly":  # large text comes with the screen read aloud
            self.ctx.nav.read_aloud_on()
