"""A printer shared by two threads: the UI's print service and the connector's heartbeat.

A serial printer's status query (DLE EOT) must never land in the middle of a slip's bytes,
so both go through one lock. Wrap the adapter once in the composition root and hand the
same wrapped printer to the print service and to the health reporter.
"""

from __future__ import annotations

import threading

from kiosk.ports import Printer, PrinterStatus, PrintResult
from kiosk.slips.render import RenderedSlip


class LockedPrinter:
    def __init__(self, printer: Printer) -> None:
        self.printer = printer
        self._lock = threading.Lock()

    def status(self) -> PrinterStatus:
        with self._lock:
            return self.printer.status()

    def print_slip(self, slip: RenderedSlip) -> PrintResult:
        with self._lock:
            return self.printer.print_slip(slip)
