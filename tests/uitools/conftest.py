"""A real Kivy window under Xvfb for the screenshot and audit tools' tests.

Kivy reads its environment and opens its one window at first import, and the whole test
session shares it (tests/ui opens the real app in it first, at density 0.5). So nothing
here or in these test modules imports Kivy at collection: the `driver` fixture sets Kivy
up only if nobody has (own Xvfb on a free display when DISPLAY is unset, stopped when
pytest ends), and `alone` takes whatever else is on the window off it for one test.
The tests use dp throughout, so they hold at any density.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

import pytest

from kiosk.ui.headless import kivy_environment, virtual_display

_display = contextlib.ExitStack()


def pytest_unconfigure(config: pytest.Config) -> None:
    _display.close()


@pytest.fixture(scope="session")
def driver() -> Any:
    if "kivy.core.window" not in sys.modules:
        if not os.environ.get("DISPLAY"):
            _display.enter_context(virtual_display())
        kivy_environment(maxfps=0)
    from kivy.base import EventLoop, runTouchApp

    from kiosk.ui.driver import Driver

    d = Driver()
    if EventLoop.status != "started":
        runTouchApp(embedded=True)
    return d


@pytest.fixture(scope="session")
def si(driver: Any) -> ModuleType:
    """The stand-in app and tree helpers (they import Kivy)."""
    from . import standin

    return standin


@pytest.fixture
def alone(driver: Any) -> Iterator[Any]:
    """The window to this test alone, at full portrait size; put back as it was after."""
    from kivy.metrics import dp

    win = driver.window
    others = list(win.children)
    for w in others:
        win.remove_widget(w)
    saved = (tuple(win.size), tuple(win.clearcolor))
    win.size = (dp(1080), dp(1920))
    driver.settle()
    yield driver
    for w in list(win.children):
        win.remove_widget(w)
    for w in reversed(others):
        win.add_widget(w)
    win.size, win.clearcolor = saved
    driver.settle()


@pytest.fixture
def mount(alone: Any) -> Callable[[Any], Any]:
    """Put a widget tree on the window and let it lay out (taken off after by `alone`)."""

    def put(widget: Any) -> Any:
        alone.window.add_widget(widget)
        alone.settle()
        return widget

    return put
