"""Slow work (printing, the desk, speech input) off the UI thread; results back on it."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from kivy.clock import Clock

log = logging.getLogger(__name__)
T = TypeVar("T")

_pending: list[threading.Thread] = []
_inline = threading.local()


@contextmanager
def inline() -> Iterator[None]:
    """Within this block, run_async runs the work at once on this thread (the catalogue)."""
    _inline.on = True
    try:
        yield
    finally:
        _inline.on = False


def run_async(work: Callable[[], T], done: Callable[[T | None, BaseException | None], None]) -> None:
    """Run `work` in a thread; call `done(result, error)` on the UI thread afterwards."""
    if getattr(_inline, "on", False):
        try:
            value = work()
        except Exception as exc:
            done(None, exc)
            return
        done(value, None)
        return

    def body() -> None:
        result: Any = None
        error: BaseException | None = None
        try:
            result = work()
        except Exception as exc:  # handed to the screen, which shows a plain message
            # The type only: an exception's text may carry what a resident entered.
            log.warning("background task failed: %s", type(exc).__name__)
            error = exc
        Clock.schedule_once(lambda _dt: done(result, error), 0)

    thread = threading.Thread(target=body, daemon=True, name="kiosk-worker")
    _pending.append(thread)
    thread.start()


def busy() -> bool:
    """True while a worker thread still runs (tests wait on this, then on the clock)."""
    _pending[:] = [t for t in _pending if t.is_alive()]
    return bool(_pending)
