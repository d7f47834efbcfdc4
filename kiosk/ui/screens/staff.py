"""Call staff: a button that calls a member of staff, where to find one, and the numbers.

The call is local: the kiosk announces it through its own speaker, in the kiosk's default
language (the staff's), so that someone in the self-service hall hears it. The central
service's API has no event kind for a staff call (docs/api.md), so nothing is sent there.
The resident sees at once that the call went out, and the button says so; a second tap
within the cool-down repeats the message, not the announcement. When the speaker does not
work the kiosk cannot call anyone: there is no button then, only the plain reason and the
counter and the numbers. Nothing about the resident is announced or logged.
"""

from __future__ import annotations

import logging
from typing import Any

from kivy.clock import Clock
from kivy.factory import Factory
from kivy.properties import StringProperty

from kiosk.flows.texts import pick
from kiosk.ui.i18n import N_
from kiosk.ui.screens.base import KioskScreen

log = logging.getLogger(__name__)

#: Seconds after a call during which another tap does not announce again.
CALL_COOL_DOWN_S = 60.0

ANNOUNCEMENT = N_("Staff, please come to the self-service kiosk: a resident needs help.")
CALLED = N_("The kiosk announced the call over its speaker. If nobody comes, please go to the "
            "service counter.")
ALREADY = N_("Staff have already been called. Please wait here, or go to the service counter.")
CANNOT = N_("This kiosk cannot call staff now (its speaker does not work). "
            "Please go to the service counter, or call a number below.")
#: The heading when the kiosk can call, and when it cannot.
ASK = N_("Need help? Call a member of staff.")
WAIT = N_("Staff have been called. Please wait.")
GO = N_("Please go to the service counter: a member of staff will help you.")


class StaffScreen(KioskScreen):
    phones = StringProperty("")
    heading = StringProperty("")
    #: What the resident is told about the call ("" before any tap).
    notice = StringProperty("")
    notice_tone = StringProperty("info")

    def __init__(self, ctx: Any, **kwargs: Any) -> None:
        super().__init__(ctx, **kwargs)
        #: When the last call went out (the app's monotonic clock), None: not called.
        self.called_at: float | None = None
        self._call = Factory.KButton(style="primary", main=True, icon="staff")
        self._call.bind(on_release=lambda _b: self.call())
        self._ticker: Any = None
        #: Set by `preview` only (the catalogue): whether the kiosk can call, whatever its speaker.
        self._able: bool | None = None

    # --- showing ------------------------------------------------------------------------------

    def enter(self, **kwargs: Any) -> None:
        if self.manager is not None and self.manager.current == self.name:
            self.call()  # "call staff" tapped again on this very screen: that is a call
            return
        self.relabel()

    def on_enter(self, *_args: Any) -> None:
        """While shown, the button turns back to "call again" when the cool-down ends."""
        if self._ticker is None:
            self._ticker = Clock.schedule_interval(lambda _dt: self._show_call(), 1.0)

    def on_leave(self, *_args: Any) -> None:
        if self._ticker is not None:
            self._ticker.cancel()
            self._ticker = None

    def relabel(self) -> None:
        chain = self.ctx.services.cfg.fallback_chain(self.ctx.nav.locale)
        bundle = self.ctx.services.bundle
        lines = [f"{pick(o.name, chain)}  {o.phone}" for o in bundle.locality.offices[:3]]
        legal = bundle.hotlines().get("legal")
        if legal:
            lines.insert(0, f"{pick(legal.title, chain)}  {legal.number}")
        self.phones = "\n".join(lines)
        self._show_call()

    def preview(self, able: bool, called: bool = False) -> None:
        """The screen as on a kiosk whose speaker works (or not), before or after a call:
        for the catalogue, whose tools run with a silent speaker."""
        self._able = able
        self.called_at = self.ctx.services.monotonic() if called else None
        self.notice, self.notice_tone = (self.ctx.nav.t(CALLED) if called and able else ""), "info"
        self._show_call()

    def can_call(self) -> bool:
        if self._able is not None:
            return self._able
        voice = self.ctx.voice
        if voice is not None:
            return voice.speaker_works()
        return self.ctx.services.speaker.unavailable() is None

    def cooling(self) -> bool:
        return (self.called_at is not None
                and self.ctx.services.monotonic() - self.called_at < CALL_COOL_DOWN_S)

    def _show_call(self) -> None:
        """The call button as things stand: added only when the kiosk can call (a button
        that cannot work is never shown), labelled by whether a call just went out."""
        t = self.ctx.nav.t
        area = self.ids.call_area
        able = self.can_call()
        if able and self._call.parent is None:
            area.add_widget(self._call, index=2)  # under the heading, above the notice (staff.kv)
        elif not able and self._call.parent is not None:
            area.remove_widget(self._call)
        self.heading = t(GO if not able else WAIT if self.called_at is not None else ASK)
        if not able:
            self.notice, self.notice_tone = t(CANNOT), "warn"
            return
        if self.notice == t(CANNOT):  # the speaker works again
            self.notice, self.notice_tone = "", "info"
        if self.cooling():
            self._call.text, self._call.icon, self._call.style = t("Staff called"), "check", "selected"
        else:
            label = t("Call staff again") if self.called_at is not None else t("Call a member of staff")
            self._call.text, self._call.icon, self._call.style = label, "staff", "primary"

    # --- the call -------------------------------------------------------------------------------

    def call(self) -> None:
        """Announce the call (once per cool-down) and tell the resident it went out."""
        t = self.ctx.nav.t
        if not self.can_call():
            self._show_call()
            return
        if self.cooling():
            self.notice, self.notice_tone = t(ALREADY), "info"
            return
        staff_locale = self.ctx.services.cfg.default_locale
        announcement = self.ctx.nav.t(ANNOUNCEMENT, lang=staff_locale)
        if self.ctx.voice is not None:
            self.ctx.voice.say(announcement, staff_locale)
        else:
            self.ctx.services.speaker.say(announcement, staff_locale)
        self.called_at = self.ctx.services.monotonic()
        log.info("staff called from the kiosk (announced over its speaker)")
        self.notice, self.notice_tone = t(CALLED), "info"
        self._show_call()

    def spoken(self) -> str:
        return f"{self.heading} {self.notice}".strip()

    def wipe(self) -> None:
        """A new resident may call again at once; the last one's call is forgotten."""
        self.called_at = None
        self._able = None
        self.notice = ""
        self.notice_tone = "info"
