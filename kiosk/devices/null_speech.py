"""Speech adapters for a kiosk without speech: they say why, and do nothing else.

Used until a real text-to-speech / recogniser adapter is configured; the UI hides the
microphone or explains it, and the read-aloud toggle says speech is unavailable.
"""

from __future__ import annotations

from collections.abc import Callable


class NullSpeaker:
    def __init__(self, reason: str = "no speech output configured") -> None:
        self.reason = reason

    def say(self, text: str, locale: str) -> None:
        return None

    def stop(self) -> None:
        return None

    def reset(self) -> None:
        return None

    def unavailable(self) -> str | None:
        return self.reason


class NullRecognizer:
    def __init__(self, reason: str = "no speech model installed") -> None:
        self.reason = reason

    def listen(self, phrases: list[str] | None, locale: str, on_text: Callable[[str], None]) -> None:
        on_text("")

    def stop(self) -> None:
        return None

    def unavailable(self) -> str | None:
        return self.reason
