"""The idle warning: one big Continue, a countdown, then everything is wiped."""

from __future__ import annotations

from typing import Any

from kivy.properties import NumericProperty, StringProperty

from kiosk.ui.screens.base import KioskScreen


class IdleScreen(KioskScreen):
    seconds = NumericProperty(0)
    back_to = StringProperty("home")

    def enter(self, back_to: str | None = None, refresh: bool = False, **kwargs: Any) -> None:
        if back_to:
            self.back_to = back_to
        self.seconds = self.ctx.nav.idle_seconds_left()

    def keep_going(self) -> None:
        self.ctx.nav.keep_going(self.back_to)

    def spoken(self) -> str:
        return self.ctx.nav.t("Are you still there? Touch Continue, or your answers will be "
                              "cleared for your privacy.")
