"""Speech output: the Speaker port on pyttsx3 + espeak-ng, played by an interruptible player.

`say` returns at once: a speech thread renders the text to WAV in the worker process
(kiosk.devices.tts_render) and starts the player (`aplay` by default, a subprocess in its own
process group). A text not rendered before is spoken in two parts, its first sentence and
the rest: the first plays while the rest renders, so a long outcome starts speaking as soon
as a short one (`speech_chunks`). `stop`, and every new `say`, kill the player at once (SIGKILL to the group,
then a wait of a few milliseconds), so a touch silences the kiosk immediately. While the
player runs, the shared SpeechGate is set and the microphone ignores what it hears.

Without an audio device the player fails: the fault is recorded, `unavailable()` says why,
and rendering (the CLI's `--out`, the cache) still works.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import wave
from collections.abc import Callable
from pathlib import Path

from kiosk.config import KioskConfig
from kiosk.devices.speech_config import SpeechConfig, speech_config
from kiosk.devices.speech_gate import SpeechGate
from kiosk.devices.tts_render import RenderError, WorkerRenderer

__all__ = ["EspeakSpeaker", "Playback", "RenderError", "make_speaker"]
import contextlib

from kiosk.services.faults import FaultLog

log = logging.getLogger(__name__)

#: Where a sentence ends (Chinese and Western punctuation, a line break).
SENTENCE_END = re.compile(r"[。！？；!?;\n]|\.(?=\s)")
#: Texts up to this long render quickly enough whole (a few tens of milliseconds).
SHORT = 24


def speech_chunks(text: str) -> list[str]:
    """The text as [first sentence, the rest], or [text] when it is short or one sentence."""
    text = text.strip()
    if len(text) <= SHORT:
        return [text]
    for end in SENTENCE_END.finditer(text, 4):
        first, rest = text[:end.end()].strip(), text[end.end():].strip()
        if rest and first:
            return [first, rest]
        break
    return [text]


class Playback:
    """One player process; `kill` is idempotent and returns once the process is gone."""

    def __init__(self, command: list[str], on_end: Callable[[Playback, int | None, str], None]) -> None:
        self.killed = False
        self.started = time.monotonic()
        self.proc = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            start_new_session=True,
        )
        self._on_end = on_end
        threading.Thread(target=self._wait, name="tts-player", daemon=True).start()

    def _wait(self) -> None:
        _, err = self.proc.communicate()
        code = None if self.killed else self.proc.returncode
        lines = err.decode("utf-8", "replace").strip().splitlines()
        self._on_end(self, code, lines[-1][-200:] if lines else "")

    def kill(self) -> None:
        self.killed = True
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=2)


class EspeakSpeaker:
    """The Speaker port (kiosk.ports.Speaker), plus rate/volume steps and pre-rendering."""

    def __init__(
        self,
        config: SpeechConfig,
        faults: FaultLog | None = None,
        gate: SpeechGate | None = None,
        renderer: WorkerRenderer | None = None,
    ) -> None:
        self.config = config
        self.faults = faults
        self.gate = gate or SpeechGate()
        self.renderer = renderer or WorkerRenderer(config.cache_dir, faults)
        self.rate = config.rate
        self.volume = config.volume
        self._lock = threading.Condition()
        self._generation = 0
        self._pending: tuple[int, str, str] | None = None
        self._playing: Playback | None = None
        #: A later part of the text being spoken is still to play (the gate stays shut).
        self._more = False
        #: The generation whose player failed: its later parts stay silent.
        self._halted = -1
        self._no_output: str | None = None
        self._voice_fault = False
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="tts-speech", daemon=True)
        self._thread.start()

    # --- the port ----------------------------------------------------------------------

    def say(self, text: str, locale: str) -> None:
        """Speak `text` in `locale`'s voice, replacing whatever is playing."""
        if not text.strip() or not self.config.enabled:
            self.stop()
            return
        with self._lock:
            self._generation += 1
            self._pending = (self._generation, text, locale)
            playing, self._playing = self._playing, None
            self.gate.speaking(True)  # pending counts: the mic must not open in between
            self._lock.notify()
        if playing is not None:
            playing.kill()

    def stop(self) -> None:
        with self._lock:
            self._generation += 1
            self._pending = None
            self._more = False
            playing, self._playing = self._playing, None
            self._lock.notify_all()
        if playing is not None:
            playing.kill()
        self.gate.speaking(False)

    def reset(self) -> None:
        """Silence, default rate and volume, and forget what was rendered for this resident."""
        self.stop()
        self.rate = self.config.rate
        self.volume = self.config.volume
        self.renderer.forget_session()

    def unavailable(self) -> str | None:
        if not self.config.enabled:
            return "speech is switched off ([speech] enabled = false)"
        if shutil.which(self.config.player[0]) is None:
            return f"no audio player: {self.config.player[0]!r} is not installed (apt install alsa-utils)"
        return self.renderer.unavailable() or self._no_output

    # --- extras the UI may use -----------------------------------------------------------

    def speaking(self) -> bool:
        return self.gate.is_speaking

    def set_rate(self, wpm: int) -> None:
        self.rate = max(80, min(400, int(wpm)))

    @property
    def default_rate(self) -> int:
        """The configured rate the resident's steps go around and the idle wipe restores."""
        return self.config.rate

    @property
    def min_volume(self) -> float:
        """"Softer" stops one step above silence: a kiosk turned mute by a tap sounds broken."""
        return round(min(self.config.volume_step, self.config.volume), 2)

    def set_volume(self, volume: float) -> None:
        self.volume = round(max(0.0, min(1.0, volume)), 2)

    def louder(self) -> float:
        self.set_volume(self.volume + self.config.volume_step)
        return self.volume

    def softer(self) -> float:
        self.set_volume(max(self.min_volume, self.volume - self.config.volume_step))
        return self.volume

    def render(self, text: str, locale: str, fixed: bool = False) -> Path:
        """The WAV for `text` at the current rate and volume (RenderError if impossible)."""
        return self.renderer.render(text, self.voice_for(locale), self.rate, self.volume, fixed)

    def missing_voice(self, locale: str) -> str | None:
        """None when espeak-ng has `locale`'s voice; else the plain reason (starts the worker)."""
        voice = self.config.voice(locale)
        self.renderer.ensure_started()
        if self.renderer.unavailable() or not self.renderer.voices or voice in self.renderer.voices:
            return None  # no engine at all is unavailable()'s to say
        return (f"espeak-ng has no voice {voice!r} for {locale}; install the distribution's "
                "espeak-ng-data package")

    def voice_for(self, locale: str) -> str:
        """`locale`'s voice; Cantonese without its voice is read in Mandarin (the fault
        recorded once), never silence and never a worker killed by an unknown voice."""
        voice = self.config.voice(locale)
        if voice == self.config.voice("zh-CN") or voice == self.config.voice("en"):
            return voice
        if self.missing_voice(locale) is None:
            return voice
        if not self._voice_fault:
            self._voice_fault = True
            log.warning("no voice %s in espeak-ng: reading %s in Mandarin", voice, locale)
            if self.faults is not None:
                self.faults.record("tts", "voice_missing")
        return self.config.voice("zh-CN")

    def prerender(self, texts: list[tuple[str, str]]) -> int:
        """Render fixed prompts (text, locale) into the persistent cache; returns how many."""
        done = 0
        for text, locale in texts:
            try:
                self.render(text, locale, fixed=True)
                done += 1
            except RenderError:
                break
        return done

    def probe(self) -> str | None:
        """Play 50 ms of silence through the player: None when audio output works, else why."""
        with tempfile.TemporaryDirectory() as tmp:
            wav = Path(tmp) / "probe.wav"
            with wave.open(str(wav), "wb") as f:
                f.setnchannels(1)
                f.setsampwidth(2)
                f.setframerate(22050)
                f.writeframes(b"\0\0" * 1102)
            try:
                done = subprocess.run(self._command(wav), capture_output=True, timeout=5, check=False)
            except (OSError, subprocess.TimeoutExpired) as exc:
                reason = f"{type(exc).__name__}: {exc}"
            else:
                if done.returncode == 0:
                    self._no_output = None
                    return None
                lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
                reason = lines[-1][-200:] if lines else f"exit {done.returncode}"
        self._no_output = f"no audio output device ({reason})"
        if self.faults is not None:
            self.faults.record("tts", "no_audio_device")
        return self._no_output

    def close(self) -> None:
        self.stop()
        with self._lock:
            self._closed = True
            self._lock.notify()
        self.renderer.close()

    # --- the speech thread ---------------------------------------------------------------

    def _command(self, wav: Path) -> list[str]:
        return [part.replace("{wav}", str(wav)) for part in self.config.player]

    def _run(self) -> None:
        while True:
            with self._lock:
                while self._pending is None and not self._closed:
                    self._lock.wait()
                if self._closed:
                    return
                assert self._pending is not None
                generation, text, locale = self._pending
                self._pending = None
            whole = self.renderer.cached(text, self.voice_for(locale), self.rate, self.volume)
            parts = [text] if whole is not None else speech_chunks(text)
            for index, part in enumerate(parts):
                if not self._speak_part(generation, part, locale, last=index == len(parts) - 1):
                    break

    def _speak_part(self, generation: int, text: str, locale: str, *, last: bool) -> bool:
        """Render one part, wait for the part before it to finish, play it. False: stop here
        (stopped, replaced, or speech failed)."""
        try:
            wav = self.render(text, locale)
        except Exception as exc:  # RenderError, or a bug: never let the speech thread die
            log.warning("not spoken: %s", exc)
            with self._lock:
                if generation == self._generation:
                    self._more = False
                    if self._playing is None:
                        self.gate.speaking(False)
            return False
        with self._lock:
            while generation == self._generation and self._playing is not None and not self._closed:
                self._lock.wait(0.05)
            if generation != self._generation or self._closed or self._halted == generation:
                return False  # stopped or replaced while rendering, or the player failed
            self._more = not last
            try:
                self._playing = Playback(self._command(wav), self._ended)
            except OSError as exc:
                self._more = False
                self.gate.speaking(False)
                self._player_failed(f"{type(exc).__name__}: {exc}")
                return False
        return True

    def _ended(self, playback: Playback, code: int | None, err: str) -> None:
        with self._lock:
            current = self._playing is playback
            if current:
                self._playing = None
                if code not in (0, None):
                    self._halted, self._more = self._generation, False
                if not self._more:
                    self.gate.speaking(False)
            self._lock.notify_all()
        if code == 0:
            self._no_output = None  # e.g. a USB speaker plugged in after a failed probe
        elif code is not None:
            self._player_failed(err or f"exit {code}")

    def _player_failed(self, reason: str) -> None:
        first = self._no_output is None
        self._no_output = f"no audio output device ({reason})"
        if first:
            log.warning("audio player failed: %s", reason)
            if self.faults is not None:
                self.faults.record("tts", "playback_failed")


def make_speaker(cfg: KioskConfig, faults: FaultLog | None = None, gate: SpeechGate | None = None,
                 probe: bool = True, start: bool = True) -> EspeakSpeaker:
    """The speaker for this kiosk: worker started, audio output probed (faults recorded).

    Always returns a speaker; when it cannot speak, `unavailable()` says why and `say` is
    silent, so the caller needs no special case. `start=False` leaves starting the worker
    to the caller (it takes about 0.2 s; the first `say` starts it otherwise).
    """
    speaker = EspeakSpeaker(speech_config(cfg), faults, gate)
    if speaker.config.enabled:
        if start:
            speaker.renderer.start()
        if probe and shutil.which(speaker.config.player[0]) is not None:
            speaker.probe()
    return speaker
