"""Themes: colours and sizes for normal, elderly and high-contrast modes.

Sizes are dp of the full-size kiosk screen (1080×1920 portrait at density 1). The numbers
come from ARCHITECTURE.md: body text ≥ 18 dp (≥ 30 dp elderly), line spacing ≥ 1.3 in
elderly mode, contrast ≥ 4.5:1 (≥ 7:1 high contrast), main targets ≥ 60 dp, others ≥ 44 dp.
No Kivy here: the auditor and the tests read these values directly.
"""

from __future__ import annotations

from dataclasses import dataclass

RGBA = tuple[float, float, float, float]


def hex_rgba(code: str, alpha: float = 1.0) -> RGBA:
    code = code.lstrip("#")
    r, g, b = (int(code[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return (r, g, b, alpha)


@dataclass(frozen=True)
class Theme:
    name: str
    # colours
    bg: RGBA  # window background
    surface: RGBA  # cards, tiles
    text: RGBA  # body text on bg and surface
    muted: RGBA  # secondary text on bg and surface (still ≥ the contrast minimum)
    primary: RGBA  # main buttons
    on_primary: RGBA
    secondary: RGBA  # other buttons (Back, Home)
    on_secondary: RGBA
    accent: RGBA  # icons and highlights on surface
    selected: RGBA  # a chosen answer / current step
    on_selected: RGBA
    warn_bg: RGBA
    warn_text: RGBA
    border: RGBA
    # text sizes (dp)
    small: float
    body: float
    large: float
    title: float
    huge: float
    icon: float
    line_height: float
    # touch targets (dp)
    main_target: float
    min_target: float
    button_height: float
    tile_height: float
    pad: float
    gap: float
    radius: float


_LIGHT = {
    "bg": hex_rgba("#EEF2F6"),
    "surface": hex_rgba("#FFFFFF"),
    "text": hex_rgba("#15202B"),
    "muted": hex_rgba("#44525F"),
    "primary": hex_rgba("#0B5394"),
    "on_primary": hex_rgba("#FFFFFF"),
    "secondary": hex_rgba("#DCE4EC"),
    "on_secondary": hex_rgba("#15202B"),
    "accent": hex_rgba("#0B5394"),
    "selected": hex_rgba("#0B5394"),
    "on_selected": hex_rgba("#FFFFFF"),
    "warn_bg": hex_rgba("#FFF1DC"),
    "warn_text": hex_rgba("#6B3300"),
    "border": hex_rgba("#B8C4D0"),
}

_CONTRAST = {
    "bg": hex_rgba("#000000"),
    "surface": hex_rgba("#000000"),
    "text": hex_rgba("#FFFFFF"),
    "muted": hex_rgba("#E6E6E6"),
    "primary": hex_rgba("#FFE14D"),
    "on_primary": hex_rgba("#000000"),
    "secondary": hex_rgba("#1A1A1A"),
    "on_secondary": hex_rgba("#FFFFFF"),
    "accent": hex_rgba("#FFE14D"),
    "selected": hex_rgba("#FFFFFF"),
    "on_selected": hex_rgba("#000000"),
    "warn_bg": hex_rgba("#000000"),
    "warn_text": hex_rgba("#FFE14D"),
    "border": hex_rgba("#FFFFFF"),
}

_NORMAL_SIZES = {
    "small": 22.0, "body": 28.0, "large": 34.0, "title": 42.0, "huge": 64.0, "icon": 56.0,
    "line_height": 1.3, "main_target": 60.0, "min_target": 44.0, "button_height": 96.0,
    "tile_height": 200.0, "pad": 32.0, "gap": 20.0, "radius": 18.0,
}

_ELDERLY_SIZES = {
    **_NORMAL_SIZES,
    "small": 32.0, "body": 38.0, "large": 44.0, "title": 52.0, "huge": 76.0, "icon": 64.0,
    "line_height": 1.4, "button_height": 116.0, "tile_height": 220.0,
}

THEMES: dict[str, Theme] = {
    "normal": Theme(name="normal", **_LIGHT, **_NORMAL_SIZES),  # type: ignore[arg-type]
    "elderly": Theme(name="elderly", **_LIGHT, **_ELDERLY_SIZES),  # type: ignore[arg-type]
    "contrast": Theme(name="contrast", **_CONTRAST, **_NORMAL_SIZES),  # type: ignore[arg-type]
}

#: Window sizes in dp of the full-size screens.
ORIENTATIONS: dict[str, tuple[int, int]] = {"portrait": (1080, 1920), "landscape": (1920, 1080)}


def relative_luminance(c: RGBA) -> float:
    def channel(v: float) -> float:
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(c[0]) + 0.7152 * channel(c[1]) + 0.0722 * channel(c[2])


def contrast_ratio(a: RGBA, b: RGBA) -> float:
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)
