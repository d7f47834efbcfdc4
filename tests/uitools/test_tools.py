"""Screenshots and the audit over every state × theme × locale × orientation, on a small
stand-in app built to UI-CONTRACT.md; and a real tap through the X server."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from PIL import Image


@pytest.fixture
def app(alone: Any, si: ModuleType) -> Iterator[Any]:
    from kiosk.ui.driver import Driver

    a = si.StandInApp()
    d = Driver.start(a)
    yield a
    d.detach()


def test_every_combination_is_drawn_to_its_own_file(app: Any, si: ModuleType, tmp_path: Path) -> None:
    from kiosk.ui.driver import Driver, combos
    from kiosk.ui.tools import screenshots

    report = screenshots(Driver(app), app, lambda a: si.states(a, broken=True), combos(), tmp_path)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert report.done == 24 == len(names)  # 2 states × 2 locales × 3 themes × 2 orientations
    assert report.states == 3 and "home-zh-CN-elderly-landscape.png" in names
    # The broken state is reported for every combination, and did not stop the others.
    assert len(report.failures) == 12 and {f.state for f in report.failures} == {"broken"}
    assert "RuntimeError: this state is broken on purpose" in report.failures[0].error

    def img(state: str, locale: str, theme: str, orientation: str) -> Image.Image:
        return Image.open(tmp_path / f"{state}-{locale}-{theme}-{orientation}.png").convert("RGB")

    px = si.dp
    assert img("home", "en", "normal", "portrait").size == (round(px(1080)), round(px(1920)))
    assert img("home", "en", "normal", "landscape").size == (round(px(1920)), round(px(1080)))
    # The page background is the theme's, in every corner of the frame: near white in
    # normal, black in contrast (a frame read back at the old size is stale on one side).
    for theme, bg in (("normal", (247, 247, 242)), ("contrast", (0, 0, 0))):
        for orientation in ("portrait", "landscape"):
            frame = img("home", "en", theme, orientation)
            w, h = frame.size
            corners = [frame.getpixel((x, y)) for x in (5, w - 5) for y in (5, h - 5)]
            assert corners == [bg] * 4, (theme, orientation, corners)
    # The title row shows the locale's words: zh and en frames differ there, not in the corner.
    zh, en = img("home", "zh-CN", "normal", "portrait"), img("home", "en", "normal", "portrait")
    title_box = tuple(round(px(v)) for v in (60, 60, 1020, 180))
    assert zh.crop(title_box).tobytes() != en.crop(title_box).tobytes()
    # Each state shows its own screen: attract is one big tile, home is not.
    attract, home = img("attract", "en", "normal", "portrait"), img("home", "en", "normal", "portrait")
    assert attract.getpixel((round(px(540)), round(px(960)))) != home.getpixel((round(px(540)), round(px(200))))


def test_only_a_few_states(app: Any, si: ModuleType, tmp_path: Path) -> None:
    from kiosk.ui.driver import Driver, combos
    from kiosk.ui.tools import file_name, screenshots

    report = screenshots(Driver(app), app, si.states, combos(["landscape"], ["contrast"], ["en"]),
                         tmp_path, only=["home"])
    assert [p.name for p in tmp_path.iterdir()] == ["home-en-contrast-landscape.png"]
    assert report.done == 1 and file_name("home", combos(["landscape"], ["contrast"], ["en"])[0]) == \
        "home-en-contrast-landscape.png"


def test_the_audit_finds_the_flaw_in_every_theme_and_orientation(app: Any, si: ModuleType) -> None:
    from kiosk.ui.driver import Driver, combos
    from kiosk.ui.tools import accessibility

    app.flaw = True
    report = accessibility(Driver(app), app, si.states, combos())
    small = [v for v in report.violations if v.rule == "target-size"]
    # The flawed "book" tile is on the home screen only: 12 combinations.
    assert len(small) == 12 and {v.screen for v in small} == {"home"}
    assert {(v.theme, v.orientation, v.locale) for v in small} == {
        (c.theme, c.orientation, c.locale) for c in combos()}
    assert small[0].widget.startswith('Tile "') and small[0].value == 40.0 and small[0].minimum == 60.0


def test_the_audit_of_the_clean_stand_in_is_empty(app: Any, si: ModuleType) -> None:
    from kiosk.ui.driver import Driver, combos
    from kiosk.ui.tools import accessibility

    report = accessibility(Driver(app), app, si.states, combos())
    assert report.done == 24
    assert [v.as_json() for v in report.violations] == []


def test_a_real_tap_through_the_x_server_changes_screen(app: Any) -> None:
    from kiosk.ui.driver import Driver
    from kiosk.ui.xinput import XTap

    d = Driver(app)
    app.sm.current = "attract"
    d.settle()
    tapper = XTap()
    try:
        sent = d.tap(app.start, tapper)
        while app.sm.current != "home" and time.perf_counter() - sent < 5.0:
            d.step()  # the X server and SDL take their time on a busy machine
    finally:
        tapper.close()
    assert app.touched == ["home"] and app.sm.current == "home"
