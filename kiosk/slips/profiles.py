"""Printer profiles: paper width, line settings and what the printer's firmware can do.

Kiosks ship with different thermal printers; what differs between them is data, kept in
`config/printers.toml` and chosen by name in the kiosk config, never in code.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Annotated, Literal

import msgspec
from msgspec import Meta

FlowControl = Literal["none", "rtscts", "dsrdtr"]


class PrinterProfile(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    name: str
    #: Printable width in dots: 384 for 58 mm paper, 576 for 80 mm (at 203 dpi).
    dots: Annotated[int, Meta(ge=200, le=1000)]
    baud: int = 9600
    flow_control: FlowControl = "none"
    #: Seconds a write may block (paper jam, flow control held) before it is a fault.
    write_timeout: float = 5.0
    #: Seconds to wait for one status byte.
    status_timeout: float = 0.5
    #: Native QR (GS ( k); false renders the QR as a raster image (more bytes).
    native_qr: bool = True
    #: QR module size in dots.
    qr_module: Annotated[int, Meta(ge=1, le=16)] = 6
    #: Characters the printer's built-in font has: "gb2312" or "gbk"; others print as raster.
    font_charset: Literal["gb2312", "gbk", "gb18030"] = "gb2312"
    #: Dots per character of font A (12 x 24 is the ESC/POS default).
    char_dots: int = 12

    @property
    def columns(self) -> int:
        """Half-width character columns on one line at normal size."""
        return self.dots // self.char_dots


def load_profiles(path: Path) -> dict[str, PrinterProfile]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return {
        name: msgspec.convert({"name": name, **fields}, PrinterProfile)
        for name, fields in data.get("profile", {}).items()
    }
