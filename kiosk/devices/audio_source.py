"""Where the recogniser's audio comes from: the microphone (sounddevice) or a WAV file.

Both yield 16 kHz mono int16 chunks of 50 ms on the recogniser's capture thread until the
stop event is set. The microphone is opened for one push-to-talk turn and closed after it:
the kiosk never listens all the time. A WAV file (tests, `kiosk listen --wav`, benches) is
converted to 16 kHz mono if it is not, and can be paced in real time like a microphone.
"""

from __future__ import annotations

import threading
import time
import wave
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # numpy costs ~100 ms at import: loaded when audio is first handled
    import numpy as np

RATE = 16_000
CHUNK = RATE // 20  # 50 ms


class AudioUnavailable(Exception):
    """No audio can be captured (the message is the plain reason)."""


class AudioSource(Protocol):
    def check(self) -> str | None:
        """Why this source cannot deliver audio now, or None."""
        ...

    def chunks(self, stop: threading.Event) -> Iterator[bytes]: ...


def to_16k_mono(samples: np.ndarray, rate: int, channels: int) -> np.ndarray:
    """int16 samples at any rate and channel count → 16 kHz mono int16 (linear resampling)."""
    import numpy as np

    data = samples.reshape(-1, channels).mean(axis=1) if channels > 1 else samples.astype(np.float64)
    if rate != RATE and len(data):
        positions = np.arange(0, len(data), rate / RATE)
        data = np.interp(positions, np.arange(len(data)), data)
    out: np.ndarray = np.clip(np.round(data), -32768, 32767).astype(np.int16)
    return out


class WavFileSource:
    def __init__(self, path: Path, realtime: bool = False, tail_silence_s: float = 1.0) -> None:
        self.path = path
        self.realtime = realtime
        self.tail_silence_s = tail_silence_s

    def check(self) -> str | None:
        return None if self.path.exists() else f"no such WAV file: {self.path}"

    def load(self) -> bytes:
        import numpy as np

        try:
            with wave.open(str(self.path), "rb") as f:
                if f.getsampwidth() != 2:
                    raise AudioUnavailable(f"{self.path}: only 16-bit PCM WAV is supported")
                raw = np.frombuffer(f.readframes(f.getnframes()), dtype="<i2")
                audio = to_16k_mono(raw, f.getframerate(), f.getnchannels())
        except (wave.Error, EOFError, OSError) as exc:
            raise AudioUnavailable(f"{self.path}: {exc}") from exc
        silence = np.zeros(int(self.tail_silence_s * RATE), dtype=np.int16)
        return np.concatenate([audio, silence]).astype("<i2").tobytes()

    def chunks(self, stop: threading.Event) -> Iterator[bytes]:
        data = self.load()
        step = CHUNK * 2
        start = time.monotonic()
        for i, offset in enumerate(range(0, len(data), step)):
            if stop.is_set():
                return
            if self.realtime:
                ahead = start + i * CHUNK / RATE - time.monotonic()
                if ahead > 0:
                    time.sleep(ahead)
            yield data[offset:offset + step]


class MicrophoneSource:
    """sounddevice capture; `device` is a name or an index ('' = the default input)."""

    def __init__(self, device: str = "") -> None:
        self.device: str | int | None = int(device) if device.isdigit() else (device or None)

    def check(self) -> str | None:
        try:
            import sounddevice as sd
        except OSError as exc:  # sounddevice raises OSError when libportaudio is missing
            return f"no audio library: {exc} (apt install libportaudio2)"
        except ImportError:
            return "sounddevice is not installed"
        try:
            info = sd.query_devices(self.device, kind="input")
        except (sd.PortAudioError, ValueError) as exc:
            return f"no microphone ({exc})"
        if not info or int(info.get("max_input_channels", 0)) < 1:
            return "no microphone (the input device has no channels)"
        return None

    def chunks(self, stop: threading.Event) -> Iterator[bytes]:
        import sounddevice as sd

        try:
            with sd.RawInputStream(samplerate=RATE, channels=1, dtype="int16", blocksize=CHUNK,
                                   device=self.device) as stream:
                while not stop.is_set():
                    data, _overflowed = stream.read(CHUNK)
                    yield bytes(data)
        except sd.PortAudioError as exc:
            raise AudioUnavailable(f"microphone failed: {exc}") from exc
