"""Call staff: where to find a person, and the phone numbers to call. No device rings a bell
yet, so the screen says plainly what to do rather than claiming someone is coming."""

from __future__ import annotations

from typing import Any

from kivy.properties import StringProperty

from kiosk.flows.texts import pick
from kiosk.ui.screens.base import KioskScreen


class StaffScreen(KioskScreen):
    phones = StringProperty("")

    def enter(self, **kwargs: Any) -> None:
        self.relabel()

    def relabel(self) -> None:
        chain = self.ctx.services.cfg.fallback_chain(self.ctx.nav.locale)
        bundle = self.ctx.services.bundle
        lines = [f"{pick(o.name, chain)}  {o.phone}" for o in bundle.locality.offices[:3]]
        legal = bundle.hotlines().get("legal")
        if legal:
            lines.insert(0, f"{pick(legal.title, chain)}  {legal.number}")
        self.phones = "\n".join(lines)

    def spoken(self) -> str:
        return self.ctx.nav.t("Please go to the service counter: a member of staff will help you. "
                              "Or call the numbers on the screen.")
