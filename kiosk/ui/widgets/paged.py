"""A list that pages with two big buttons: scrolling never needs a swipe (single taps only).

The items live in a ScrollView (a swipe still works for those who try); when they do not
fit, "up" and "down" buttons appear below and move by one page.
"""

from __future__ import annotations

from typing import Any

from kivy.clock import Clock
from kivy.properties import BooleanProperty, NumericProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.widget import Widget


class Paged(BoxLayout):
    cols = NumericProperty(1)
    overflow = BooleanProperty(False)
    can_up = BooleanProperty(False)
    can_down = BooleanProperty(False)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._check = Clock.create_trigger(self._update, 0)

    @property
    def box(self) -> Any:
        return self.ids.box

    def add_item(self, widget: Widget) -> None:
        self.ids.box.add_widget(widget)
        self._check()

    def clear_items(self) -> None:
        self.ids.box.clear_widgets()
        self.ids.scroll.scroll_y = 1
        self._check()

    def _update(self, *_: Any) -> None:
        scroll, box = self.ids.scroll, self.ids.box
        # The page buttons take room when shown: judge against the room without them.
        room = scroll.height + (self.ids.nav.height + self.spacing if self.overflow else 0)
        self.overflow = box.height > room + 1
        self.can_up = self.overflow and scroll.scroll_y < 0.999
        self.can_down = self.overflow and scroll.scroll_y > 0.001

    def page(self, direction: int) -> None:
        scroll, box = self.ids.scroll, self.ids.box
        hidden = box.height - scroll.height
        if hidden <= 0:
            return
        step = scroll.height * 0.85 / hidden
        scroll.scroll_y = min(1.0, max(0.0, scroll.scroll_y - direction * step))
        self._check()
