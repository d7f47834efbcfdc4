"""Hand-written fakes for unit tests: scripted answers, every call remembered."""

from __future__ import annotations

from kiosk.ports import PrinterStatus, PrintResult
from kiosk.slips.render import RenderedSlip


class FakePrinter:
    def __init__(self, result: PrintResult | None = None, status: PrinterStatus | None = None) -> None:
        self.result = result or PrintResult(printed=True)
        self._status = status or PrinterStatus(answered=True, online=True, paper="ok")
        self.printed: list[RenderedSlip] = []

    def status(self) -> PrinterStatus:
        return self._status

    def print_slip(self, slip: RenderedSlip) -> PrintResult:
        self.printed.append(slip)
        return self.result
