"""A tiny stand-in for the kiosk app, built to UI-CONTRACT.md, for testing the tools
without the real screens: two screens, three themes, two locales, two orientations; and
helpers for hand-built widget trees. Sizes are dp: the tests hold at any Kivy density
(another suite in the same session may have opened the window at density 0.5).
Imported only once the window fixture has set Kivy up."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kivy.app import App
from kivy.core.window import Window
from kivy.graphics import Color, Rectangle
from kivy.metrics import dp
from kivy.properties import BooleanProperty, ListProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.label import Label
from kivy.uix.screenmanager import NoTransition, Screen, ScreenManager

CJK = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
SIZES = {"portrait": (1080, 1920), "landscape": (1920, 1080)}
THEMES: dict[str, dict[str, Any]] = {
    "normal": {"bg": [0.97, 0.97, 0.95, 1], "fg": [0.1, 0.1, 0.1, 1], "tile": [0.05, 0.3, 0.6, 1],
               "font": 26, "line_height": 1.2},
    "elderly": {"bg": [1, 1, 1, 1], "fg": [0, 0, 0, 1], "tile": [0.0, 0.25, 0.5, 1],
                "font": 36, "line_height": 1.4},
    "contrast": {"bg": [0, 0, 0, 1], "fg": [1, 1, 0, 1], "tile": [0, 0, 0, 1],
                 "font": 26, "line_height": 1.2},
}
TEXTS = {
    "zh-CN": {"start": "请触摸屏幕开始", "ask": "我要咨询", "book": "预约办事", "title": "您好，请选择"},
    "en": {"start": "Touch to start", "ask": "Legal questions", "book": "Book an appointment",
           "title": "Hello, please choose"},
}


class Painted:
    """Paints `bg_color` behind itself, as the contract asks."""

    bg_color: Any

    def paint(self) -> None:
        with self.canvas.before:  # type: ignore[attr-defined]
            self._c = Color(rgba=self.bg_color)
            self._r = Rectangle(pos=self.pos, size=self.size)  # type: ignore[attr-defined]
        self.bind(pos=self._sync, size=self._sync, bg_color=self._sync)  # type: ignore[attr-defined]

    def _sync(self, *_: Any) -> None:
        self._c.rgba = self.bg_color
        self._r.pos, self._r.size = self.pos, self.size  # type: ignore[attr-defined]


class Panel(Painted, BoxLayout):
    bg_color = ListProperty([0, 0, 0, 0])

    def __init__(self, **kw: Any) -> None:
        super().__init__(**kw)
        self.paint()


class Tile(Painted, ButtonBehavior, Label):
    bg_color = ListProperty([0, 0, 0, 0])
    main = BooleanProperty(False)

    def __init__(self, **kw: Any) -> None:
        super().__init__(**kw)
        self.paint()


@dataclass(frozen=True)
class UiState:
    name: str
    show: Callable[[], None]


class StandInApp(App):  # type: ignore[misc]
    def __init__(self, theme: str = "normal", locale: str = "zh-CN", orientation: str = "portrait",
                 *, flaw: bool = False) -> None:
        super().__init__()
        self.theme, self.locale, self.orientation = theme, locale, orientation
        self.flaw = flaw  # a deliberately small "book" tile, for the audit tests
        self.touched: list[str] = []

    def build(self) -> ScreenManager:
        sm = ScreenManager(transition=NoTransition())
        attract = Screen(name="attract")
        self.start = Tile(font_name=CJK, main=True)
        self.start.bind(on_release=lambda *_: self.go("home"))
        attract_panel = Panel(padding=dp(80))
        attract_panel.add_widget(self.start)
        attract.add_widget(attract_panel)
        home = Screen(name="home")
        self.home_panel = Panel(orientation="vertical", padding=dp(60), spacing=dp(40))
        self.heading = Label(font_name=CJK, size_hint_y=None, height=dp(120))
        self.ask = Tile(font_name=CJK, main=True)
        self.ask.bind(on_release=lambda *_: self.go("attract"))
        self.book = Tile(font_name=CJK, main=True, size_hint=(None, None), size=(dp(400), dp(200)))
        for w in (self.heading, self.ask, self.book):
            self.home_panel.add_widget(w)
        home.add_widget(self.home_panel)
        sm.add_widget(attract)
        sm.add_widget(home)
        self.sm = sm
        self.apply(self.theme, self.locale, self.orientation)
        return sm

    def go(self, screen: str) -> None:
        self.touched.append(screen)
        self.sm.current = screen

    def apply(self, theme: str | None = None, locale: str | None = None,
              orientation: str | None = None) -> None:
        self.theme = theme or self.theme
        self.locale = locale or self.locale
        self.orientation = orientation or self.orientation
        t, s = THEMES[self.theme], TEXTS[self.locale]
        Window.size = tuple(dp(v) for v in SIZES[self.orientation])
        Window.clearcolor = t["bg"]
        for panel in (self.sm.get_screen("attract").children[0], self.home_panel):
            panel.bg_color = t["bg"]
        self.heading.text, self.heading.color, self.heading.font_size = s["title"], t["fg"], dp(t["font"])
        for tile, key in ((self.start, "start"), (self.ask, "ask"), (self.book, "book")):
            tile.text, tile.font_size, tile.bg_color = s[key], dp(t["font"]), t["tile"]
            tile.color = [1, 1, 0, 1] if self.theme == "contrast" else [1, 1, 1, 1]
        self.book.size = (dp(400), dp(40)) if self.flaw else (dp(600), dp(200))


def states(app: StandInApp, *, broken: bool = False) -> list[UiState]:
    def show(screen: str) -> Callable[[], None]:
        def go() -> None:
            app.sm.current = screen
        return go

    def fail() -> None:
        raise RuntimeError("this state is broken on purpose")

    out = [UiState("attract", show("attract")), UiState("home", show("home"))]
    if broken:
        out.insert(1, UiState("broken", fail))
    return out


# --- hand-built trees for the audit tests: positions and sizes in dp -------------------------

WHITE = [1, 1, 1, 1]
BLACK = [0, 0, 0, 1]


def box(x: float, y: float, w: float, h: float) -> dict[str, Any]:
    return {"size_hint": (None, None), "pos": (dp(x), dp(y)), "size": (dp(w), dp(h))}


def page(*children: Any, bg: list[float] = WHITE) -> Panel:
    """A full-window painted panel holding widgets at fixed positions."""
    from kivy.uix.floatlayout import FloatLayout

    root = Panel(bg_color=bg)
    layer = FloatLayout()
    root.add_widget(layer)
    for child in children:
        layer.add_widget(child)
    return root


def label(text: str = "Legal help", at: tuple[float, float, float, float] = (100, 1500, 600, 80),
          font: float = 24, text_w: float | None = None, text_h: float | None = None, **kw: Any) -> Label:
    kw.setdefault("color", BLACK)
    if text_w is not None or text_h is not None:
        kw["text_size"] = (dp(text_w) if text_w is not None else None, dp(text_h) if text_h is not None else None)
    return Label(text=text, font_name=CJK, font_size=dp(font), **box(*at), **kw)


def tile(text: str = "OK", at: tuple[float, float, float, float] = (100, 100, 300, 100),
         font: float = 24, **kw: Any) -> Tile:
    kw.setdefault("bg_color", [0.05, 0.3, 0.6, 1])
    return Tile(text=text, font_name=CJK, font_size=dp(font), **box(*at), **kw)
