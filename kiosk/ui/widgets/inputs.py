"""Input without typing: a 12-key keypad, a Latin keyboard for pinyin and English, a date
picker made of steppers. Each only emits what was pressed; the screen owns the value."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from kivy.properties import BooleanProperty, NumericProperty, ObjectProperty, StringProperty
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
    machine date read at import would also be days stale on a kiosk that runs for weeks).

    What the steppers show is plain numbers and flags set here (`_shown`), not kv chains
    such as `root.value.year`: Kivy cannot watch an attribute of a non-Kivy object, so those
    labels kept the date of the first evaluation (the machine's, at import) whatever the
    picker's value became."""

    value = ObjectProperty(_PLACEHOLDER)
    earliest = ObjectProperty(_PLACEHOLDER)
    latest = ObjectProperty(_PLACEHOLDER)
    year = NumericProperty(_PLACEHOLDER.year)
    month = NumericProperty(_PLACEHOLDER.month)
    day = NumericProperty(_PLACEHOLDER.day)
    year_down = BooleanProperty(False)
    year_up = BooleanProperty(False)
    month_down = BooleanProperty(False)
    month_up = BooleanProperty(False)
    day_down = BooleanProperty(False)
    day_up = BooleanProperty(False)

    def setup(self, earliest: dt.date, latest: dt.date, value: dt.date | None) -> None:
        self.earliest, self.latest = earliest, latest
        self.value = min(max(value or latest, earliest), latest)
        self._shown()

    def on_value(self, *_args: Any) -> None:
        self._shown()

    def _shown(self) -> None:
        v: dt.date = self.value
        low: dt.date = self.earliest
        high: dt.date = self.latest
        self.year, self.month, self.day = v.year, v.month, v.day
        self.year_down, self.year_up = v.year > low.year, v.year < high.year
        self.month_down = (v.year, v.month) > (low.year, low.month)
        self.month_up = (v.year, v.month) < (high.year, high.month)
        self.day_down, self.day_up = v > low, v < high

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
