"""Cantonese read-aloud through the real espeak-ng: screens rendered with sit/yue (WAVs of a
plausible length, not the Mandarin audio), no screen spelled in English, `kiosk say --lang
yue` as a process, and a kiosk whose espeak-ng lacks the voice (Mandarin, a fault, a plain
message) -- simulated with ESPEAK_DATA_PATH pointing at espeak-ng's data minus sit/yue."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.content.bundle import load_bundle
from kiosk.devices.speech_config import VOICES, SpeechConfig
from kiosk.devices.tts import EspeakSpeaker
from kiosk.devices.tts_render import WorkerRenderer
from kiosk.flows.engine import FlowEngine
from kiosk.services.faults import FaultLog
from kiosk.ui.i18n import Translator
from kiosk.voice.spoken import screen_speech, speakable
from tests.conftest import CONTENT, LOCALITY, TODAY
from tests.integration.test_tts import duration, loudness
from tests.integration.test_voice_cli import kiosk, write_config

HOME = ("What do you need?", "Read aloud in Mandarin, Cantonese or English.", "Legal questions",
        "Search", "Book an appointment", "Take a queue number", "Call staff")
HOURS = "示范县公共法律服务中心，周一至周五 9:00-17:00，电话0000-1234502。法律援助热线12348。"


def _data_dir() -> Path:
    out = subprocess.run(["espeak-ng", "--version"], capture_output=True, text=True, check=True).stdout
    return Path(out.split("Data at:")[1].strip())


@pytest.fixture(scope="module")
def renderer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WorkerRenderer]:
    r = WorkerRenderer(tmp_path_factory.mktemp("speech"), None)
    yield r
    r.close()


@pytest.fixture(scope="module")
def screens() -> list[str]:
    """The first screen of every flow, in Chinese, as the kiosk would speak it."""
    bundle, _ = load_bundle(CONTENT, LOCALITY)
    assert bundle is not None
    engine = FlowEngine(bundle, clock=lambda: TODAY)
    return [screen_speech(engine.start(f, "zh-CN").screen(), "zh-CN", voice_input=True)
            for f in sorted(engine.compiled)]


@pytest.fixture
def no_yue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """espeak-ng's data, every file linked except the Cantonese voice (sit/yue)."""
    real = _data_dir()
    root = tmp_path / "espeak" / "espeak-ng-data"
    (root / "lang" / "sit").mkdir(parents=True)
    for item in real.iterdir():
        if item.name != "lang":
            (root / item.name).symlink_to(item)
    for item in (real / "lang").iterdir():
        if item.name != "sit":
            (root / "lang" / item.name).symlink_to(item)
    for item in (real / "lang" / "sit").iterdir():
        if item.name != "yue":
            (root / "lang" / "sit" / item.name).symlink_to(item)
    monkeypatch.setenv("ESPEAK_DATA_PATH", str(root.parent))
    return root.parent


def test_screens_render_in_cantonese_of_plausible_length_and_not_as_mandarin(
        renderer: WorkerRenderer, screens: list[str]) -> None:
    t = Translator()
    texts = [" ".join(t(m, "zh-CN") for m in HOME), HOURS, screens[0]]
    for text in texts:
        said = speakable(text, "yue")
        yue = renderer.render(said, VOICES["yue"], 150, 0.8)
        cmn = renderer.render(speakable(text, "zh-CN"), VOICES["zh-CN"], 150, 0.8)
        han = sum(1 for c in said if "\u4e00" <= c <= "\u9fff")
        assert 0.15 * han < duration(yue) < 0.8 * han, (duration(yue), han)
        assert loudness(yue) > 300  # speech, not silence
        assert yue.read_bytes() != cmn.read_bytes()
        assert abs(duration(yue) - duration(cmn)) > 0.05 or loudness(yue) != loudness(cmn)


def test_no_chinese_screen_is_spelled_in_english_by_the_cantonese_voice(screens: list[str]) -> None:
    """sit/yue knows every character of the flows; the only English it would read is a sign
    (%, /) or a Latin letter, and shaping leaves no sign and no Arabic digit."""
    said = [speakable(s, "yue") for s in screens]
    assert not any(re.search(r"[0-9%/]", s) for s in said)
    text = re.sub(r"[A-Za-z]", "", "\n".join(said))
    out = subprocess.run(["espeak-ng", "-v", VOICES["yue"], "-x", "-q", text], capture_output=True,
                         text=True, check=True).stdout
    assert out.count("(en)") == 0
    assert len(out.split()) > len(screens)  # it read something for every screen


def test_kiosk_say_writes_cantonese_to_a_wav(tmp_path: Path) -> None:
    config = write_config(tmp_path)
    outs = {}
    for lang in ("yue", "cmn"):
        outs[lang] = tmp_path / f"{lang}.wav"
        done = kiosk(config, "say", "--lang", lang, "--out", str(outs[lang]), "请拨打12348，周一至周五9:00-17:00。")
        assert done.returncode == 0, done.stderr
        assert Path(done.stdout.strip()) == outs[lang].resolve()
    assert 2.0 < duration(outs["yue"]) < 15.0
    assert outs["yue"].read_bytes() != outs["cmn"].read_bytes()


def test_kiosk_say_without_the_cantonese_voice_says_so(tmp_path: Path, no_yue: Path) -> None:
    out = tmp_path / "yue.wav"
    done = kiosk(write_config(tmp_path), "say", "--lang", "yue", "--out", str(out), "你好")
    assert done.returncode == 1
    assert "no voice 'sit/yue'" in done.stderr and "espeak-ng-data" in done.stderr
    assert "Traceback" not in done.stderr and not out.exists()
    mandarin = kiosk(write_config(tmp_path), "say", "--lang", "cmn", "--out", str(out), "你好")
    assert mandarin.returncode == 0 and out.exists()  # the rest of espeak-ng still works


def test_the_kiosk_reads_in_mandarin_when_the_cantonese_voice_is_missing(tmp_path: Path, no_yue: Path) -> None:
    assert os.environ["ESPEAK_DATA_PATH"] == str(no_yue)
    faults = FaultLog(tmp_path / "faults.jsonl")
    speaker = EspeakSpeaker(SpeechConfig(cache_dir=tmp_path / "speech"), faults)
    try:
        assert speaker.missing_voice("yue") is not None
        assert speaker.voice_for("yue") == VOICES["zh-CN"]
        wav = speaker.render("您好，请选一个。", "yue")
        speaker.render("法律援助", "yue")
        assert duration(wav) > 0.5 and speaker.renderer.starts == 1  # no worker killed
        codes = [line for line in faults.path.read_text().splitlines() if "voice_missing" in line]
        assert len(codes) == 1  # recorded once
    finally:
        speaker.close()


def test_the_cli_refuses_no_language_it_cannot_speak() -> None:
    done = subprocess.run([sys.executable, "-m", "kiosk", "say", "--lang", "fr", "x"],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 2 and "yue" in done.stderr
