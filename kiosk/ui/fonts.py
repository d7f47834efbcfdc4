"""Fonts: the CJK text font and the icon font, checked at start with a clear error.

Kivy is imported only to register them, so the checks run (and are tested) without it.
"""

from __future__ import annotations

from pathlib import Path


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


def face_file(path: Path, face: str, cache: Path) -> Path:
    """The font to hand to Kivy: `path` itself, or for a collection (.ttc) the one face named
    `face`, saved once as its own file under `cache`.

    Kivy's SDL2 text provider always opens the first face of a collection, and the first face
    of Noto Sans CJK is the Japanese one: simplified Chinese would be drawn with Japanese
    glyph forms. fontTools copies the wanted face's tables as they are (well under a second).
    """
    if path.suffix.lower() != ".ttc":
        return path
    stat = path.stat()
    slug = face.replace(" ", "")
    target = cache / f"{path.stem}-{slug}-{stat.st_size}-{int(stat.st_mtime)}.otf"
    if target.is_file():
        return target
    from fontTools.ttLib import TTCollection

    with TTCollection(str(path), lazy=True) as collection:
        for font in collection.fonts:
            if font["name"].getDebugName(1) == face:
                cache.mkdir(parents=True, exist_ok=True)
                partial = target.with_suffix(".part")
                font.save(str(partial))
                partial.replace(target)
                return target
    return path  # no such face: the collection's first face still draws every character


def register_fonts(font: Path, bold: Path, icons: Path, cache: Path | None = None,
                   face: str = "Noto Sans CJK SC") -> None:
    """Make the CJK font Kivy's default (every Label) and register the icon font."""
    from kivy.core.text import DEFAULT_FONT, LabelBase

    check_fonts(font, bold, icons)
    bold = bold if bold.is_file() else font
    if cache is not None:
        font, bold = face_file(font, face, cache), face_file(bold, face, cache)
    LabelBase.register(DEFAULT_FONT, fn_regular=str(font), fn_bold=str(bold))
    LabelBase.register("Icons", fn_regular=str(icons))
