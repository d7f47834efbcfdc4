"""Text as pixels: for the PNG preview, and for lines with characters the printer lacks.

One CJK font (WenQuanYi Micro Hei, Debian's fonts-wqy-microhei) draws every slip
preview, at the printer's 24-dot character height times the scale.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONT_CANDIDATES = (
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
)
CHAR_DOTS = 24


class FontMissing(RuntimeError):
    """No CJK font: install fonts-wqy-microhei (deploy/dev.sh does)."""


@cache
def font(size: int) -> ImageFont.FreeTypeFont:
    for path in FONT_CANDIDATES:
        if path.exists():
            return ImageFont.truetype(str(path), size)
    raise FontMissing("no CJK font found; install fonts-wqy-microhei")


def draw_line(draw: ImageDraw.ImageDraw, text: str, x: int, y: int, scale: int, bold: bool) -> None:
    size = CHAR_DOTS * scale
    draw.text((x, y), text, font=font(size), fill=0, stroke_width=1 if bold else 0, stroke_fill=0)


def measure(text: str, scale: int) -> int:
    return int(font(CHAR_DOTS * scale).getlength(text))


def line_image(text: str, scale: int, bold: bool, max_width: int) -> Image.Image:
    """One line of text as a 1-bit image only as wide as the text (a multiple of 8 dots,
    as raster rows are whole bytes); the printer's alignment places it."""
    width = min(max_width, (measure(text, scale) + 2 + 7) // 8 * 8)
    image = Image.new("1", (width, CHAR_DOTS * scale + 4), 1)
    draw_line(ImageDraw.Draw(image), text, 0, 0, scale, bold)
    return image
