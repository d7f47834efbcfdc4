"""Walk the live Kivy widget tree and turn what a resident can see and touch into
`kiosk.a11y.Node`s, then check them against the rules in `kiosk.a11y`.

Conventions relied on (UI-CONTRACT.md): touch targets are ButtonBehavior instances, main
controls carry `main = True`, painted backgrounds are exposed as `bg_color`. Kivy's own
Button, ModalView and TextInput paint images instead; their colour is the image's mean
colour tinted by `background_color`, read from the texture actually used.

Visible means: on the current screen of every ScreenManager, opacity above zero all the
way up, inside every StencilView (scrolling list) above it, and not under an open
ModalView (the modal is what the resident can touch). Disabled widgets are not targets
and their text is exempt from contrast (WCAG 1.4.3: inactive components).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from kivy.metrics import Metrics
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.button import Button
from kivy.uix.label import Label
from kivy.uix.modalview import ModalView
from kivy.uix.screenmanager import ScreenManager
from kivy.uix.stencilview import StencilView
from kivy.uix.textinput import TextInput

from kiosk.a11y import Box, Finding, Limits, Node, Rgba, Text, check, composite, flatten
from kiosk.ui.driver import walk, window

_MARKUP_TAG = re.compile(r"\[/?[a-z_]+(=[^\]]*)?\]")
_MARKUP_COLOR = re.compile(r"\[color=#?([0-9a-fA-F]{3,8})\]")
_EXCERPT = 24


@dataclass(frozen=True)
class _Ctx:
    opacity: float
    layers: tuple[Rgba, ...]
    clip: Box | None
    outside: bool


def _box(w: Any) -> Box:
    d = float(Metrics.density)
    x0, y0 = w.to_window(w.x, w.y)
    x1, y1 = w.to_window(w.right, w.top)
    return Box(min(x0, x1) / d, min(y0, y1) / d, abs(x1 - x0) / d, abs(y1 - y0) / d)


def _intersection(a: Box, b: Box) -> Box | None:
    x0, y0 = max(a.x, b.x), max(a.y, b.y)
    x1, y1 = min(a.right, b.right), min(a.top, b.top)
    return Box(x0, y0, x1 - x0, y1 - y0) if x1 > x0 and y1 > y0 else None


@functools.lru_cache(maxsize=64)
def image_color(source: str) -> Rgba | None:
    """Mean colour of an image (alpha-weighted), as Kivy loads it: what a background image paints."""
    if not source:
        return None
    import numpy as np
    from kivy.core.image import Image as CoreImage

    try:
        texture = CoreImage(source).texture
        px = np.frombuffer(texture.pixels, dtype=np.uint8).reshape(-1, 4).astype(np.float64) / 255.0
    except Exception:  # an unreadable image: the contrast check then uses the layers below
        return None
    alpha = px[:, 3]
    if alpha.sum() <= 0:
        return (0.0, 0.0, 0.0, 0.0)
    rgb = (px[:, :3] * alpha[:, None]).sum(axis=0) / alpha.sum()
    return (float(rgb[0]), float(rgb[1]), float(rgb[2]), float(alpha.mean()))


def _tint(image: Rgba | None, tint: Sequence[float]) -> Rgba | None:
    if image is None:
        return None
    return (image[0] * tint[0], image[1] * tint[1], image[2] * tint[2], image[3] * tint[3])


def painted_background(w: Any) -> Rgba | None:
    """The colour `w` paints behind its content, or None when it paints nothing known."""
    bg = getattr(w, "bg_color", None)
    if bg is not None and len(bg) == 4 and bg[3] > 0:
        return (float(bg[0]), float(bg[1]), float(bg[2]), float(bg[3]))
    if isinstance(w, Button):
        source = w.background_disabled_normal if w.disabled else w.background_normal
        if not source:
            return tuple(float(c) for c in w.background_color)  # type: ignore[return-value]
        return _tint(image_color(source), w.background_color)
    if isinstance(w, TextInput):
        source = w.background_disabled_normal if w.disabled else w.background_normal
        if not source:
            return tuple(float(c) for c in w.background_color)  # type: ignore[return-value]
        return _tint(image_color(source), w.background_color)
    if isinstance(w, ModalView):
        return _tint(image_color(w.background), w.background_color)
    return None


def _icon_names(text: str) -> str:
    """Icon-font glyphs live in the Private Use Area: name them instead of printing nothing."""
    return "".join(f"icon U+{ord(c):04X}" if 0xE000 <= ord(c) <= 0xF8FF or ord(c) >= 0xF0000 else c
                   for c in text)


def _redact(text: str) -> str:
    """An excerpt safe for a report: no markup, no digits (phone numbers, PINs, ID numbers)."""
    plain = re.sub(r"\d", "#", " ".join(_MARKUP_TAG.sub("", text).split()))
    plain = _icon_names(plain)
    return plain if len(plain) <= _EXCERPT else plain[: _EXCERPT - 1].rstrip() + "…"


def _own_text(w: Any) -> str:
    if isinstance(w, TextInput):
        return str(w.hint_text or "")  # never what a resident typed
    if isinstance(w, Label):
        return str(w.text or "")
    return ""


def describe(w: Any, ids: dict[int, str]) -> str:
    """`Class#id "text"`: the widget's own text, or its first labelled descendant's."""
    name = w.__class__.__name__  # through a kv WeakProxy too
    wid = ids.get(w.uid)
    if wid:
        name += f"#{wid}"
    text = _own_text(w).strip()
    if not text:
        text = next((t for c in walk(w) if (t := _own_text(c).strip())), "")
    return f'{name} "{_redact(text)}"' if text else name


def _id_names(root: Any) -> dict[int, str]:
    names: dict[int, str] = {}
    for w in walk(root):
        for key, ref in getattr(w, "ids", {}).items():
            try:
                names.setdefault(ref.uid, key)
            except ReferenceError:
                continue
    return names


def text_needs(label: Label) -> tuple[float, float]:
    """Pixels the whole text needs, unshortened, wrapped where the label wraps."""
    core = getattr(label, "_label", None)
    if core is None:
        return (0.0, 0.0)
    tw, th = label.text_size
    if tw is None and th is None and not label.shorten and not label.max_lines:
        return (float(label.texture_size[0]), float(label.texture_size[1]))
    opts = dict(core.options)
    opts.update(text_size=(tw, None), shorten=False, max_lines=0)
    clone = type(core)(**opts)
    clone.text = core.text  # the Label sets its core's text apart from the options
    w, h = clone.render()
    return (float(w), float(h))


def _markup_colors(label: Label, opacity: float) -> list[Rgba]:
    if not label.markup:
        return []
    from kivy.utils import get_color_from_hex

    out = []
    for hexa in _MARKUP_COLOR.findall(label.text):
        c = get_color_from_hex("#" + hexa)
        out.append((float(c[0]), float(c[1]), float(c[2]), float(c[3]) * opacity))
    return out


def _text(w: Any, ctx: _Ctx, base: Rgba) -> Text | None:
    d = float(Metrics.density)
    if isinstance(w, TextInput):
        shown = w.text or w.hint_text
        if not str(shown).strip():
            return None
        fg = w.foreground_color if w.text else w.hint_text_color
        colors: tuple[Rgba, ...] = () if w.disabled else (
            (float(fg[0]), float(fg[1]), float(fg[2]), float(fg[3]) * ctx.opacity),)
        return Text(font_dp=float(w.font_size) / d, lines=1, line_height=1.0, colors=colors,
                    background=flatten(ctx.layers, base), needs=(0.0, 0.0))
    if not isinstance(w, Label) or not str(w.text).strip():
        return None
    color = w.disabled_color if w.disabled else w.color
    colors = () if w.disabled else (
        (float(color[0]), float(color[1]), float(color[2]), float(color[3]) * ctx.opacity),
        *_markup_colors(w, ctx.opacity))
    core = getattr(w, "_label", None)
    lines = len(getattr(core, "_cached_lines", []) or []) or (str(w.text).count("\n") + 1)
    need_w, need_h = text_needs(w)
    return Text(font_dp=float(w.font_size) / d, lines=lines, line_height=float(w.line_height),
                colors=colors, background=flatten(ctx.layers, base), needs=(need_w / d, need_h / d))


def _visible_tops(win: Any) -> list[Any]:
    """Window children from the bottom, starting at the topmost open ModalView if any."""
    tops = list(win.children)  # children[0] is drawn last, on top
    for i, w in enumerate(tops):
        if isinstance(w, ModalView):
            return list(reversed(tops[: i + 1]))
    return list(reversed(tops))


def _nodes(w: Any, ctx: _Ctx, base: Rgba, win_box: Box,
           ids: dict[int, str]) -> Iterator[tuple[Any, Node]]:
    opacity = ctx.opacity * float(w.opacity)
    if opacity <= 0.001:
        return
    box = _box(w)
    if ctx.clip is not None and _intersection(box, ctx.clip) is None:
        return  # scrolled out of sight
    layers = ctx.layers
    painted = painted_background(w)
    if painted is not None:
        layers = (*layers, (painted[0], painted[1], painted[2], painted[3] * opacity))
    here = _Ctx(opacity, layers, ctx.clip, ctx.outside)
    touchable = not w.disabled and (isinstance(w, ButtonBehavior) or
                                    (isinstance(w, TextInput) and not w.readonly))
    node = Node(describe(w, ids), box, touchable=touchable, main=bool(getattr(w, "main", False)),
                text=_text(w, here, base), clipped=ctx.clip is not None, parent_outside=ctx.outside,
                touch_box=_intersection(box, ctx.clip) if ctx.clip is not None else None)
    yield w, node
    clip = ctx.clip
    if isinstance(w, StencilView):
        clip = _intersection(box, clip) if clip is not None else box
        if clip is None:
            return
    outside = ctx.outside or (not node.clipped and node.box.margin_in(win_box) < -0.5)
    child_ctx = _Ctx(opacity, layers, clip, outside)
    children = list(reversed(w.children))
    if isinstance(w, ScreenManager):
        children = [c for c in children if c is w.current_screen]
    for child in children:
        yield from _nodes(child, child_ctx, base, win_box, ids)


def visible(win: Any | None = None) -> tuple[list[tuple[Any, Node]], Box]:
    """The visible widgets of the window with their rule-ready nodes, and the window's box (dp)."""
    win = win if win is not None else window()
    d = float(Metrics.density)
    win_box = Box(0.0, 0.0, win.width / d, win.height / d)
    clear = tuple(float(c) for c in win.clearcolor)
    base: Rgba = composite((clear[0], clear[1], clear[2], clear[3]), (0.0, 0.0, 0.0, 1.0))
    ids = _id_names(win)
    nodes: list[tuple[Any, Node]] = []
    tops = _visible_tops(win)
    for top in tops:
        layers: tuple[Rgba, ...] = ()
        if isinstance(top, ModalView) and top.overlay_color[3] > 0:
            layers = (tuple(float(c) for c in top.overlay_color),)  # type: ignore[assignment]
        nodes.extend(_nodes(top, _Ctx(1.0, layers, None, False), base, win_box, ids))
    return nodes, win_box


def snapshot(win: Any | None = None) -> tuple[list[Node], Box]:
    """The visible widgets of the window as rule-ready nodes, and the window's box (dp)."""
    pairs, win_box = visible(win)
    return [node for _, node in pairs], win_box


def touchables(win: Any | None = None) -> list[tuple[Any, Node]]:
    """What a resident can touch now, with where it is (dp) and what it says."""
    return [(w, node) for w, node in visible(win)[0] if node.touchable]


def audit(limits: Limits, win: Any | None = None) -> list[Finding]:
    """Every rule on what the window shows now."""
    nodes, win_box = snapshot(win)
    return check(nodes, win_box, limits)
