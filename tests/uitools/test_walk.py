"""The bench's walker: real taps timed to the frame that shows the answer, the targets it
must never tap, and simulated time that fires Kivy's scheduled events."""

from __future__ import annotations

from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest

Walker = Any


@pytest.fixture
def walker(alone: Any, si: ModuleType) -> Iterator[tuple[Any, Walker]]:
    from kiosk.ui.driver import Driver
    from kiosk.ui.walk import Walker
    from kiosk.ui.xinput import XTap

    app = si.StandInApp()
    d = Driver.start(app)
    tapper = XTap()
    yield app, Walker(d, tapper, seed=3)
    tapper.close()
    d.detach()


def test_a_tap_is_timed_to_the_frame_that_shows_the_next_screen(walker: tuple[Any, Walker]) -> None:
    from kiosk.ui.walk import current_screens, view

    app, w = walker
    assert current_screens(w.driver.window) == ("attract",)
    before = view(w.driver.window)
    widget, node = w.choose() or (None, None)
    assert widget is app.start and node is not None and node.main
    tap = w.tap(widget, node, wait=10.0)  # generous: a busy machine is slow, and speed is the bench's job
    assert tap.before == ("attract",) and tap.after == ("home",)
    assert tap.first is not None and tap.settled is not None and 0 < tap.first <= tap.settled
    assert 0 <= tap.swap <= tap.first
    assert view(w.driver.window) != before


def test_a_tap_that_changes_nothing_is_reported_as_such(walker: tuple[Any, Walker]) -> None:
    app, w = walker
    app.go("home")
    w.driver.settle()
    tap = w.tap(app.book, next(n for x, n in _targets(w) if x is app.book), wait=0.5)
    assert tap.first is None and tap.settled is None and w.stuck == 1


def _targets(w: Walker) -> list[tuple[Any, Any]]:
    from kiosk.ui.audit import touchables

    return touchables(w.driver.window)


def test_the_walk_never_taps_what_ends_the_program(walker: tuple[Any, Walker]) -> None:
    from kiosk.ui.walk import AVOID

    app, w = walker
    app.go("home")
    app.ask.text = "Exit"  # as a maintenance screen's exit button would say
    w.driver.settle()
    chosen = {w.choose()[1].name for _ in range(20)}  # type: ignore[index]
    assert chosen and not any(AVOID.search(name) for name in chosen)
    assert AVOID.search('KButton "退出"') and AVOID.search('KButton "Exit"')
    assert not AVOID.search('KButton "Next"') and not AVOID.search('KButton "Continue"')


def test_simulated_time_fires_kivy_events_without_waiting(driver: Any) -> None:
    from kivy.clock import Clock

    from kiosk.ui.walk import SimTime

    fired: list[float] = []
    Clock.schedule_once(lambda dt: fired.append(dt), 60)
    sim = SimTime()
    try:
        driver.step()
        assert fired == []
        sim.advance(61)
        driver.step()
        driver.step()
    finally:
        sim.close()
    assert len(fired) == 1 and fired[0] >= 60


def test_a_theme_switch_is_an_answer_though_no_text_changes(walker: tuple[Any, Walker]) -> None:
    from kiosk.ui.walk import view

    app, w = walker
    before = view(w.driver.window)
    app.apply(theme="contrast")
    w.driver.settle()
    after = view(w.driver.window)
    assert after != before
    app.apply(theme="normal")
    w.driver.settle()
    assert view(w.driver.window) == before
