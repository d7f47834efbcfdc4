"""Home: big tiles for what a resident came to do, and the language, size and voice switches."""

from __future__ import annotations

from typing import Any

from kivy.factory import Factory

from kiosk.ui.screens.base import KioskScreen

LEGAL_AID_FLOW = "legal-aid"


class HomeScreen(KioskScreen):
    def enter(self, **kwargs: Any) -> None:
        self.relabel()

    def relabel(self) -> None:
        """A matter in progress gets a "continue" button at the top (added only when there
        is one: a hidden button must not sit over the tiles)."""
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

    def spoken(self) -> str:
        t = self.ctx.nav.t
        return " ".join((t("What do you need?"), t("Read aloud in Mandarin, Cantonese or English."),
                         t("Legal questions"), t("Search"),
                         t("Book an appointment"), t("Take a queue number"),
                         t("Can I get free legal aid?"), t("Check my application"), t("Offices and hours"),
                         t("Call staff")))

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
