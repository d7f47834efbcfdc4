"""Offices and hours of this locality, from its configuration file."""

from __future__ import annotations

from typing import Any

from kivy.factory import Factory

from kiosk.flows.texts import pick
from kiosk.ui.screens.base import KioskScreen


class OfficeScreen(KioskScreen):
    def enter(self, **kwargs: Any) -> None:
        self.relabel()

    def relabel(self) -> None:
        t = self.ctx.nav.t
        chain = self.ctx.services.cfg.fallback_chain(self.ctx.nav.locale)
        paged = self.ids.paged
        paged.clear_items()
        self._spoken = [t("Offices and hours")]
        for office in self.ctx.services.bundle.locality.offices:
            name, address = pick(office.name, chain), pick(office.address, chain)
            hours = pick(office.hours, chain)
            text = "\n".join((address, hours, f"{t('Phone')}: {office.phone}"))
            paged.add_item(Factory.Section(title=name, text=text))
            self._spoken.append(f"{name}: {address}. {hours}.")

    def spoken(self) -> str:
        """The offices' names, addresses and hours (their phone numbers are on the screen:
        digits read aloud at 150 words a minute help nobody)."""
        return " ".join(getattr(self, "_spoken", [self.ctx.nav.t("Offices and hours")]))
