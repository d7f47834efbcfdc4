"""The building blocks every screen uses.

Every widget that paints a background exposes `bg_color` (the colour it paints); every
touchable is a ButtonBehavior with `main` marking main controls; text sizes come from the
app's theme through the .kv rules (UI-CONTRACT.md).
"""

from __future__ import annotations

from typing import Any

from kivy.properties import (
    BooleanProperty,
    ListProperty,
    NumericProperty,
    OptionProperty,
    StringProperty,
)
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.label import Label

from kiosk.ui.icons import glyph

ROLES = ("small", "body", "large", "title", "huge")
STYLES = ("primary", "secondary", "tile", "choice", "selected", "warn", "ghost")


class Card(BoxLayout):
    """A rounded panel on the page."""

    bg_color = ListProperty([1, 1, 1, 1])
    border_color = ListProperty([0, 0, 0, 0])
    radius = NumericProperty(0)


class Text(Label):
    """Wrapping text whose height follows its content; `role` picks the theme size."""

    role = OptionProperty("body", options=ROLES)
    muted = BooleanProperty(False)
    bold = BooleanProperty(False)


class Icon(Label):
    """One glyph of the icon font; `icon` is a name from kiosk/ui/icons.py."""

    icon = StringProperty("")
    glyph = StringProperty("")

    def on_icon(self, _inst: Any, name: str) -> None:
        self.glyph = glyph(name)


class KButton(ButtonBehavior, BoxLayout):
    """A big button: optional icon and a label, coloured by `style` from the theme."""

    text = StringProperty("")
    icon = StringProperty("")
    glyph = StringProperty("")
    style = OptionProperty("primary", options=STYLES)
    main = BooleanProperty(False)
    bg_color = ListProperty([0, 0, 0, 0])
    fg_color = ListProperty([0, 0, 0, 1])
    border_color = ListProperty([0, 0, 0, 0])
    role = OptionProperty("body", options=ROLES)
    #: Set by the owner: a value the button stands for (a choice, a day, a slot).
    value = StringProperty("")
    vertical = BooleanProperty(False)
    halign = StringProperty("center")
    #: Kivy markup in `text` ([b]...[/b]); escape content with kivy.utils.escape_markup.
    markup = BooleanProperty(False)
    #: Line spacing of the label; 0 = the theme's (keys with one character use 1).
    line_height = NumericProperty(0)

    def on_icon(self, _inst: Any, name: str) -> None:
        self.glyph = glyph(name)


class Toggle(KButton):
    """A button that shows on/off (read aloud, elderly mode)."""

    active = BooleanProperty(False)
