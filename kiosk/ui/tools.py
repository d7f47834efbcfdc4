"""Every state of the app in every orientation, theme and language: drawn to PNG files
(`kiosk screenshots`) or checked against the accessibility rules (`kiosk a11y`).

One process, one window: the app switches theme, locale and orientation at run time
(`app.apply`), each catalogue state is shown, the layout settles, one frame is drawn.
PNG encoding (zlib, GIL released) runs on a thread pool while the next frame draws.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

from PIL import Image

from kiosk.a11y import Violation, limits_for, stamp
from kiosk.ui.audit import audit
from kiosk.ui.driver import Combo, Driver, KioskAppLike, UiStateLike

log = logging.getLogger(__name__)

StatesOf = Callable[[Any], Sequence[UiStateLike]]  # the real catalogue takes a KioskApp


@dataclass
class Failure:
    combo: Combo
    state: str
    error: str


@dataclass
class RunReport:
    """What a pass over the states did: counts, time, states that could not be shown."""

    done: int = 0
    seconds: float = 0.0
    states: int = 0
    failures: list[Failure] = field(default_factory=list)
    violations: list[Violation] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)


def file_name(state: str, combo: Combo) -> str:
    return f"{state}-{combo.locale}-{combo.theme}-{combo.orientation}.png"


def _each_state(driver: Driver, app: KioskAppLike, states_of: StatesOf, combos: Sequence[Combo],
                only: Sequence[str], report: RunReport) -> Iterator[tuple[Combo, str]]:
    """Put the app into each (combo, state) in turn and let it settle; yield after each."""
    names: set[str] = set()
    for combo in combos:
        app.apply(theme=combo.theme, locale=combo.locale, orientation=combo.orientation)
        # Drawn and swapped frames: Mesa's software GL resizes its buffers at a swap, and a
        # frame read back before that has the old width (the rest is stale memory).
        driver.settle(draw=True)
        driver.expect_orientation(combo.orientation)
        for state in states_of(app):
            if only and not any(fnmatch(state.name, pattern) for pattern in only):
                continue
            names.add(state.name)
            try:
                state.show()
                driver.settle(draw=False)
            except Exception as exc:  # one broken state must not hide all the others
                log.exception("state %s (%s) could not be shown", state.name, combo)
                report.failures.append(Failure(combo, state.name, f"{type(exc).__name__}: {exc}"))
                continue
            yield combo, state.name
    report.states = len(names)


def _save(image: Image.Image, path: Path) -> Path:
    image.save(path, format="PNG", compress_level=1)  # flat UI colours: small even at level 1
    return path


def screenshots(driver: Driver, app: KioskAppLike, states_of: StatesOf, combos: Sequence[Combo],
                out: Path, *, only: Sequence[str] = ()) -> RunReport:
    """Draw every state to `out/<state>-<locale>-<theme>-<orientation>.png`."""
    out.mkdir(parents=True, exist_ok=True)
    report = RunReport()
    started = time.perf_counter()
    pending: list[Future[Path]] = []
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="png") as pool:
        for combo, name in _each_state(driver, app, states_of, combos, only, report):
            image = driver.capture()
            pending.append(pool.submit(_save, image, out / file_name(name, combo)))
            report.done += 1
        report.files = [f.result() for f in pending]
    report.seconds = time.perf_counter() - started
    return report


def accessibility(driver: Driver, app: KioskAppLike, states_of: StatesOf, combos: Sequence[Combo],
                  *, only: Sequence[str] = ()) -> RunReport:
    """Check every state against the rules of its theme."""
    report = RunReport()
    started = time.perf_counter()
    for combo, name in _each_state(driver, app, states_of, combos, only, report):
        found = audit(limits_for(combo.theme), driver.window)
        report.violations.extend(stamp(found, screen=name, theme=combo.theme,
                                       orientation=combo.orientation, locale=combo.locale))
        report.done += 1
    report.seconds = time.perf_counter() - started
    return report
