"""`kiosk screenshots` and `kiosk a11y`: the real app, every catalogue state, one process.

Both start their own Xvfb when DISPLAY is unset (and stop it after), set Kivy's
environment before its first import, build the app as `kiosk run` does, and hand it to
`kiosk.ui.tools`. The window is full size at density 1 (1080×1920 / 1920×1080 px), so a
dp is a pixel and PNGs show exactly what a full-size kiosk shows; the Xvfb screen is
1920×1920 to hold either orientation. `screenshots --scale 0.5` sets Kivy's density to
0.5 instead: the app still lays out a 1080×1920 dp screen (its window is dp(1080)×dp(1920)
= 540×960 px), so the PNGs are the same layout at half the pixels. The audit always runs
at density 1: text metrics at full size are what a resident sees.

The app gets a fixed wall clock (Monday 23 Nov 2026, 10:00) so that booking days, slots
and dates are the same on every run and screenshots can be compared.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import datetime as dt
import json
import logging
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from kiosk.config import KioskConfig, load_config
from kiosk.ui.headless import DisplayError, kivy_environment, virtual_display

log = logging.getLogger(__name__)

ORIENTATION_NAMES = ("portrait", "landscape")
THEME_NAMES = ("normal", "elderly", "contrast")
#: The wall clock the tools' app sees: a Monday morning, so booking shows open days.
FIXED_NOW = dt.datetime(2026, 11, 23, 10, 0)


def configure_common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--only", action="append", default=[], metavar="GLOB",
                   help="only states whose name matches (repeatable), e.g. 'booking-*'")
    p.add_argument("--locale", action="append", default=[], help="only this locale (repeatable)")
    p.add_argument("--theme", action="append", default=[], choices=THEME_NAMES,
                   help="only this theme (repeatable)")
    p.add_argument("--orientation", action="append", default=[], choices=ORIENTATION_NAMES,
                   help="only this orientation (repeatable)")


def configure_screenshots(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", required=True, help="folder for <state>-<locale>-<theme>-<orientation>.png")
    p.add_argument("--scale", type=float, default=1.0,
                   help="pixels per dp (default 1: full-size PNGs); 0.5 draws the same layout at "
                        "half resolution, about 3× faster on a software-GL machine")
    configure_common(p)


def configure_a11y(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help='print {"violations": [...]} on stdout')
    configure_common(p)


def make_app(cfg: KioskConfig | None = None, *, theme: str = "normal", locale: str | None = None,
             orientation: str = "portrait", monotonic: Callable[[], float] | None = None,
             clock: Callable[[], dt.datetime] | None = None, speaker: Any = None) -> Any:
    """The kiosk app as `kiosk run --demo` builds it (virtual printer). Call after
    `kivy_environment()` and with a display. `speaker`: silent unless given (bench/voice.py
    gives it the real espeak-ng one)."""
    from kiosk.bootstrap import UiSettings, build_services
    from kiosk.ui.fonts import check_fonts

    cfg = cfg or load_config(None)
    cfg = dataclasses.replace(cfg, printer=dataclasses.replace(cfg.printer, kind="virtual"))
    settings = UiSettings.from_config(cfg)
    check_fonts(settings.font, settings.font_bold, settings.icon_font)
    from kiosk.devices.null_speech import SilentSpeaker

    # Silent: screenshots, the audit and the bench draw screens; no speech worker for that.
    # It "works" so that the speech bars show their keys (error-no-speaker shows the rest).
    services = build_services(cfg, settings=settings, clock=clock, monotonic=monotonic,
                              speaker=speaker or SilentSpeaker())
    from kiosk.app import KioskApp
    from kiosk.insight.usage import UsageRecorder

    # Screens drawn by a tool are not residents' visits: usage is followed, never queued.
    services.usage = UsageRecorder(None)

    return KioskApp(services, theme=theme, locale=locale, orientation=orientation)


@contextlib.contextmanager
def _session(cfg: KioskConfig, scale: float = 1.0) -> Iterator[tuple[Any, Any]]:
    """Display, Kivy, the app started frame by frame; closed (and Xvfb stopped) after."""
    if not 0.25 <= scale <= 1.0:
        raise ValueError(f"--scale must be between 0.25 and 1, not {scale}")
    kivy_environment(maxfps=0, density=scale)
    with virtual_display():
        from kiosk.ui.driver import Driver

        app = make_app(cfg, clock=lambda: FIXED_NOW)
        driver = Driver.start(app)
        try:
            yield app, driver
        finally:
            driver.close()


def _combos(args: argparse.Namespace, cfg: KioskConfig) -> Any:
    from kiosk.ui.driver import combos

    return combos(args.orientation or ORIENTATION_NAMES, args.theme or THEME_NAMES,
                  args.locale or cfg.locales)


def _report_failures(report: Any) -> None:
    for f in report.failures:
        print(f"state {f.state} ({f.combo.locale}, {f.combo.theme}, {f.combo.orientation}) "
              f"could not be shown: {f.error}", file=sys.stderr)


def run_screenshots(args: argparse.Namespace, cfg: KioskConfig | None = None) -> int:
    cfg = cfg or load_config(Path(args.config) if args.config else None)
    out = Path(args.out)
    try:
        with _session(cfg, args.scale) as (app, driver):
            from kiosk.ui.catalog import states
            from kiosk.ui.tools import screenshots

            report = screenshots(driver, app, states, _combos(args, cfg), out, only=args.only)
    except (DisplayError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    _report_failures(report)
    each = report.seconds / report.done * 1000 if report.done else 0.0
    combos = len(_combos(args, cfg))
    print(f"{report.done} screenshots ({report.states} states × {combos} locale/theme/orientation "
          f"combinations) in {report.seconds:.1f} s ({each:.0f} ms each) → {out}")
    return 1 if report.failures or not report.done else 0


def run_a11y(args: argparse.Namespace, cfg: KioskConfig | None = None) -> int:
    cfg = cfg or load_config(Path(args.config) if args.config else None)
    try:
        with _session(cfg) as (app, driver):
            from kiosk.ui.catalog import states
            from kiosk.ui.tools import accessibility

            report = accessibility(driver, app, states, _combos(args, cfg), only=args.only)
    except DisplayError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    _report_failures(report)
    violations = [v.as_json() for v in report.violations]
    if args.json:
        print(json.dumps({"violations": violations}, ensure_ascii=False, indent=1))
    else:
        for v in report.violations:
            print(f"{v.screen:<22} {v.locale:<5} {v.theme:<8} {v.orientation:<9} {v.rule:<14} "
                  f"{v.value:>8} < {v.minimum:<6} {v.widget}  {v.detail}")
    print(f"{len(violations)} violation(s) in {report.done} state views "
          f"({report.states} states) checked in {report.seconds:.1f} s", file=sys.stderr)
    return 1 if violations or report.failures or not report.done else 0
