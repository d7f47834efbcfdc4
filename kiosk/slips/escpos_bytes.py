"""ESC/POS bytes for a layout, built with python-escpos's Dummy printer.

python-escpos supplies the commands (size, emphasis, alignment, QR, raster, cut); three
of its defaults are avoided on purpose: `text()` and `charcode()` (they switch code pages
and break the GB18030 path, so Chinese goes out as GB18030 bytes after `FS &`), and
`center=True` on images (it pads the image to full width: more bytes for nothing;
alignment is ESC a, which printers also apply to raster images and QR codes).
"""

from __future__ import annotations

import copy
from typing import Any

from kiosk.slips.layout import QR, Feed, Layout, Rule, Text
from kiosk.slips.profiles import PrinterProfile
from kiosk.slips.raster import line_image

INIT = b"\x1b@"
CHINESE_MODE = b"\x1c&"  # FS &: two-byte (GB18030) characters from here on


def printable(text: str, profile: PrinterProfile) -> bool:
    """Whether the printer's built-in font has every character of `text`."""
    try:
        text.encode(profile.font_charset)
    except UnicodeEncodeError:
        return False
    return True


class _State:
    def __init__(self, printer: Any) -> None:
        self.p = printer
        self.align = "left"
        self.bold = False
        self.scale = 1

    def apply(self, align: str, bold: bool, scale: int) -> None:
        if scale != self.scale:
            self.p.set(custom_size=True, width=scale, height=scale)
            self.scale = scale
        if bold != self.bold:
            self.p.set(bold=bold)
            self.bold = bold
        if align != self.align:
            self.p.set(align=align)
            self.align = align


def to_bytes(layout: Layout, profile: PrinterProfile) -> bytes:
    # Imported here: python-escpos parses its printer database (YAML) on import, half a
    # second that the kiosk's start should not wait for.
    from escpos.printer import Dummy

    p = Dummy()
    # Raster QR and images need the paper width python-escpos cannot know by itself.
    data = copy.deepcopy(p.profile.profile_data)  # shared by every Dummy: never mutate it
    data["media"]["width"]["pixels"] = profile.dots
    p.profile.profile_data = data
    p._raw(INIT + CHINESE_MODE)
    state = _State(p)
    for block in layout.blocks:
        if isinstance(block, Text):
            state.apply(block.align, block.bold, block.scale)
            if printable(block.text, profile):
                p._raw(block.text.encode("gb18030") + b"\n")
            else:
                p.image(line_image(block.text, block.scale, block.bold, profile.dots), center=False)
        elif isinstance(block, QR):
            state.apply("center", False, 1)
            p.qr(block.payload, size=profile.qr_module, native=profile.native_qr, center=False)
            if profile.native_qr:
                p._raw(b"\n")
        elif isinstance(block, Rule):
            state.apply("left", False, 1)
            p._raw(b"-" * profile.columns + b"\n")
        elif isinstance(block, Feed):
            p._raw(b"\n" * block.lines)
    state.apply("left", False, 1)
    p.cut()
    return bytes(p.output)
