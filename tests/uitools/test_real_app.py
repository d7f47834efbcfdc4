"""The tools on the real kiosk app: the CLI in a fresh process, and a frame read back after
an orientation switch. Which violations the audit finds is the screens' business; here
the output must be complete, well-formed and agree with the exit code."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from PIL import Image

KEYS = {"screen", "theme", "orientation", "locale", "widget", "rule", "value", "minimum", "detail"}
RULES = {"target-size", "text-size", "line-height", "contrast", "text-clipped", "outside-window",
         "target-overlap"}


def kiosk(*args: str, display: bool = True) -> subprocess.CompletedProcess[str]:
    # A clean Kivy environment: not the one another suite set for this process.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KIVY_", "KCFG_"))}
    if not display:
        env.pop("DISPLAY", None)
    return subprocess.run([sys.executable, "-m", "kiosk", *args], capture_output=True, text=True,
                          env=env, timeout=300)


def test_a11y_json_on_the_real_app_is_complete_and_matches_the_exit_code() -> None:
    proc = kiosk("a11y", "--json", "--only", "home", "--only", "flow-choice", "--theme", "contrast",
                 "--locale", "zh-CN")
    report = json.loads(proc.stdout)
    assert list(report) == ["violations"]
    for v in report["violations"]:
        assert set(v) == KEYS and v["rule"] in RULES and v["theme"] == "contrast"
        assert v["screen"] in ("home", "flow-choice") and v["orientation"] in ("portrait", "landscape")
        assert isinstance(v["value"], int | float) and isinstance(v["minimum"], int | float)
    assert proc.returncode == (1 if report["violations"] else 0), proc.stderr[-2000:]
    assert "4 state views (2 states)" in proc.stderr


def test_screenshots_of_the_real_app_with_its_own_xvfb(tmp_path: Path) -> None:
    proc = kiosk("screenshots", "--out", str(tmp_path), "--only", "attract", "--only", "home",
                 "--locale", "en", "--theme", "elderly", display=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["attract-en-elderly-landscape.png", "attract-en-elderly-portrait.png",
                     "home-en-elderly-landscape.png", "home-en-elderly-portrait.png"]
    for name, size in (("home-en-elderly-landscape.png", (1920, 1080)),
                       ("home-en-elderly-portrait.png", (1080, 1920))):
        with Image.open(tmp_path / name) as image:
            assert image.size == size
    # The first landscape frame after the portrait ones: the attract screen's four corners
    # are its plain background. Read back before the GL buffers had followed the window's
    # new size, the right side was stale memory from the portrait frames.
    with Image.open(tmp_path / "attract-en-elderly-landscape.png") as image:
        frame = image.convert("RGB")
    corners = {frame.getpixel((x, y)) for x in (3, 1916) for y in (3, 1076)}
    assert len(corners) == 1, corners
    assert "4 screenshots (2 states × 2 locale/theme/orientation combinations)" in proc.stdout



MUTANT = """
import collections, dataclasses, json
from kiosk.ui.headless import kivy_environment, virtual_display
kivy_environment(maxfps=0, density=1.0)
with virtual_display():
    import kiosk.ui.theme as theme
    # A high-contrast theme gone wrong: grey text on black, body text 12 dp.
    theme.THEMES["contrast"] = dataclasses.replace(
        theme.THEMES["contrast"], text=(0.35, 0.35, 0.35, 1.0), body=12.0)
    from kiosk.ui.catalog import states
    from kiosk.ui.driver import Driver, combos
    from kiosk.ui.tools import accessibility
    from kiosk.ui.tools_cli import FIXED_NOW, make_app
    app = make_app(clock=lambda: FIXED_NOW)
    driver = Driver.start(app)
    report = accessibility(driver, app, states, combos(["portrait"], ["contrast"], ["en"]), only=["topics"])
    print(json.dumps(collections.Counter(v.rule for v in report.violations)))
    driver.close()
"""


def test_the_audit_catches_a_broken_theme_on_the_real_screens() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KIVY_", "KCFG_"))}
    proc = subprocess.run([sys.executable, "-c", MUTANT], capture_output=True, text=True, env=env,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    rules = json.loads(proc.stdout.strip().splitlines()[-1])
    assert rules.get("contrast", 0) > 0 and rules.get("text-size", 0) > 0, rules
