"""Which theme colours a button paints, by style and press state (used by base.kv)."""

from __future__ import annotations

from kiosk.ui.theme import RGBA, Theme


def _press(c: RGBA, dark: bool) -> RGBA:
    k = 0.82 if not dark else 1.0
    return (c[0] * k, c[1] * k, c[2] * k, c[3])


def button_bg(theme: Theme, style: str, state: str) -> list[float]:
    base = {
        "primary": theme.primary, "secondary": theme.secondary, "tile": theme.surface,
        "choice": theme.surface, "selected": theme.selected, "warn": theme.warn_text,
        "ghost": theme.bg,
    }.get(style, theme.surface)
    if state == "down" and theme.name != "contrast":
        base = _press(base, False)
    return list(base)


def button_fg(theme: Theme, style: str) -> list[float]:
    if style == "primary":
        return list(theme.on_primary)
    if style == "selected":
        return list(theme.on_selected)
    if style == "warn":
        return list(theme.warn_bg)
    if style == "secondary":
        return list(theme.on_secondary)
    return list(theme.text)


def button_border(theme: Theme, style: str) -> list[float]:
    if style in ("tile", "choice", "ghost") or theme.name == "contrast":
        return list(theme.border)
    return [0, 0, 0, 0]
