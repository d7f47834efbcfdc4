"""Fonts: the CJK text font and the icon font, checked at start with a clear error."""

from __future__ import annotations

from pathlib import Path

from kivy.core.text import DEFAULT_FONT, LabelBase


class FontMissing(RuntimeError):
    """A configured font file is not there; the message names the Debian package."""


def check_fonts(font: Path, bold: Path, icons: Path) -> None:
    if not font.is_file():
        raise FontMissing(
            f"CJK font not found: {font}. Install the Debian package fonts-noto-cjk "
            "(apt-get install fonts-noto-cjk) or set [ui] font in the config.")
    if not icons.is_file():
        raise FontMissing(
            f"icon font not found: {icons}. Install the Debian package "
            "fonts-materialdesignicons-webfont or set [ui] icon_font in the config.")


def register_fonts(font: Path, bold: Path, icons: Path) -> None:
    """Make the CJK font Kivy's default (every Label) and register the icon font."""
    check_fonts(font, bold, icons)
    LabelBase.register(DEFAULT_FONT, fn_regular=str(font),
                       fn_bold=str(bold if bold.is_file() else font))
    LabelBase.register("Icons", fn_regular=str(icons))
