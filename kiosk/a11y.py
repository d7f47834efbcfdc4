"""Accessibility rules for the touchscreen, on plain numbers: no Kivy, no window.

`kiosk.ui.audit` turns the live widget tree into `Node`s (boxes in dp, text facts, the
colours actually painted); `check()` applies the rules below to them. Keeping the rules
here means the WCAG arithmetic and every threshold are unit-tested without a display.

The thresholds are the project's (docs: ARCHITECTURE.md, "Accessibility: the numbers"),
written here on purpose and not read from `kiosk/ui/theme.py`: a theme must not be able to
certify itself by lowering its own minimums.

Every finding reads "value is below minimum" in the rule's own unit:
  target-size     smaller side of the touch target (dp) / 60 main, 44 others
  text-size       font size (dp) / 18 normal and contrast, 30 elderly
  line-height     line spacing of text shown on several lines / 1.3 in elderly mode
  contrast        WCAG contrast ratio of text on its background / 4.5, 7 in contrast mode
  text-clipped    the box's size on the clipped axis (dp) / the size the text needs
  outside-window  distance from the window's nearest edge (dp, negative = outside) / 0
  target-overlap  gap between two touch targets (dp, negative = they overlap) / 0
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

Rgba = tuple[float, float, float, float]

#: Differences smaller than this (dp) are layout rounding, not violations.
EPS_DP = 0.5

RULES = ("target-size", "text-size", "line-height", "contrast", "text-clipped",
         "outside-window", "target-overlap")


@dataclass(frozen=True)
class Limits:
    """Minimums for one theme."""

    target_main_dp: float = 60.0
    target_dp: float = 44.0
    text_dp: float = 18.0
    #: Line spacing for text shown on more than one line; None when the theme sets none.
    line_height: float | None = None
    contrast: float = 4.5


LIMITS: dict[str, Limits] = {
    "normal": Limits(),
    "elderly": Limits(text_dp=30.0, line_height=1.3),
    "contrast": Limits(contrast=7.0),
}


def limits_for(theme: str) -> Limits:
    try:
        return LIMITS[theme]
    except KeyError:
        raise ValueError(f"no accessibility limits for theme {theme!r}; known: {', '.join(LIMITS)}") from None


# --- WCAG 2.x contrast -------------------------------------------------------------------

def _linear(channel: float) -> float:
    """sRGB channel (0-1) to linear light, as in the WCAG relative-luminance definition."""
    return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4


def relative_luminance(rgb: Sequence[float]) -> float:
    r, g, b = (_linear(min(max(c, 0.0), 1.0)) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def composite(top: Sequence[float], bottom: Sequence[float]) -> Rgba:
    """`top` painted over `bottom` (straight alpha, both RGBA 0-1): the colour the eye sees."""
    ta = min(max(top[3] if len(top) > 3 else 1.0, 0.0), 1.0)
    ba = min(max(bottom[3] if len(bottom) > 3 else 1.0, 0.0), 1.0)
    out_a = ta + ba * (1.0 - ta)
    if out_a <= 0.0:
        return (0.0, 0.0, 0.0, 0.0)
    rgb = [(top[i] * ta + bottom[i] * ba * (1.0 - ta)) / out_a for i in range(3)]
    return (rgb[0], rgb[1], rgb[2], out_a)


def flatten(layers: Iterable[Sequence[float]], base: Sequence[float] = (0.0, 0.0, 0.0, 1.0)) -> Rgba:
    """Composite background layers, bottom first, onto an opaque base (black if the window's
    own clear colour is not opaque: that is what the framebuffer shows)."""
    out = composite(base, (0.0, 0.0, 0.0, 1.0))
    for layer in layers:
        out = composite(layer, out)
    return out


def contrast_ratio(text: Sequence[float], background: Sequence[float]) -> float:
    """WCAG ratio (1-21) of `text` (alpha composited first) on an opaque `background`."""
    bg = composite(background, (0.0, 0.0, 0.0, 1.0))
    fg = composite(text, bg)
    lighter, darker = sorted((relative_luminance(fg), relative_luminance(bg)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


# --- The tree, flattened -------------------------------------------------------------------

@dataclass(frozen=True)
class Box:
    """A rectangle in window coordinates, dp, origin bottom-left."""

    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def top(self) -> float:
        return self.y + self.h

    def gap(self, other: Box) -> float:
        """Distance between two boxes; negative when they overlap (by the smaller overlap side)."""
        dx = max(other.x - self.right, self.x - other.right)
        dy = max(other.y - self.top, self.y - other.top)
        # Both negative: they overlap, by the shallower side. Otherwise the wider separation.
        return max(dx, dy)

    def margin_in(self, window: Box) -> float:
        """Distance to the nearest edge of `window`; negative when any part is outside."""
        return min(self.x - window.x, self.y - window.y, window.right - self.right, window.top - self.top)

    def intersects(self, other: Box) -> bool:
        return self.x < other.right and other.x < self.right and self.y < other.top and other.y < self.top


@dataclass(frozen=True)
class Text:
    """What a resident sees of one label."""

    font_dp: float
    lines: int
    line_height: float
    colors: tuple[Rgba, ...]  # the label's colour, then any markup colours
    background: Rgba  # opaque: every painted layer behind it composited
    needs: tuple[float, float]  # dp the whole text needs, unshortened


@dataclass(frozen=True)
class Node:
    """One visible widget. `clipped` is true inside a StencilView (a scrolling list): its
    visible part is the stencil's business, so the window rule does not apply to it."""

    name: str
    box: Box
    touchable: bool = False
    main: bool = False
    text: Text | None = None
    clipped: bool = False
    #: The parent is already outside the window: report the outermost widget only.
    parent_outside: bool = False
    #: Where touches reach it when a StencilView cuts it (a row half scrolled out of a
    #: list gets no touches outside the list); None when uncut.
    touch_box: Box | None = None

    @property
    def reach(self) -> Box:
        return self.touch_box if self.touch_box is not None else self.box


