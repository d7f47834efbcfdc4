"""Input without typing: a 12-key keypad, a Latin keyboard for pinyin and English, a date
picker made of steppers. Each only emits what was pressed; the screen owns the value."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from kivy.properties import BooleanProperty, ObjectProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.gridlayout import GridLayout

from kiosk.ui.widgets.base import KButton

CLEAR = "clear"
BACKSPACE = "backspace"
SPACE = "space"
LATIN_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")


#: Until `DatePicker.setup`: any fixed date (never the machine's today).
_PLACEHOLDER = dt.date(2000, 1, 1)


class Keypad(GridLayout):
    """1-9, clear, 0, backspace: the telephone layout older residents know."""

    clear_text = StringProperty("")

    def __init__(self, **kwargs: Any) -> None:
        self.register_event_type("on_key")
        super().__init__(**kwargs)
        for key in ("1", "2", "3", "4", "5", "6", "7", "8", "9", CLEAR, "0", BACKSPACE):
            button = KeypadKey(value=key)
            button.bind(on_release=lambda b: self.dispatch("on_key", b.value))
            self.add_widget(button)

    def on_key(self, key: str) -> None:
        pass


class KeypadKey(KButton):
    pass


class LatinKeyboard(BoxLayout):
    """a-z, space, backspace and clear, for pinyin (taoxin, gs) and English words."""

    def __init__(self, **kwargs: Any) -> None:
        self.register_event_type("on_key")
        super().__init__(**kwargs)
        for row in (*LATIN_ROWS, (SPACE, BACKSPACE, CLEAR)):
            line = BoxLayout(spacing=self.spacing)
            for key in row:
                button = KeyboardKey(value=key)
                button.bind(on_release=lambda b: self.dispatch("on_key", b.value))
                line.add_widget(button)
            self.add_widget(line)

    def on_key(self, key: str) -> None:
        pass


class KeyboardKey(KButton):
    pass


class Stepper(BoxLayout):
    """[−] value [+] for one part of a date."""

    shown = StringProperty("")
    can_down = BooleanProperty(True)
    can_up = BooleanProperty(True)

    def __init__(self, **kwargs: Any) -> None:
        self.register_event_type("on_step")
        super().__init__(**kwargs)

    def on_step(self, delta: int) -> None:
        pass


class DatePicker(BoxLayout):
    """Year, month and day steppers between `earliest` and `latest`; no typing.

    The picker has no "today" of its own: `setup` gives it the range of the question (the
    flow engine's, whose today is the app's clock), and it starts at `latest` (today) or at
    the resident's earlier answer. The defaults below are only placeholders until then (a
    machine date read at import would also be days stale on a kiosk that runs for weeks)."""

    value = ObjectProperty(_PLACEHOLDER)
    earliest = ObjectProperty(_PLACEHOLDER)
    latest = ObjectProperty(_PLACEHOLDER)

    def setup(self, earliest: dt.date, latest: dt.date, value: dt.date | None) -> None:
        self.earliest, self.latest = earliest, latest
        self.value = min(max(value or latest, earliest), latest)

    def step(self, part: str, delta: int) -> None:
        v: dt.date = self.value
        year, month, day = v.year, v.month, v.day
        if part == "year":
            year += delta
        elif part == "month":
            month += delta
            year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
        else:
            candidate = v + dt.timedelta(days=delta)
            year, month, day = candidate.year, candidate.month, candidate.day
        day = min(day, calendar.monthrange(year, month)[1])
        self.value = min(max(dt.date(year, month, day), self.earliest), self.latest)
