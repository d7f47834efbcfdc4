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
        for office in self.ctx.services.bundle.locality.offices:
            text = "\n".join((pick(office.address, chain), pick(office.hours, chain),
                              f"{t('Phone')}: {office.phone}"))
            paged.add_item(Factory.Section(title=pick(office.name, chain), text=text))

    def spoken(self) -> str:
        return self.ctx.nav.t("Offices and hours")
