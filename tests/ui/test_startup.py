"""Start-up after the first frame (kiosk/ui/startup.py): the other screens are built, the
services warmed, the font faces opened and the hidden screens drawn once, then memory is
collected and frozen and `app.ready` says so, all while the attract screen waits."""

from __future__ import annotations

import gc
import time

from tests.ui.conftest import Driver


def test_start_up_builds_every_screen_then_settles_memory_and_says_ready(ui: Driver) -> None:
    from kiosk.app import SCREENS

    app = ui.app
    deadline = time.monotonic() + 60
    while not app.ready:  # a few seconds when this is the first test of the process
        assert time.monotonic() < deadline, "start-up did not finish within 60 s"
        ui.frames(1)
        time.sleep(0.01)
    assert [name for name, _module, _cls in SCREENS if name not in app.screens] == []  # `in` builds none
    assert gc.get_freeze_count() > 0  # what start-up left is out of Python's full collections
    assert app.root.current == "attract"
