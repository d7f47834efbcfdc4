"""`kiosk say` and `kiosk listen` as real processes (and `listen` in-process with a
vosk-like recogniser, since no model ships here)."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import wave
from pathlib import Path

import pytest

from kiosk.config import load_config
from kiosk.devices import asr
from kiosk.voice import cli as voice_cli
from tests.conftest import CONTENT, LOCALITY
from tests.integration.test_asr import FakeKaldi, FakeModel
from tests.integration.vosk_helpers import model_skeleton


def write_config(tmp_path: Path, speech: str = "") -> Path:
    config = tmp_path / "kiosk.toml"
    config.write_text(
        "[kiosk]\nid = \"test\"\nlocales = [\"zh-CN\", \"en\"]\n"
        f"[content]\npath = \"{CONTENT}\"\nlocality = \"{LOCALITY}\"\nstate_dir = \"{tmp_path / 'var'}\"\n"
        f"[speech]\n{speech}",
        encoding="utf-8",
    )
    return config


def kiosk(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_SPEECH_")}
    env.update(KIOSK_CONFIG=str(config), PYTHONIOENCODING="utf-8")
    return subprocess.run([sys.executable, "-m", "kiosk", *args], capture_output=True, text=True,
                          env=env, timeout=60, check=False)


def seconds(path: Path) -> float:
    with wave.open(str(path), "rb") as f:
        return f.getnframes() / f.getframerate()


def test_say_writes_a_wav_in_either_language(tmp_path: Path) -> None:
    config = write_config(tmp_path)
    zh, en = tmp_path / "zh.wav", tmp_path / "en.wav"
    done = kiosk(config, "say", "--out", str(zh), "请说您遇到了什么事。")
    assert done.returncode == 0, done.stderr
    assert kiosk(config, "say", "--lang", "en", "--out", str(en), "Please say what happened.").returncode == 0
    assert 1.0 < seconds(zh) < 6.0 and 0.8 < seconds(en) < 4.0


def test_say_plays_through_the_configured_player(tmp_path: Path) -> None:
    copy = tmp_path / "played.wav"
    player = f'["{sys.executable}", "-m", "kiosk.devices.paced_player", "--out", "{copy}", "{{wav}}"]'
    done = kiosk(write_config(tmp_path, f"player = {player}\n"), "say", "您好")
    assert done.returncode == 0, done.stderr
    assert 0.3 < seconds(copy) < 3.0


def test_say_without_an_audio_device_explains(tmp_path: Path) -> None:
    config = write_config(tmp_path, 'player = ["aplay", "-q", "-D", "no_such_pcm", "{wav}"]\n')
    done = kiosk(config, "say", "您好")
    assert done.returncode == 1 and "no audio output device" in done.stderr and "--out" in done.stderr


def test_listen_without_a_model_names_the_config_key(tmp_path: Path) -> None:
    wav = tmp_path / "a.wav"
    config = write_config(tmp_path)
    assert kiosk(config, "say", "--out", str(wav), "返回").returncode == 0
    done = kiosk(config, "listen", "--wav", str(wav), "--grammar", "返回", "首页")
    assert done.returncode == 2
    assert "[speech] model" in done.stderr and "KIOSK_SPEECH_MODEL" in done.stderr
    done = kiosk(write_config(tmp_path, f'model = "{tmp_path / "missing"}"\n'), "listen", "--wav", str(wav))
    assert done.returncode == 2 and "[speech] model" in done.stderr


def test_listen_prints_the_text_and_the_snapped_phrase(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    model_skeleton(tmp_path / "model")
    wav = tmp_path / "a.wav"
    assert kiosk(write_config(tmp_path), "say", "--out", str(wav), "讨工资").returncode == 0
    monkeypatch.setattr(asr, "load_vosk_model", lambda path: FakeModel())
    monkeypatch.setattr(asr, "new_vosk_recognizer", lambda model, rate, grammar: FakeKaldi("讨 公资"))
    cfg = load_config(write_config(tmp_path, f'model = "{tmp_path / "model"}"\n'), env={})
    args = argparse.Namespace(wav=str(wav), mic=False, grammar=["讨工资", "工伤", "返回"], lang="zh-CN", model=None)
    assert voice_cli.run_listen(args, cfg) == 0
    result = json.loads(capsys.readouterr().out)
    assert result == {"text": "讨 公资", "phrase": "讨工资", "score": 95.0, "how": "contains"}


def test_listen_on_a_missing_microphone_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    model_skeleton(tmp_path / "model")
    monkeypatch.setattr(asr, "load_vosk_model", lambda path: FakeModel())
    speech = f'model = "{tmp_path / "model"}"\nmicrophone = "no-such-microphone-xyz"\n'
    cfg = load_config(write_config(tmp_path, speech), env={})
    args = argparse.Namespace(wav=None, mic=True, grammar=None, lang="zh-CN", model=None)
    assert voice_cli.run_listen(args, cfg) == 2
    err = capsys.readouterr().err
    assert "cannot listen" in err and ("microphone" in err or "libportaudio" in err)
