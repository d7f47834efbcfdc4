"""The speech bar: replay, slower / faster, softer / louder, on every resident screen.

One widget, so every screen has the same controls in the same place (inside the bottom bar,
kiosk/ui/widgets/chrome.py; on home and outcome in their own layout). When no speaker works
the bar shows one plain line why instead of buttons that would do nothing: the keys are
removed then, not hidden (a hidden button must not catch touches). The rate and volume keys
are disabled at the ends of their ladders (kiosk/voice/levels.py), so a tap always changes
something the resident can hear.
"""

from __future__ import annotations

from typing import Any

from kivy.clock import Clock
from kivy.properties import BooleanProperty, ListProperty, NumericProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.widget import Widget

from kiosk.ui.icons import glyph

#: The keys in order: (step name for app.speech_step, icon); "replay" reads the screen again.
KEYS = (("replay", "replay"), ("slower", "slower"), ("faster", "faster"),
        ("softer", "softer"), ("louder", "louder"))
#: How long a tapped key stays lit.
LIT_SECONDS = 1.2
BLINK_SECONDS = 0.12
#: Replay is the one most used and its label the longest: it gets more width.
REPLAY_WEIGHT = 1.25


class SpeechKey(ButtonBehavior, BoxLayout):
    """One key of the speech bar: a small icon beside a short label, one line high. Not a
    KButton: those are main-size (a theme's button height, large icons); five of them above
    the screen's own buttons pushed the number pad and the date steppers of large-text
    portrait screens onto a second page. These stay ≥ the theme's minimum target (44 dp)."""

    text = StringProperty("")
    icon = StringProperty("")
    glyph = StringProperty("")
    #: The step this key makes (replay, slower, faster, softer, louder).
    value = StringProperty("")
    main = BooleanProperty(False)
    #: Lit for a moment after a tap: what it changed is heard, and this shows it was taken.
    lit = BooleanProperty(False)
    bg_color = ListProperty([0, 0, 0, 0])
    fg_color = ListProperty([0, 0, 0, 1])
    border_color = ListProperty([0, 0, 0, 0])

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._light_events: list[Any] = []

    def on_icon(self, _inst: Any, name: str) -> None:
        self.glyph = glyph(name)

    def on_release(self) -> None:
        """Lit for LIT_SECONDS; a tap while lit blinks it, so that tap is seen too."""
        for event in self._light_events:
            event.cancel()
        if self.lit:
            self.lit = False
            self._light_events = [Clock.schedule_once(lambda _dt: setattr(self, "lit", True), BLINK_SECONDS)]
        else:
            self.lit = True
            self._light_events = []
        self._light_events.append(Clock.schedule_once(lambda _dt: setattr(self, "lit", False), LIT_SECONDS))


class SpeechBar(BoxLayout):
    #: Bound to app.voice.speaker_off in the .kv rule.
    off = BooleanProperty(False)
    #: The sum of the keys' width weights (the bottom bar shares a row with it in landscape).
    weight = NumericProperty(REPLAY_WEIGHT + len(KEYS) - 1)

    def on_kv_post(self, _base: Any) -> None:
        # Strong references: ids are weak proxies, and the part taken off would be collected.
        self._keys: Widget = self.ids.keyrow.__self__
        self._notice: Widget = self.ids.notice.__self__
        for key in self._keys.children:  # kv cannot bind to each child's height in a list
            key.bind(height=self._fit)
        self._fit()
        self._show(self.off)

    def _fit(self, *_args: Any) -> None:
        self._keys.height = max(key.height for key in self._keys.children)

    def on_off(self, _inst: Any, off: bool) -> None:
        if hasattr(self, "_keys"):
            self._show(off)

    def _show(self, off: bool) -> None:
        for child in (self._keys, self._notice):
            if child.parent is not None:
                self.remove_widget(child)
        self.add_widget(self._notice if off else self._keys)

    def key(self, name: str) -> SpeechKey:
        """The key `name` (tests and tools find it by its step name)."""
        key: SpeechKey = next(k for k in self._keys.children if k.value == name)
        return key
