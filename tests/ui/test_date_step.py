"""The flow's date step starts at the app's "today" (`Services.clock`, injectable), not the
machine's: here the app's clock is set years away from whatever day the machine says. What
the resident sees (the steppers' labels) is checked, not only the picker's value: the labels
used to keep the machine's date from import time while the value was right."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from tests.ui.conftest import Driver


@pytest.fixture
def far_clock(ui: Driver) -> Iterator[dt.date]:
    """The app's wall clock set three years before the machine's date, for this test only."""
    services = ui.app.services
    before = services.clock
    now = dt.datetime(dt.date.today().year - 3, 6, 15, 9, 30)
    services.clock = lambda: now
    try:
        yield now.date()
    finally:
        services.clock = before


def _to_date_step(ui: Driver) -> None:
    ui.tap(ui.find(cls="TouchArea"))
    ui.app.go("flow", start="admin-reconsideration")
    ui.frames(3)
    ui.tap_text("土地、山林、草原归谁的决定", cls="ChoiceButton")
    assert ui.screen.kind == "question" and ui.screen.view.input == "date", ui.screen.question


def _shown(ui: Driver) -> list[str]:
    return [w.shown for w in ui.widgets() if type(w).__name__ == "Stepper"]


def _steppers(ui: Driver) -> dict[str, tuple[Any, Any]]:
    """Each stepper's (−, +) buttons, by part: year, month, day."""
    found = [w for w in ui.widgets() if type(w).__name__ == "Stepper"]
    assert len(found) == 3
    return {part: (s.children[2], s.children[0]) for part, s in zip(("year", "month", "day"), found, strict=True)}


def test_the_date_picker_starts_at_the_apps_today_not_the_machines(ui: Driver, far_clock: dt.date) -> None:
    assert far_clock != dt.date.today()
    _to_date_step(ui)
    picker = ui.find(cls="DatePicker")
    assert picker.value == far_clock and picker.latest == far_clock
    assert picker.earliest == far_clock.replace(year=far_clock.year - 5)  # years_back: 5
    assert _shown(ui) == [f"{far_clock.year}年", f"{far_clock.month}月", f"{far_clock.day}日"]
    minus, plus = _steppers(ui)["day"]
    assert (minus.text, plus.text) == ("−", "+")
    assert plus.style == "ghost" and minus.style == "secondary"  # no day after today
    ui.tap(plus)  # the app's today is the latest date: no step past it
    assert picker.value == far_clock
    ui.tap(minus)
    ui.tap(minus)
    assert picker.value == far_clock - dt.timedelta(days=2)
    assert _shown(ui)[2] == f"{far_clock.day - 2}日" and plus.style == "secondary"
    ui.tap_text(ui.app.t("OK"))
    flow = ui.app.session.flow
    assert flow is not None and flow.state.answers["q_known_on"] == far_clock - dt.timedelta(days=2)
    # days_since() ran on the same today: 2 days ago is within 60 days, the outcome says apply.
    assert flow.finished or ui.app.root.current in ("flow", "outcome")


def test_a_changed_date_answer_starts_at_the_earlier_answer(ui: Driver, far_clock: dt.date) -> None:
    _to_date_step(ui)
    minus, _plus = _steppers(ui)["year"]
    ui.tap(minus)
    ui.tap_text(ui.app.t("OK"))
    flow = ui.app.session.flow
    assert flow is not None and flow.state.answers["q_known_on"] == far_clock.replace(year=far_clock.year - 1)
    ui.app.go("flow", change="q_known_on")
    ui.frames(3)
    assert ui.find(cls="DatePicker").value == far_clock.replace(year=far_clock.year - 1)

