"""Printing a slip for a resident: render, print, and when the printer fails say so plainly,
show the slip's QR code instead, and record the fault. Never report a slip that did not print.
"""

from __future__ import annotations

import logging

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

    def print(self, data: SlipData, locale: str) -> PrintOutcome:
        words = MESSAGES.get(locale, MESSAGES["zh-CN"])
        from kiosk.slips.render import render_slip  # python-escpos: not needed to start

        slip = render_slip(data, self.profile, locale)
        try:
            result = self.printer.print_slip(slip)
        except Exception:  # an adapter bug must not leave the resident at a frozen screen
            log.exception("printer adapter failed")
            self.faults.record("printer", "adapter_error")
            return PrintOutcome(printed=False, message=words["failed"], qr=slip.qr, fault="adapter_error")
        if result.warning:
            self.faults.record("printer", result.warning)
        if not result.printed:
            fault = result.fault or "unknown"
            log.warning("slip %s not printed: %s", slip.kind, fault)
            self.faults.record("printer", fault)
            return PrintOutcome(printed=False, message=words["failed"], qr=slip.qr, fault=fault)
        return PrintOutcome(printed=True, message=words["printed"])