@dataclass(frozen=True)
class Finding:
    widget: str
    rule: str
    value: float
    minimum: float
    detail: str = ""


def _floor2(x: float) -> float:
    return math.floor(x * 100.0) / 100.0


def _round1(x: float) -> float:
    return round(x, 1)


def _check_target(node: Node, limits: Limits) -> Finding | None:
    need = limits.target_main_dp if node.main else limits.target_dp
    side = min(node.box.w, node.box.h)
    if side >= need - EPS_DP or node.box.w <= 0 or node.box.h <= 0:
        return None
    kind = "main control" if node.main else "touch target"
    return Finding(node.name, "target-size", _round1(side), need,
                   f"{kind} {node.box.w:.0f}×{node.box.h:.0f} dp")


def _check_text(node: Node, text: Text, limits: Limits) -> list[Finding]:
    found = []
    if text.font_dp < limits.text_dp - 0.05:
        found.append(Finding(node.name, "text-size", _round1(text.font_dp), limits.text_dp))
    if limits.line_height is not None and text.lines > 1 and text.line_height < limits.line_height - 1e-6:
        found.append(Finding(node.name, "line-height", round(text.line_height, 2), limits.line_height,
                             f"{text.lines} lines"))
    for color in text.colors:
        if len(color) > 3 and color[3] <= 0.0:
            continue  # invisible text is not read; an empty box is the layout's business
        ratio = contrast_ratio(color, text.background)
        if ratio < limits.contrast - 1e-9:
            found.append(Finding(node.name, "contrast", _floor2(ratio), limits.contrast,
                                 f"text {_hex(color)} on {_hex(text.background)}"))
    need_w, need_h = text.needs
    over_w, over_h = need_w - node.box.w, need_h - node.box.h
    if max(over_w, over_h) > EPS_DP:
        axis_w = over_w / max(need_w, 1e-9) >= over_h / max(need_h, 1e-9)
        value, need = (node.box.w, need_w) if axis_w else (node.box.h, need_h)
        found.append(Finding(node.name, "text-clipped", _round1(value), _round1(need),
                             f"{'width' if axis_w else 'height'}: text needs {need_w:.0f}×{need_h:.0f} dp, "
                             f"box {node.box.w:.0f}×{node.box.h:.0f} dp"))
    return found


def _hex(color: Sequence[float]) -> str:
    rgb = "".join(f"{round(min(max(c, 0.0), 1.0) * 255):02x}" for c in color[:3])
    alpha = color[3] if len(color) > 3 else 1.0
    return f"#{rgb}" if alpha >= 0.999 else f"#{rgb}@{alpha:.2f}"


def check(nodes: Sequence[Node], window: Box, limits: Limits) -> list[Finding]:
    """Every rule on every node; the findings in tree order, overlaps last."""
    found: list[Finding] = []
    for node in nodes:
        if node.touchable and (f := _check_target(node, limits)):
            found.append(f)
        if node.text is not None:
            found.extend(_check_text(node, node.text, limits))
        if not node.clipped and not node.parent_outside:
            margin = node.box.margin_in(window)
            if margin < -EPS_DP and node.box.w > 0 and node.box.h > 0:
                nb = node.box
                found.append(Finding(node.name, "outside-window", _round1(margin), 0.0,
                                     f"box at {nb.x:.0f},{nb.y:.0f} size {nb.w:.0f}×{nb.h:.0f} dp "
                                     f"in a {window.w:.0f}×{window.h:.0f} dp window"))
    targets = [n for n in nodes if n.touchable and n.reach.w > 0 and n.reach.h > 0]
    for i, a in enumerate(targets):
        for b in targets[i + 1:]:
            gap = a.reach.gap(b.reach)
            if gap < -EPS_DP:
                found.append(Finding(f"{a.name} ⟷ {b.name}", "target-overlap", _round1(gap), 0.0))
    return found


@dataclass(frozen=True)
class Violation:
    """One finding in one state of the app, as `kiosk a11y --json` prints it."""

    screen: str
    theme: str
    orientation: str
    locale: str
    widget: str
    rule: str
    value: float
    minimum: float
    detail: str = ""

    def as_json(self) -> dict[str, str | float]:
        return {"screen": self.screen, "theme": self.theme, "orientation": self.orientation,
                "locale": self.locale, "widget": self.widget, "rule": self.rule,
                "value": self.value, "minimum": self.minimum, "detail": self.detail}


def stamp(findings: Iterable[Finding], *, screen: str, theme: str, orientation: str,
          locale: str) -> list[Violation]:
    return [Violation(screen, theme, orientation, locale, f.widget, f.rule, f.value, f.minimum, f.detail)
            for f in findings]
