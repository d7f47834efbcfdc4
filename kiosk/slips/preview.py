"""PNG preview of a slip, drawn from the same layout as the bytes, at the printer's dots."""

from __future__ import annotations

import qrcode
from PIL import Image, ImageDraw

from kiosk.slips.layout import QR, Feed, Layout, Rule, Text
from kiosk.slips.profiles import PrinterProfile
from kiosk.slips.raster import CHAR_DOTS, draw_line, measure

LINE_GAP = 6  # ESC 2 default line spacing is 30 dots for 24-dot characters
MARGIN = 16  # paper around the printable area in the preview
RULE = Text("\u2500")  # stands for a Rule among the pieces: drawn as a dashed line


def qr_image(payload: str, module: int) -> Image.Image:
    """The QR as the printer draws it: error level L (python-escpos's default), `module`
    dots per module, with the 4-module quiet zone the paper gives it."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_L, box_size=module, border=4)
    code.add_data(payload)
    code.make(fit=True)
    image: Image.Image = code.make_image(fill_color="black", back_color="white").get_image()
    return image.convert("1")


def to_png(layout: Layout, profile: PrinterProfile) -> Image.Image:
    width = profile.dots
    pieces: list[tuple[int, Image.Image | None, Text | None]] = []  # (height, image, text)
    for block in layout.blocks:
        if isinstance(block, Text):
            pieces.append((CHAR_DOTS * block.scale + LINE_GAP, None, block))
        elif isinstance(block, QR):
            pieces.append((0, qr_image(block.payload, profile.qr_module), None))
        elif isinstance(block, Rule):
            pieces.append((CHAR_DOTS + LINE_GAP, None, RULE))
        elif isinstance(block, Feed):
            pieces.append(((CHAR_DOTS + LINE_GAP) * block.lines, None, None))
    height = sum(h if img is None else img.height for h, img, _ in pieces)
    page = Image.new("1", (width + 2 * MARGIN, height + 2 * MARGIN), 1)
    draw = ImageDraw.Draw(page)
    y = MARGIN
    for h, img, text in pieces:
        if img is not None:
            page.paste(img, (MARGIN + (width - img.width) // 2, y))
            y += img.height
            continue
        if text is RULE:
            middle = y + CHAR_DOTS // 2
            for x0 in range(MARGIN, MARGIN + width, 12):
                draw.line((x0, middle, x0 + 7, middle), fill=0, width=2)
        elif text is not None:
            x = MARGIN
            if text.align == "center":
                x += max(0, (width - measure(text.text, text.scale)) // 2)
            draw_line(draw, text.text, x, y, text.scale, text.bold)
        y += h
    return page.convert("L")
