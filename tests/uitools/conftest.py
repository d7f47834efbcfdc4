"""Real Kivy window under Xvfb for the screenshot and audit tools' tests.

Kivy reads its environment and opens its one window at first import, so the virtual
display starts when this conftest is imported (before the test modules import Kivy),
and stops when pytest ends. With DISPLAY already set, that display is used.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from kiosk.ui.headless import kivy_environment, virtual_display

kivy_environment(maxfps=0)
_display = contextlib.ExitStack()
_display.enter_context(virtual_display())


def pytest_unconfigure(config: pytest.Config) -> None:
    _display.close()


@pytest.fixture(scope="session")
def driver() -> Any:
    from kivy.base import EventLoop, runTouchApp

    from kiosk.ui.driver import Driver

    d = Driver()
    if EventLoop.status != "started":
        runTouchApp(embedded=True)
    return d


@pytest.fixture
def mount(driver: Any) -> Iterator[Callable[[Any], Any]]:
    """Put a widget tree on the window (portrait, full size), let it lay out; removed after."""
    win = driver.window
    mounted: list[Any] = []
    saved = (tuple(win.size), tuple(win.clearcolor))
    win.size = (1080, 1920)

    def put(widget: Any) -> Any:
        win.add_widget(widget)
        mounted.append(widget)
        driver.settle()
        return widget

    yield put
    for widget in mounted:
        if widget.parent is not None:
            widget.parent.remove_widget(widget)
    win.size, win.clearcolor = saved
    driver.settle()
