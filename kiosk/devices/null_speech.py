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


class SteppedLevels:
    """Rate and volume steps as the espeak-ng speaker has them (kiosk.devices.tts), for the
    speakers that play nothing: the silent one below and the tests' fake."""

    def __init__(self, rate: int = 150, volume: float = 0.8, volume_step: float = 0.2) -> None:
        self.default_rate, self.default_volume, self.volume_step = rate, volume, volume_step
        self.min_volume = min(volume_step, volume)
        self.rate, self.volume = rate, volume

    def reset_levels(self) -> None:
        self.rate, self.volume = self.default_rate, self.default_volume

    def set_rate(self, wpm: int) -> None:
        self.rate = int(wpm)

    def louder(self) -> float:
        self.volume = round(min(1.0, self.volume + self.volume_step), 2)
        return self.volume

    def softer(self) -> float:
        self.volume = round(max(self.min_volume, self.volume - self.volume_step), 2)
        return self.volume


class SilentSpeaker(SteppedLevels, NullSpeaker):
    """Works, but plays nothing: the UI tools (screenshots, the accessibility audit, the UI
    bench) draw the screens of a kiosk whose speaker works, with the rate and volume steps of
    the real one (kiosk.devices.tts), without starting a speech worker."""

    def __init__(self, rate: int = 150, volume: float = 0.8, volume_step: float = 0.2) -> None:
        SteppedLevels.__init__(self, rate, volume, volume_step)
        NullSpeaker.__init__(self, "")

    def unavailable(self) -> str | None:
        return None

    def reset(self) -> None:
        self.reset_levels()
