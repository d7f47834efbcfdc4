"""The attract screen: calm, large, both languages; any touch starts."""

from __future__ import annotations

from kivy.properties import BooleanProperty, ListProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout

from kiosk.flows.texts import pick
from kiosk.ui.screens.base import KioskScreen


class TouchArea(ButtonBehavior, BoxLayout):
    """The whole screen is one big target."""

    main = BooleanProperty(True)
    bg_color = ListProperty([0, 0, 0, 0])


class AttractScreen(KioskScreen):
    place = StringProperty("")

    def enter(self, **kwargs: object) -> None:
        self.relabel()

    def relabel(self) -> None:
        locality = self.ctx.services.bundle.locality
        self.place = pick(locality.name, self.ctx.services.cfg.fallback_chain(self.ctx.nav.locale))

    def spoken(self) -> str:
        return self.ctx.nav.t("Touch the screen to start.")

    def start(self) -> None:
        self.ctx.nav.go("home")
