"""A resident's walk through the app with real taps, for bench/ui.py: which target to tap
next, how long until the screen shows the answer, and simulated time for idle wipes.

The walk is deterministic for a seed: at each step it taps the visible touch target it
has tapped least on this screen (ties broken by the seeded generator), never the ones
that would end the program; after a few taps that changed nothing it prefers Back/Home.
"""

from __future__ import annotations

import random
import re
import time
from collections import Counter
from dataclasses import dataclass
from typing import Any

from kivy.clock import Clock
from kivy.uix.label import Label
from kivy.uix.modalview import ModalView
from kivy.uix.screenmanager import ScreenManager

from kiosk.a11y import Node
from kiosk.ui.audit import touchables
from kiosk.ui.driver import Driver

#: Targets a walk never taps: they leave the program or lock the terminal.
AVOID = re.compile(r"(?i)\b(exit|quit|shut ?down|power)\b|退出|关机")
#: Targets that lead back when the walk is stuck.
BACK = re.compile(r"(?i)\b(back|home|cancel|continue)\b|返回|首页|主页|取消|继续")


def current_screens(root: Any) -> tuple[str, ...]:
    """The current screen of every ScreenManager on the visible path."""
    out = []
    stack = [root]
    while stack:
        w = stack.pop()
        if isinstance(w, ScreenManager):
            out.append(str(w.current))
            if w.current_screen is not None:
                stack.append(w.current_screen)
            continue
        stack.extend(w.children)
    return tuple(out)


def view(win: Any) -> tuple[Any, ...]:
    """What a resident sees answer a tap: current screens, open modals, visible texts and
    colours (a theme switch changes only colours). Positions are left out, so a layout
    still moving does not count as the answer."""
    parts: list[Any] = [tuple(win.size), tuple(win.clearcolor)]
    stack = list(win.children)
    while stack:
        w = stack.pop()
        if w.opacity <= 0:
            continue
        if isinstance(w, ModalView):
            parts.append("modal")
        bg = getattr(w, "bg_color", None)
        if bg is not None:
            parts.append(tuple(bg))
        if isinstance(w, Label) and w.text:
            parts.append((w.text, tuple(w.color)))
        if isinstance(w, ScreenManager):
            parts.append(("screen", w.current))
            if w.current_screen is not None:
                stack.append(w.current_screen)
            continue
        stack.extend(w.children)
    return tuple(parts)


class SimTime:
    """Advance Kivy's clock without waiting: scheduled events (idle timers) see the jump."""

    def __init__(self) -> None:
        self.offset = 0.0
        self._real = Clock.time
        Clock.time = self._now

    def _now(self) -> float:
        return float(self._real()) + self.offset

    def advance(self, seconds: float) -> None:
        self.offset += seconds

    def close(self) -> None:
        Clock.time = self._real


@dataclass
class Tap:
    target: str
    before: tuple[str, ...]
    after: tuple[str, ...]
    first: float | None  # s from the tap sent to the first frame showing a change
    settled: float | None  # s to the end of the last frame that moved (layout done)
    #: Of `first`, s spent in buffer swaps: where a software GL (llvmpipe under Xvfb)
    #: rasterises and presents the frame, the part a kiosk's GPU does instead.
    swap: float = 0.0


class Walker:
    def __init__(self, driver: Driver, tapper: Any, seed: int = 7) -> None:
        self.driver = driver
        self.tapper = tapper
        self.rng = random.Random(seed)
        self.tapped: Counter[tuple[tuple[str, ...], str]] = Counter()
        self.stuck = 0
        self._flip_at = 0.0
        driver.window.bind(on_flip=self._on_flip)

    def _on_flip(self, *_: Any) -> None:
        self._flip_at = time.perf_counter()  # called just before the swap itself

    def screens(self) -> tuple[str, ...]:
        return current_screens(self.driver.window)

    def choose(self) -> tuple[Any, Node] | None:
        here = self.screens()
        options = [(w, n) for w, n in touchables(self.driver.window)
                   if not AVOID.search(n.name) and n.box.w > 0 and n.box.h > 0]
        if not options:
            return None
        if self.stuck >= 3:
            back = [(w, n) for w, n in options if BACK.search(n.name)]
            options = back or options
        self.rng.shuffle(options)
        return min(options, key=lambda wn: self.tapped[(here, wn[1].name)])

    def tap(self, widget: Any, node: Node, *, wait: float = 2.0) -> Tap:
        d = self.driver
        before_screens = self.screens()
        self.tapped[(before_screens, node.name)] += 1
        before = view(d.window)
        sent = d.tap(widget, self.tapper, frames=0)
        first = settled = None
        swap = 0.0
        last = d.signature()
        moved_at = sent
        while time.perf_counter() - sent < wait:
            self._flip_at = 0.0
            d.step()
            now = time.perf_counter()
            if first is None and self._flip_at:
                swap += now - self._flip_at
            if first is None and view(d.window) != before:
                first = now - sent
            sig = d.signature()
            if sig != last:
                moved_at = now
            elif first is not None and not d.busy():
                settled = moved_at - sent  # the last frame that moved; this one confirms it
                break
            last = sig
        self.stuck = 0 if first is not None else self.stuck + 1
        return Tap(node.name, before_screens, self.screens(), first, settled, swap)

    def pause(self, frames: int = 4) -> None:
        """A resident's hand moving to the next target: let a few frames pass."""
        for _ in range(frames):
            self.driver.step()
