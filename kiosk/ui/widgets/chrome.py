"""The bars around every page: a top bar (home, title, call staff) and a bottom bar."""

from __future__ import annotations

from typing import Any

from kivy.factory import Factory
from kivy.properties import BooleanProperty, NumericProperty, StringProperty
from kivy.uix.widget import Widget

from kiosk.ui.widgets.base import Card

#: A screen button's width against a speech key's (1) when they share the landscape row.
ROW_WEIGHT = 1.8


class TopBar(Card):
    title = StringProperty("")
    show_home = BooleanProperty(True)


class BottomBar(Card):
    """The screen's own buttons (Back, Finish, ...) and the speech bar (widgets/speech.py).

    Portrait: the speech bar is a row of its own above the buttons; landscape: it shares their
    row, on the right. Children a screen gives the bar (in its .kv rule or `add_widget`) go to
    the button row, so screens need not know where the speech bar sits."""

    landscape = BooleanProperty(False)
    #: The speech bar's and the button row's heights (the bar's own height follows them).
    speech_height = NumericProperty(0)
    row_height = NumericProperty(0)

    def __init__(self, **kwargs: Any) -> None:
        self._row: Widget | None = None
        super().__init__(**kwargs)
        self._row = Factory.BarRow()
        self._speech = Factory.SpeechBar()
        self._speech.bind(height=self.setter("speech_height"))
        self._row.bind(height=self.setter("row_height"))
        self.speech_height, self.row_height = self._speech.height, self._row.height
        self._arrange()

    def add_widget(self, widget: Widget, *args: Any, **kwargs: Any) -> None:
        if self._row is None or widget is self._row or widget is self._speech:
            super().add_widget(widget, *args, **kwargs)
        else:
            self._row.add_widget(widget, *args, **kwargs)
            widget.bind(height=self._fit)
            self._share()

    def remove_widget(self, widget: Widget, *args: Any, **kwargs: Any) -> None:
        if self._row is not None and widget.parent is self._row:
            self._row.remove_widget(widget, *args, **kwargs)
            widget.unbind(height=self._fit)
            self._share()
        else:
            super().remove_widget(widget, *args, **kwargs)

    def on_landscape(self, *_args: Any) -> None:
        self._arrange()

    def _arrange(self) -> None:
        if self._row is None:
            return
        for part in (self._row, self._speech):
            if part.parent is not None:
                super().remove_widget(part)
        first, second = (self._row, self._speech) if self.landscape else (self._speech, self._row)
        super().add_widget(first)
        super().add_widget(second)
        self._share()

    def _fit(self, *_args: Any) -> None:
        """The row as tall as its tallest button (a label that wraps in large text)."""
        assert self._row is not None
        self._row.tallest = max([c.height for c in self._row.children] + [0])

    def _share(self) -> None:
        """Landscape: the row's width in proportion to its buttons against the speech keys."""
        assert self._row is not None
        self._row.size_hint_x = max(1, len(self._row.children)) * ROW_WEIGHT if self.landscape else 1
        self._speech.size_hint_x = self._speech.weight if self.landscape else 1
        self._fit()


class Notice(Card):
    """A message card (print result, desk errors); `tone` is info or warn."""

    text = StringProperty("")
    tone = StringProperty("info")


class Section(Card):
    """A titled block of text (outcome sections, booking details)."""

    title = StringProperty("")
    text = StringProperty("")


class OutcomeHead(Card):
    title = StringProperty("")
    summary = StringProperty("")


class TicketNumber(Card):
    number = StringProperty("")


class QrCard(Card):
    """A QR code with what it is for (continue on a phone, the slip that did not print)."""

    title = StringProperty("")
    data = StringProperty("")
