"""Printing a slip for a resident: render, print, and when the printer fails say so plainly,
show the slip's QR code instead, and record the fault. Never report a slip that did not print.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import msgspec

from kiosk.ports import Printer
from kiosk.services.faults import FaultLog
from kiosk.slips.data import SlipData
from kiosk.slips.profiles import PrinterProfile

log = logging.getLogger(__name__)

MESSAGES = {
    "zh-CN": {
        "printed": "请取走打印的凭条。",
        "failed": "打印机暂时不能用，凭条没有打印出来。请用手机扫描屏幕上的二维码，或请工作人员帮忙。",
    },
    "en": {
        "printed": "Please take your slip.",
        "failed": ("The printer is not working, so your slip was not printed. Scan the QR code on "
                   "the screen with your phone, or ask staff for help."),
    },
}


class PrintOutcome(msgspec.Struct, frozen=True, kw_only=True):
    printed: bool
    message: str
    #: Shown on screen when the slip did not print (the slip's own QR payload).
    qr: str | None = None
    fault: str | None = None


class PrintService:
    def __init__(self, printer: Printer, profile: PrinterProfile, faults: FaultLog) -> None:
        self.printer = printer
        self.profile = profile
        self.faults = faults
        #: Told (fault, warning) after every slip: the connector reports printer changes.
        self.observer: Callable[[str | None, str | None], None] | None = None
        #: Told (slip kind, fault or None) after every slip: the usage events (issue 15).
        self.slip_observer: Callable[[str, str | None], None] | None = None

    def print(self, data: SlipData, locale: str) -> PrintOutcome:
        words = MESSAGES.get(locale, MESSAGES["zh-CN"])
        from kiosk.slips.render import render_slip  # python-escpos: not needed to start

        slip = render_slip(data, self.profile, locale)
        try:
            result = self.printer.print_slip(slip)
        except Exception:  # an adapter bug must not leave the resident at a frozen screen
            log.exception("printer adapter failed")
            self.faults.record("printer", "adapter_error")
            self._observe("adapter_error", None, slip.kind)
            return PrintOutcome(printed=False, message=words["failed"], qr=slip.qr, fault="adapter_error")
        if result.warning:
            self.faults.record("printer", result.warning)
        if not result.printed:
            fault = result.fault or "unknown"
            log.warning("slip %s not printed: %s", slip.kind, fault)
            self.faults.record("printer", fault)
            self._observe(fault, result.warning, slip.kind)
            return PrintOutcome(printed=False, message=words["failed"], qr=slip.qr, fault=fault)
        self._observe(None, result.warning, slip.kind)
        return PrintOutcome(printed=True, message=words["printed"])

    def _observe(self, fault: str | None, warning: str | None, kind: str = "") -> None:
        if self.slip_observer is not None and kind:
            try:
                self.slip_observer(kind, fault)
            except Exception:
                log.exception("slip observer failed")
        if self.observer is not None:
            try:
                self.observer(fault, warning)
            except Exception:  # reporting must never cost the resident their slip message
                log.exception("print observer failed")
