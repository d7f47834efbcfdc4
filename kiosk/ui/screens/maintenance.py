"""Maintenance, for staff only: a long press in the top-left corner, then the PIN.

Device status (printer, microphone and speech model, speaker, central service, content
version; each reason in the screen's language with its technical detail kept), a test
print, reloading the content, and leaving the app. Five wrong PINs lock the PIN for the
configured minutes.
"""

from __future__ import annotations

from typing import Any

from kivy.properties import BooleanProperty, ObjectProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout

from kiosk.ports import DeskUnavailable
from kiosk.services.public_urls import public_base_url
from kiosk.slips.data import TicketData
from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.status_reasons import parked_text, printer_text, reason_text, unit_text
from kiosk.ui.widgets.inputs import BACKSPACE, CLEAR
from kiosk.ui.worker import run_async


class PinPanel(BoxLayout):
    screen = ObjectProperty(None, rebind=True)


class StatusPanel(BoxLayout):
    screen = ObjectProperty(None, rebind=True)


class MaintenanceScreen(KioskScreen):
    unlocked = BooleanProperty(False)
    pin_dots = StringProperty("")
    message = StringProperty("")
    status = StringProperty("")

    def __init__(self, ctx: Any, **kwargs: Any) -> None:
        super().__init__(ctx, **kwargs)
        self._pin = ""
        # One panel in the tree at a time: a hidden panel must not catch touches.
        self._panels: dict[bool, Any] = {False: PinPanel(screen=self)}  # status: on first unlock
        self.on_unlocked(self, self.unlocked)

    def on_unlocked(self, _inst: Any, unlocked: bool) -> None:
        if not hasattr(self, "_panels"):
            return
        body = self.ids.body
        body.clear_widgets()
        if bool(unlocked) not in self._panels:
            self._panels[True] = StatusPanel(screen=self)
        body.add_widget(self._panels[bool(unlocked)])

    def enter(self, **kwargs: Any) -> None:
        self._pin = ""
        self.pin_dots = ""
        self.unlocked = False
        self.message = ""
        self._locked_message()

    def _locked_message(self) -> bool:
        left = self.ctx.nav.pin.locked_for()
        if left:
            self.message = self.ctx.nav.t("Too many wrong PINs. Try again in {n} minutes.",
                                          n=max(1, round(left / 60)))
        return bool(left)

    def key(self, key: str) -> None:
        if key == CLEAR:
            self._pin = ""
        elif key == BACKSPACE:
            self._pin = self._pin[:-1]
        elif len(self._pin) < 12:
            self._pin += key
        self.pin_dots = "●" * len(self._pin)

    def submit(self) -> None:
        pin, self._pin, self.pin_dots = self._pin, "", ""
        if self._locked_message():
            return
        if self.ctx.nav.pin.check(pin):
            self.unlocked = True
            self.message = ""
            self.refresh_status()
        elif not self._locked_message():
            self.message = self.ctx.nav.t("Wrong PIN.")

    def refresh_status(self) -> None:
        self.status = self.ctx.nav.t("Checking...")
        run_async(self._collect, lambda text, _e: setattr(self, "status", text or ""))

    def _collect(self) -> str:
        s = self.ctx.services
        t = self.ctx.nav.t
        ok = t("ok")
        mic = unit_text(s.recognizer.unavailable(), t)
        summary = getattr(s.recognizer, "model_summary", None)  # the vosk adapter names its model
        if callable(summary) and summary():
            mic = f"{mic} ({summary()})"
        lines = [f"{t('Printer')}: {printer_text(s.printer.status(), t)}",
                 f"{t('Microphone and speech model')}: {mic}",
                 f"{t('Speaker')}: {unit_text(s.speaker.unavailable(), t)}"]
        if s.desk_kind == "local":
            lines.append(f"{t('Central service')}: {t('not configured (this kiosk books locally)')}")
        elif s.central is not None:
            lines += central_lines(s.central.status(), t)
        else:
            try:
                s.desk.services()
                lines.append(f"{t('Central service')}: {ok}")
            except DeskUnavailable:
                lines.append(f"{t('Central service')}: {t('unreachable')}")
        lines.append(f"{t('Content version')}: {s.bundle.version} ({s.bundle.locality.id})")
        if s.usage is not None:
            from kiosk.ui.visit import dropped_line

            lines.append(dropped_line(s.usage.dropped(), self.ctx.nav.locale))
        return "\n".join(lines)

    def test_print(self) -> None:
        s = self.ctx.services
        data = TicketData(office=s.cfg.kiosk_id, service="TEST", number="T000",
                          issued_at=s.clock(), qr=public_base_url(s.cfg))
        locale = self.ctx.nav.locale
        run_async(lambda: s.printing.print(data, locale),
                  lambda r, _e: setattr(self, "message", r.message if r else self.ctx.nav.t("Failed.")))

    def reload(self) -> None:
        def done(version: str | None, error: BaseException | None) -> None:
            self.message = (self.ctx.nav.t("Content reloaded: version {v}.", v=version)
                            if error is None else self.ctx.nav.t("Content could not be reloaded."))
            self.refresh_status()

        run_async(self.ctx.services.reload_content, done)

    def leave(self) -> None:
        self.unlocked = False
        self.ctx.nav.finish()

    def exit_app(self) -> None:
        self.ctx.nav.stop()

    def wipe(self) -> None:
        self._pin = ""
        self.pin_dots = ""
        self.unlocked = False


def central_lines(status: dict[str, Any], t: Any) -> list[str]:
    """The central service's part of the device status (CentralLink.status())."""
    never = t("never")
    if status["reachable"]:
        state = t("reachable (last contact {time})", time=status["last_contact"] or never)
    else:
        state = t("unreachable: {reason} (last contact {time})", reason=reason_text(status["problem"], t),
                  time=status["last_contact"] or never)
    lines = [f"{t('Central service')}: {state}",
             f"{t('Bookings and tickets')}: {t('through the central service')}"]
    if status["signed_version"] is not None:
        lines.append(f"{t('Signed content')}: v{status['signed_version']}")
    if status["pending_version"] is not None:
        lines.append(t("Content update v{v} is ready: it applies at the next idle.",
                       v=status["pending_version"]))
    lines.append(t("Outbox: {pending} waiting, {failed} failed", pending=status["pending"],
                   failed=status["failed"]))
    lines += [f"  {t('Failed')}: {parked_text(kind, reason, t)}" for kind, reason in status["parked"][:5]]
    return lines
