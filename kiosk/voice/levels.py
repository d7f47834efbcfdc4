"""Slower / faster and softer / louder for one resident: a few steps around the kiosk's
configured speech rate and volume. No Kivy.

The steps are a short ladder, not a free slider: an elderly resident taps "slower" once or
twice and hears the difference; the bench and the heartbeat see the same few values. Both
go back to the configured defaults at the idle wipe (`Speaker.reset`). A speaker without
rate or volume (the null adapter) simply has no steps: every `can_*` is False.
"""

from __future__ import annotations

from typing import Any

#: Rate steps as offsets from the configured rate, in words a minute: with the default of
#: 150 wpm for Mandarin that is 110 / 130 / 150 / 170. More steps slower than faster: the
#: people who change it are mostly older listeners for whom espeak-ng is too quick.
RATE_OFFSETS = (-40, -20, 0, 20)
#: espeak-ng's usable range (kiosk.devices.tts clamps to the same).
RATE_MIN, RATE_MAX = 80, 400
_EPS = 1e-6


def rate_ladder(default: int) -> tuple[int, ...]:
    """The rates a resident can step through, slowest first, clamped and without repeats."""
    return tuple(sorted({max(RATE_MIN, min(RATE_MAX, default + offset)) for offset in RATE_OFFSETS}))


class SpeechLevels:
    """Reads and steps the rate and volume of a speaker that has them (duck-typed: `rate`,
    `default_rate`, `set_rate`, `volume`, `louder`, `softer`, optional `min_volume`)."""

    def __init__(self, speaker: Any) -> None:
        self.speaker = speaker

    # --- rate ------------------------------------------------------------------------------

    def rate(self) -> int | None:
        value = getattr(self.speaker, "rate", None)
        return int(value) if isinstance(value, int | float) else None

    def ladder(self) -> tuple[int, ...]:
        default = getattr(self.speaker, "default_rate", None)
        if not isinstance(default, int | float) or not callable(getattr(self.speaker, "set_rate", None)):
            return ()
        return rate_ladder(int(default))

    def can_slower(self) -> bool:
        return self._next_rate(-1) is not None

    def can_faster(self) -> bool:
        return self._next_rate(1) is not None

    def slower(self) -> int | None:
        """One step slower; the new rate (None: already the slowest, or no rate here)."""
        return self._step_rate(-1)

    def faster(self) -> int | None:
        return self._step_rate(1)

    def _next_rate(self, direction: int) -> int | None:
        current, ladder = self.rate(), self.ladder()
        if current is None or not ladder:
            return None
        options = [r for r in ladder if (r < current if direction < 0 else r > current)]
        if not options:
            return None
        return max(options) if direction < 0 else min(options)

    def _step_rate(self, direction: int) -> int | None:
        target = self._next_rate(direction)
        if target is not None:
            self.speaker.set_rate(target)
        return target

    # --- volume ----------------------------------------------------------------------------

    def volume(self) -> float | None:
        value = getattr(self.speaker, "volume", None)
        return float(value) if isinstance(value, int | float) else None

    def can_louder(self) -> bool:
        volume = self.volume()
        steps = callable(getattr(self.speaker, "louder", None))
        return volume is not None and steps and volume < 1.0 - _EPS

    def can_softer(self) -> bool:
        volume = self.volume()
        floor = float(getattr(self.speaker, "min_volume", 0.0))
        steps = callable(getattr(self.speaker, "softer", None))
        return volume is not None and steps and volume > floor + _EPS

    def louder(self) -> float | None:
        """One step louder; the new volume 0..1 (None: already the loudest, or no volume)."""
        return float(self.speaker.louder()) if self.can_louder() else None

    def softer(self) -> float | None:
        return float(self.speaker.softer()) if self.can_softer() else None
