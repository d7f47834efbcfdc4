"""Entering a name or an address without typing Chinese: a pad to write on by finger,
and the keys the applicant screen builds around it (the screen owns every value).

The pad keeps the strokes of one character as Kivy gives them (origin bottom left) and
says `on_stroke` when a finger lifts; the screen asks the recognizer for candidates and
clears the pad when one is tapped. Strokes are personal (a name): never logged.
"""

from __future__ import annotations

from typing import Any

from kivy.graphics import Color, Line
from kivy.metrics import dp
from kivy.properties import ListProperty, ObjectProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.widget import Widget

from kiosk.ui.widgets.base import KButton


class WritingPad(Widget):
    """One character's strokes; `on_stroke` after each lifted finger."""

    ink = ListProperty([0, 0, 0, 1])

    def __init__(self, **kwargs: Any) -> None:
        self.register_event_type("on_stroke")
        super().__init__(**kwargs)
        self.strokes: list[list[tuple[float, float]]] = []
        self._lines: list[Line] = []

    def on_stroke(self) -> None:
        pass

    def on_touch_down(self, touch: Any) -> bool:
        if not self.collide_point(*touch.pos):
            return False
        touch.grab(self)
        self.strokes.append([(touch.x - self.x, touch.y - self.y)])
        with self.canvas.after:
            Color(*self.ink)
            self._lines.append(Line(points=[touch.x, touch.y], width=dp(5), cap="round", joint="round"))
        return True

    def on_touch_move(self, touch: Any) -> bool:
        if touch.grab_current is not self or not self.strokes:
            return False
        x = min(max(touch.x, self.x), self.right)
        y = min(max(touch.y, self.y), self.top)
        self.strokes[-1].append((x - self.x, y - self.y))
        self._lines[-1].points += [x, y]
        return True

    def on_touch_up(self, touch: Any) -> bool:
        if touch.grab_current is not self:
            return False
        touch.ungrab(self)
        self.dispatch("on_stroke")
        return True

    def clear(self) -> None:
        self.strokes = []
        self._lines = []
        self.canvas.after.clear()


class CandidateKey(KButton):
    pass


class CandidateRow(BoxLayout):
    """Up to `CandidateRow.SLOTS` characters to tap, in a row of equal keys."""

    SLOTS = 6
    screen = ObjectProperty(None)

    def show(self, chars: list[str]) -> None:
        self.clear_widgets()
        for char in chars[: self.SLOTS]:
            key = CandidateKey(text=char, value=char)
            key.bind(on_release=lambda b: self.screen.pick_char(b.value))
            self.add_widget(key)
