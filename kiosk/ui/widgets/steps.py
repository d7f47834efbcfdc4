"""Progress as named steps: 1 事情经过 · 2 您的情况 · 3 ... with the current one marked."""

from __future__ import annotations

from typing import Any

from kivy.metrics import dp
from kivy.properties import BooleanProperty, ListProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.label import Label


class StepChip(Label):
    bg_color = ListProperty([0, 0, 0, 0])
    current = BooleanProperty(False)
    done = BooleanProperty(False)
    number = StringProperty("")


class StepsBar(BoxLayout):
    def show(self, titles: list[str], index: int) -> None:
        self.clear_widgets()
        for i, title in enumerate(titles, 1):
            chip = StepChip(text=f"{i}\u00a0 {title}", current=i == index, done=i < index)
            chip.bind(texture_size=self._fit)
            self.add_widget(chip)
        self._fit()

    def _fit(self, *_: Any) -> None:
        """As tall as the tallest step title (elderly mode, a title on two lines)."""
        tallest = max([0.0, *(c.texture_size[1] for c in self.children)])
        self.height = max(dp(56), tallest + dp(16)) + self.padding[1] + self.padding[3]
