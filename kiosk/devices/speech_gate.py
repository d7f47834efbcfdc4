"""One small object the speaker and the microphone share: the mic is muted while we speak.

The speaker sets it around playback; the recognizer drops microphone audio while it is
set and starts its no-speech timer only once it clears, so the kiosk never hears itself.
"""

from __future__ import annotations

import threading


class SpeechGate:
    def __init__(self) -> None:
        self._quiet = threading.Event()
        self._quiet.set()

    def speaking(self, on: bool) -> None:
        if on:
            self._quiet.clear()
        else:
            self._quiet.set()

    @property
    def is_speaking(self) -> bool:
        return not self._quiet.is_set()

    def wait_quiet(self, timeout: float | None = None) -> bool:
        """Block until nothing is playing; False if still speaking after `timeout`."""
        return self._quiet.wait(timeout)
