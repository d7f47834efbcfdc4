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


def list_columns(landscape: bool, is_list: bool) -> int:
    """Columns for a list of choices: two in landscape, where one column of full-width tiles
    left a 1920-wide page holding two or three items; one in portrait (as it always was),
    and one for anything that is not a list of like tiles (a keypad, a summary)."""
    return 2 if landscape and is_list else 1


class Paged(BoxLayout):
    cols = NumericProperty(1)
    overflow = BooleanProperty(False)
    can_up = BooleanProperty(False)
    can_down = BooleanProperty(False)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._check = Clock.create_trigger(self._update, 0)
        self._nav: Any = None

    def on_kv_post(self, _base: Any) -> None:
        # ids hold weak proxies: keep the page buttons alive while they are out of the tree.
        self._nav = self.ids.nav.__self__
        self.on_overflow(self, self.overflow)

    def on_overflow(self, _inst: Any, overflow: bool) -> None:
        """The page buttons are in the tree only when needed: a hidden button must never sit
        over the list and catch a touch meant for an item."""
        nav = self._nav
        if nav is None:
            return
        if overflow and nav.parent is None:
            self.add_widget(nav)
        elif not overflow and nav.parent is self:
            self.remove_widget(nav)

    @property
    def box(self) -> Any:
        return self.ids.box

    def add_item(self, widget: Widget) -> None:
        self.ids.box.add_widget(widget)
        self._check()

    def clear_items(self) -> None:
        self.ids.box.clear_widgets()
        self.to_top()

    def to_top(self) -> None:
        self.ids.scroll.scroll_y = 1
        self._check()

    def _update(self, *_: Any) -> None:
        scroll, box = self.ids.scroll, self.ids.box
        box.do_layout()  # the items' height now, not after a later layout pass
        # The page buttons take room when shown: judge against the room without them.
        shown = self._nav is not None and self._nav.parent is not None
        room = scroll.height + (self._nav.height + self.spacing if shown else 0)
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
