"""The virtual printer: each slip's ESC/POS bytes and a PNG preview, written to a folder.

Used by the demo and in development; an administrator previewing a slip sees exactly
the layout the real printer gets.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from kiosk.ports import PrinterStatus, PrintResult
from kiosk.slips.preview import to_png
from kiosk.slips.render import RenderedSlip


class VirtualPrinter:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def status(self) -> PrinterStatus:
        return PrinterStatus(answered=True, online=True, paper="ok")

    def print_slip(self, slip: RenderedSlip) -> PrintResult:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            stem = self.folder / f"{slip.kind}-{dt.datetime.now():%Y%m%d-%H%M%S-%f}"
            stem.with_suffix(".bin").write_bytes(slip.data)
            to_png(slip.layout, slip.profile).save(stem.with_suffix(".png"))
        except OSError:
            return PrintResult(printed=False, fault="disconnected")
        return PrintResult(printed=True, path=str(stem.with_suffix(".png")))
