"""Lists in landscape use the width: two columns of tiles for booking services, days and
slots, ticket services and priorities, and the review's answers, so a page holds twice as
many; portrait keeps one column. The date step lays its three steppers and OK in one row,
so OK is on the first page.
(Search results stay one column: the keyboard takes half the width, and two columns of a
quarter each wrapped titles to three or four lines: fewer results a page, not more.)
Driven by real taps in the normal and elderly themes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.ui.conftest import DENSITY, Driver


@pytest.fixture(params=["normal", "elderly"])
def landscape(ui: Driver, request: pytest.FixtureRequest) -> Iterator[Driver]:
    ui.app.apply(theme=request.param, orientation="landscape")
    ui.frames(3)
    try:
        yield ui
    finally:
        ui.app.apply(theme="normal", orientation="portrait")
        ui.frames(3)


def _rect(w: Any) -> tuple[float, float, float, float]:
    x, y = w.to_window(*w.pos)
    return x, y, x + w.width, y + w.height


def _on_page(paged: Any) -> list[Any]:
    """The list's tiles that lie wholly in its visible part (no scrolling needed)."""
    sx, sy, sx2, sy2 = _rect(paged.ids.scroll)
    return [w for w in reversed(paged.ids.box.children)
            if (r := _rect(w)) and r[0] >= sx - 1 and r[1] >= sy - 1 and r[2] <= sx2 + 1 and r[3] <= sy2 + 1]


def _tiles(paged: Any) -> list[Any]:
    return list(reversed(paged.ids.box.children))


def _columns(tiles: list[Any]) -> int:
    return len({round(t.x) for t in tiles})


def _big_enough(tiles: list[Any]) -> None:
    for t in tiles:
        assert min(t.width, t.height) >= 60 * float(DENSITY), (t.text, t.size)


def test_booking_lists_take_two_columns_and_a_day_past_the_old_page_is_one_tap(landscape: Driver) -> None:
    ui, app = landscape, landscape.app
    ui.tap(ui.find(cls="TouchArea"))
    ui.tap_text(app.t("Book an appointment"))
    paged = ui.screen.ids.paged
    services = _tiles(paged)
    assert paged.cols == 2 and _columns(services) == 2 and len(_on_page(paged)) == len(services)
    _big_enough(services)
    ui.tap_text(services[0].text, cls="ChoiceButton")
    assert ui.screen.step == "day"
    days = _tiles(paged)
    assert len(days) >= 5 and _columns(days) == 2
    assert len(_on_page(paged)) == len(days)  # a week of days on one page (was three)
    ui.tap(days[4])  # the fifth day: on the second page before
    ui.settle()
    assert ui.screen.step == "slot"
    slots = _tiles(paged)
    shown = _on_page(paged)
    assert _columns(slots) == 2 and len(shown) >= min(len(slots), 6 if app.theme.name == "normal" else 4)
    _big_enough(slots)
    ui.tap(shown[-1])
    ui.settle()
    assert ui.screen.step == "phone" and paged.cols == 1  # the keypad is not a list


def test_ticket_services_and_priorities_in_two_columns(landscape: Driver) -> None:
    ui, app = landscape, landscape.app
    ui.tap(ui.find(cls="TouchArea"))
    ui.tap_text(app.t("Take a queue number"))
    paged = ui.screen.ids.paged
    services = _tiles(paged)
    assert paged.cols == 2 and _columns(services) == 2
    assert len(_on_page(paged)) >= min(len(services), 6 if app.theme.name == "normal" else 4)
    ui.tap(services[-1] if services[-1] in _on_page(paged) else _on_page(paged)[-1])
    ui.settle()
    assert ui.screen.step == "priority"
    priorities = _tiles(paged)
    assert _columns(priorities) == 2 and len(_on_page(paged)) == 3
    _big_enough(priorities)


def test_review_answers_in_two_columns(landscape: Driver) -> None:
    ui, app = landscape, landscape.app
    ui.tap(ui.find(cls="TouchArea"))
    ui.tap_text(app.t("Can I get free legal aid?"))
    for _ in range(3):  # answer the first questions with their first choice
        if ui.screen.name != "flow" or ui.screen.view.input not in ("choice", "yesno"):
            break
        ui.tap(next(w for w in ui.widgets() if type(w).__name__ == "ChoiceButton"))
        ui.settle()
    ui.tap_text(app.t("My answers"))
    assert app.root.current == "review"
    paged = ui.screen.ids.paged
    rows = _tiles(paged)
    assert len(rows) >= 2 and paged.cols == 2 and _columns(rows) == 2
    assert len(_on_page(paged)) == len(rows)
    ui.tap(rows[1].ids.change)  # "change" on the right-hand answer
    ui.settle()
    assert app.root.current == "flow" and ui.screen.changing == rows[1].node


def test_the_date_step_fits_one_row_and_ok_is_on_the_first_page(landscape: Driver) -> None:
    ui, app = landscape, landscape.app
    from tests.ui.test_date_step import _to_date_step

    _to_date_step(ui)
    area = ui.screen.ids.area
    assert not area.overflow  # no page buttons: everything is on the first page
    steppers = [w for w in ui.widgets() if type(w).__name__ == "Stepper"]
    assert len({round(s.y) for s in steppers}) == 1  # one row
    for s in steppers:
        for button in (s.children[0], s.children[2]):
            assert button.y >= s.y - 0.5 and button.top <= s.top + 0.5  # inside its row
    assert _on_page(area) == _tiles(area)  # the whole entry, OK included, is on the page
    ok_button = ui.find(app.t("OK"))
    ok, (_x, sy, _x2, sy2) = _rect(ok_button), _rect(area.ids.scroll)
    assert ok[1] >= sy - 1 and ok[3] <= sy2 + 1
    assert abs(ok_button.y - steppers[0].y) < 1 and ok_button.x > steppers[-1].right  # OK ends the row
    minus, _plus = steppers[2].children[2], steppers[2].children[0]
    ui.tap(minus)
    ui.tap(ok_button)
    ui.settle()
    flow = app.session.flow
    assert flow is not None and "q_known_on" in flow.state.answers


def test_portrait_keeps_one_column(ui: Driver) -> None:
    app = ui.app
    assert not app.landscape
    ui.tap(ui.find(cls="TouchArea"))
    ui.tap_text(app.t("Book an appointment"))
    paged = ui.screen.ids.paged
    assert paged.cols == 1 and _columns(_tiles(paged)) == 1
