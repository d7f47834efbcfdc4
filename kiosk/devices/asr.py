"""Speech input: the Recognizer port on vosk 0.3.45, push-to-talk, grammar per screen.

The model comes from an explicit folder ([speech] model); vosk's `Model(lang=...)` would
download one, which a kiosk must never do. It is loaded once, in the background, at start.
Each `listen` opens the audio source on a capture thread, feeds vosk, and ends on the end
of speech (vosk's endpoint or `silence_s` without new words), when nothing is said for
`no_speech_s`, after `max_listen_s`, or on `stop()` (the second tap: what was said so far
counts). While the SpeechGate says the kiosk is speaking, audio is dropped: the mic is muted.

The phrases of a screen become a vosk grammar: each phrase split into words the model
knows (longest match against its vocabulary; unknown characters dropped), plus "[unk]" so
that anything else is not forced onto a phrase. Without a model, a microphone or
libportaudio, `unavailable()` says why (naming the config key), the fault is recorded, and
the kiosk works by touch.
"""

from __future__ import annotations

import json
import logging
import re
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, Protocol

from kiosk.config import KioskConfig
from kiosk.devices.audio_source import RATE, AudioSource, AudioUnavailable, MicrophoneSource
from kiosk.devices.speech_config import MODEL_KEY, SpeechConfig, speech_config
from kiosk.devices.speech_gate import SpeechGate
from kiosk.devices.vosk_model import ModelInfo, inspect_model
from kiosk.services.faults import FaultLog

log = logging.getLogger(__name__)

MAX_WORD = 6  # longest vocabulary word tried when splitting a Chinese phrase


class VoskModel(Protocol):
    def vosk_model_find_word(self, word: str) -> int: ...


class VoskRecognizerLike(Protocol):
    """What we use of vosk.KaldiRecognizer (vosk's method names)."""

    def AcceptWaveform(self, data: bytes) -> int: ...
    def Result(self) -> str: ...
    def PartialResult(self) -> str: ...
    def FinalResult(self) -> str: ...


def load_vosk_model(path: Path) -> VoskModel:
    import vosk

    vosk.SetLogLevel(-2)  # errors only: warnings and model-loading chatter are not for the journal
    model: VoskModel = vosk.Model(model_path=str(path))  # explicit path: never a download
    return model


def new_vosk_recognizer(model: VoskModel, rate: int, grammar: str | None) -> VoskRecognizerLike:
    import vosk

    if grammar is None:
        return vosk.KaldiRecognizer(model, rate)  # type: ignore[no-any-return]
    return vosk.KaldiRecognizer(model, rate, grammar)  # type: ignore[no-any-return]


_TOKEN = re.compile(r"[\w']+")
_HAN = re.compile(r"[\u3400-\u9fff]")


def split_known(phrase: str, known: Callable[[str], bool]) -> list[str]:
    """A phrase as words the model knows: English by words, Chinese by longest match.

    Punctuation separates; an English word the model lacks is dropped whole (never spelt
    out letter by letter); a Han character it lacks is dropped alone."""
    words: list[str] = []
    for token in _TOKEN.findall(phrase.lower()):
        if known(token):
            words.append(token)
            continue
        if not _HAN.search(token):
            continue
        i = 0
        while i < len(token):
            for size in range(min(MAX_WORD, len(token) - i), 0, -1):
                if known(token[i:i + size]):
                    words.append(token[i:i + size])
                    i += size
                    break
            else:
                i += 1  # a character the model cannot say: leave it out
    return words


def grammar_json(phrases: Iterable[str], model: VoskModel) -> str:
    """The screen's phrases as a vosk grammar, with "[unk]" when the model has that word.

    (vosk-model-small-cn has it; the Korean model on PyPI does not, and vosk would warn
    and drop it.) Without it, speech outside the phrases is still rarely forced onto one:
    noise and silence come back empty (tests/integration/test_vosk_real.py)."""
    def known(word: str) -> bool:
        return model.vosk_model_find_word(word) >= 0

    seen: dict[str, None] = {}
    for phrase in phrases:
        words = split_known(phrase, known)
        if words:
            seen[" ".join(words)] = None
    unk = ["[unk]"] if known("[unk]") else []
    return json.dumps([*seen, *unk], ensure_ascii=False)


