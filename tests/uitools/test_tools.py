"""Screenshots and the audit over every state × theme × locale × orientation, on a small
stand-in app built to UI-CONTRACT.md; and a real tap through the X server."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from kiosk.ui.driver import Driver, combos
from kiosk.ui.tools import accessibility, file_name, screenshots

from .standin import StandInApp, states


@pytest.fixture
def app(driver: Any) -> Iterator[StandInApp]:
    a = StandInApp()
    d = Driver.start(a)
    yield a
    d.detach()
    a.apply(orientation="portrait", theme="normal")
    driver.settle()


def test_every_combination_is_drawn_to_its_own_file(app: StandInApp, tmp_path: Path) -> None:
    report = screenshots(Driver(app), app, lambda a: states(a, broken=True), combos(), tmp_path)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert report.done == 24 == len(names)  # 2 states × 2 locales × 3 themes × 2 orientations
    assert report.states == 3 and "home-zh-CN-elderly-landscape.png" in names
    # The broken state is reported for every combination, and did not stop the others.
    assert len(report.failures) == 12 and {f.state for f in report.failures} == {"broken"}
    assert "RuntimeError: this state is broken on purpose" in report.failures[0].error

    def img(state: str, locale: str, theme: str, orientation: str) -> Image.Image:
        return Image.open(tmp_path / f"{state}-{locale}-{theme}-{orientation}.png").convert("RGB")

    assert img("home", "en", "normal", "portrait").size == (1080, 1920)
    assert img("home", "en", "normal", "landscape").size == (1920, 1080)
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
    title_box = (60, 60, 1020, 180)
    assert zh.crop(title_box).tobytes() != en.crop(title_box).tobytes()
    # Each state shows its own screen: attract is one big tile, home is not.
    attract, home = img("attract", "en", "normal", "portrait"), img("home", "en", "normal", "portrait")
    assert attract.getpixel((540, 960)) != home.getpixel((540, 200))


def test_only_a_few_states(app: StandInApp, tmp_path: Path) -> None:
    report = screenshots(Driver(app), app, states, combos(["landscape"], ["contrast"], ["en"]),
                         tmp_path, only=["home"])
    assert [p.name for p in tmp_path.iterdir()] == ["home-en-contrast-landscape.png"]
    assert report.done == 1 and file_name("home", combos(["landscape"], ["contrast"], ["en"])[0]) == \
        "home-en-contrast-landscape.png"


def test_the_audit_finds_the_flaw_in_every_theme_and_orientation(app: StandInApp) -> None:
    app.flaw = True
    report = accessibility(Driver(app), app, states, combos())
    small = [v for v in report.violations if v.rule == "target-size"]
    # The flawed "book" tile is on the home screen only: 12 combinations.
    assert len(small) == 12 and {v.screen for v in small} == {"home"}
    assert {(v.theme, v.orientation, v.locale) for v in small} == {
        (c.theme, c.orientation, c.locale) for c in combos()}
    assert small[0].widget.startswith('Tile "') and small[0].value == 40.0 and small[0].minimum == 60.0


def test_the_audit_of_the_clean_stand_in_is_empty(app: StandInApp) -> None:
    report = accessibility(Driver(app), app, states, combos())
    assert report.done == 24
    assert [v.as_json() for v in report.violations] == []


def test_a_real_tap_through_the_x_server_changes_screen(app: StandInApp) -> None:
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
