"""The tools' own virtual display: started on a free display when none is set, gone after."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kiosk.ui.headless import DisplayError, virtual_display


def test_a_fresh_xvfb_when_no_display_is_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    with virtual_display() as display:
        assert display.startswith(":") and os.environ["DISPLAY"] == display
        socket = Path(f"/tmp/.X11-unix/X{display[1:]}")
        assert socket.exists()
    assert "DISPLAY" not in os.environ
    assert not socket.exists(), "Xvfb should be stopped and its socket removed"


def test_an_existing_display_is_used_as_it_is(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DISPLAY", ":4242")
    with virtual_display() as display:
        assert display == ":4242"
    assert os.environ["DISPLAY"] == ":4242"


def test_a_clear_error_without_xvfb(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(DisplayError, match="install the Debian package `xvfb`"), virtual_display():
        pass
