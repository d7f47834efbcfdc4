"""Progress as named steps: 1 事情经过 · 2 您的情况 · 3 ... with the current one marked."""

from __future__ import annotations

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
            self.add_widget(StepChip(text=f"{i}  {title}", current=i == index, done=i < index))