def _text(result: str, key: str = "text") -> str:
    try:
        text = str(json.loads(result).get(key, ""))
    except (ValueError, AttributeError):
        return ""
    return " ".join(w for w in text.split() if w != "[unk]")


class VoskRecognizer:
    """The Recognizer port (kiosk.ports.Recognizer)."""

    def __init__(
        self,
        config: SpeechConfig,
        faults: FaultLog | None = None,
        gate: SpeechGate | None = None,
        source: AudioSource | None = None,
        load_model: Callable[[Path], VoskModel] | None = None,
        new_recognizer: Callable[[VoskModel, int, str | None], VoskRecognizerLike] | None = None,
    ) -> None:
        self.config = config
        self.faults = faults
        self.gate = gate or SpeechGate()
        self.source = source or MicrophoneSource(config.microphone)
        self._load_model = load_model or load_vosk_model
        self._new_recognizer = new_recognizer or new_vosk_recognizer
        self._model: VoskModel | None = None
        self.model_info: ModelInfo | None = None  # set once the model has loaded
        self._model_error: str | None = None
        self._loaded = threading.Event()
        self._lock = threading.Lock()
        self._stop: threading.Event | None = None
        self._thread: threading.Thread | None = None
        self._source_error: str | None = None
        self._loading = False
        self._mic = threading.Lock()

    # --- model ------------------------------------------------------------------------

    def _fault(self, code: str) -> None:
        log.warning("speech input fault: %s", code)
        if self.faults is not None:
            self.faults.record("asr", code)

    def start(self, wait: bool = False) -> None:
        """Load the model in the background (a small model takes a second or two)."""
        model = self.config.model
        if model is None or not model.is_dir() or not self.config.enabled or self._loaded.is_set():
            self._loaded.set()
            return
        with self._lock:
            if not self._loading:
                self._loading = True
                threading.Thread(target=self._load, name="asr-model", daemon=True).start()
        if wait:
            self._loaded.wait()

    def _load(self) -> None:
        path = self.config.model
        assert path is not None
        info = inspect_model(path)
        try:
            if info.problem:
                self._model_error = (f"speech model cannot be loaded from {path} ({info.problem}); "
                                     f"check {MODEL_KEY}")
                self._fault(info.fault or "model_invalid")
                return
            try:
                self._model = self._load_model(path)
                self.model_info = info
            except Exception as exc:  # vosk raises a bare Exception("Failed to create a model")
                self._model_error = (f"speech model cannot be loaded from {path} (vosk cannot read "
                                     f"its files: {exc}; the folder is damaged or not a vosk model); "
                                     f"check {MODEL_KEY}")
                self._fault("model_failed")
        finally:
            self._loaded.set()

    def model_summary(self) -> str | None:
        """The loaded model for staff ("vosk-model-small-cn-0.22 (Chinese, 42 MB)"), or None."""
        return self.model_info.summary() if self.model_info is not None else None

    def unavailable(self) -> str | None:
        if not self.config.enabled:
            return "speech is switched off ([speech] enabled = false)"
        if self.config.model is None:
            return f"no speech model: set {MODEL_KEY} to a vosk model folder"
        if not self.config.model.is_dir():
            return f"no speech model at {self.config.model}: check {MODEL_KEY}"
        if self._loaded.is_set() and self._model is None:
            return self._model_error or f"speech model not loaded; check {MODEL_KEY}"
        return self._source_error or self.source.check()

    # --- listening ---------------------------------------------------------------------

    def listen(self, phrases: list[str] | None, locale: str, on_text: Callable[[str], None]) -> None:
        """Start a turn on a capture thread; returns at once (a previous turn is stopped)."""
        self.stop()
        reason = self.unavailable()
        if reason:
            log.info("not listening: %s", reason)
            on_text("")
            return
        stop = threading.Event()
        thread = threading.Thread(target=self._capture, args=(phrases, on_text, stop),
                                  name="asr-capture", daemon=True)
        with self._lock:
            self._stop, self._thread = stop, thread
        thread.start()

    def stop(self) -> None:
        """End the current turn (the second tap); what was heard so far is delivered.

        Never blocks: it is called from the UI thread on every touch. The capture thread
        notices within one 50 ms chunk and closes the microphone.
        """
        with self._lock:
            stop = self._stop
        if stop is not None:
            stop.set()

    def wait(self, timeout: float | None = None) -> None:
        """Block until the current turn is over (CLI, tests, bench)."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)

    def _capture(self, phrases: list[str] | None, on_text: Callable[[str], None],
                 stop: threading.Event) -> None:
        text = ""
        try:
            # One turn at a time holds the microphone: a new turn waits for the last one
            # to close it (a device opened twice fails on many sound cards).
            with self._mic:
                text = self._recognise(phrases, stop)
        except AudioUnavailable as exc:
            self._source_error = str(exc)
            self._fault("microphone_failed")
        except Exception:
            log.exception("recognition failed")
            self._fault("recognizer_error")
        finally:
            try:
                on_text(text)
            except Exception:
                log.exception("on_text handler failed")

    def _recognise(self, phrases: list[str] | None, stop: threading.Event) -> str:
        self._loaded.wait()
        model = self._model
        assert model is not None
        grammar = grammar_json(phrases, model) if phrases is not None else None
        rec = self._new_recognizer(model, RATE, grammar)
        # The mic opens once the kiosk has finished its prompt (or the prompt was cut).
        while self.gate.is_speaking and not stop.is_set():
            self.gate.wait_quiet(0.05)
        chunks = self.source.chunks(stop)
        try:
            return self._decode(rec, chunks)
        finally:
            close = getattr(chunks, "close", None)
            if close is not None:
                close()  # closes the microphone stream before the result is delivered

    def _decode(self, rec: VoskRecognizerLike, chunks: Iterator[bytes]) -> str:
        cfg = self.config
        heard_audio = 0.0  # seconds of audio fed while not muted
        spoke_at: float | None = None  # audio time of the last new partial words
        last_partial = ""
        for chunk in chunks:
            if self.gate.is_speaking:
                continue  # muted: never hear ourselves
            heard_audio += len(chunk) / 2 / RATE
            if rec.AcceptWaveform(chunk):
                text = _text(rec.Result())
                if text:
                    return text
                last_partial, spoke_at = "", None  # noise only: keep listening
            else:
                partial = _text(rec.PartialResult(), "partial")
                if partial and partial != last_partial:
                    last_partial, spoke_at = partial, heard_audio
            if spoke_at is None and heard_audio >= cfg.no_speech_s:
                return ""
            if spoke_at is not None and heard_audio - spoke_at >= cfg.silence_s:
                break
            if heard_audio >= cfg.max_listen_s:
                break
        return _text(rec.FinalResult())


def make_recognizer(cfg: KioskConfig, faults: FaultLog | None = None, gate: SpeechGate | None = None,
                    source: AudioSource | None = None, **kwargs: Any) -> VoskRecognizer:
    """The recognizer for this kiosk; the model starts loading in the background.

    Always returns a recognizer; when it cannot work, `unavailable()` says why and the
    reason is recorded once as a fault for the health report.
    """
    recognizer = VoskRecognizer(speech_config(cfg), faults, gate, source, **kwargs)
    recognizer.start()
    reason = recognizer.unavailable()
    if reason and recognizer.config.enabled:
        code = "no_model" if "model" in reason else "no_microphone"
        if faults is not None:
            faults.record("asr", code)
        log.warning("speech input off: %s", reason)
    return recognizer
