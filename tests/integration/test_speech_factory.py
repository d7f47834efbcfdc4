"""make_speech: what kiosk/bootstrap.py calls. It never fails; it says what does not work."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

from kiosk.config import ConfigError, load_config
from kiosk.devices.speech import make_speech
from kiosk.devices.speech_config import speech_config
from kiosk.services.faults import FaultLog
from kiosk.voice.words import fixed_prompts
from tests.integration.test_voice_cli import write_config


def test_no_model_and_a_working_player(tmp_path: Path) -> None:
    player = f'["{sys.executable}", "-m", "kiosk.devices.paced_player", "{{wav}}"]'
    cfg = load_config(write_config(tmp_path, f"player = {player}\n"), env={})
    faults = FaultLog(tmp_path / "faults.jsonl")
    devices = make_speech(cfg, faults)
    try:
        assert devices.speaker.unavailable() is None
        assert "[speech] model" in (devices.recognizer.unavailable() or "")
        assert devices.speaker.gate is devices.recognizer.gate is devices.gate
        assert [e["code"] for e in faults.entries()] == ["no_model"]
        cache = cfg.state_dir / "speech" / "cache"
        wanted = sum(len(fixed_prompts(locale)) for locale in cfg.locales)
        deadline = time.monotonic() + 30
        while len(list(cache.glob("*.wav"))) < wanted and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(list(cache.glob("*.wav"))) == wanted  # fixed prompts pre-rendered
    finally:
        devices.speaker.close()


def test_speech_switched_off(tmp_path: Path) -> None:
    cfg = load_config(write_config(tmp_path, "enabled = false\n"), env={})
    devices = make_speech(cfg, FaultLog(tmp_path / "faults.jsonl"))
    try:
        assert "switched off" in (devices.speaker.unavailable() or "")
        assert "switched off" in (devices.recognizer.unavailable() or "")
        assert devices.speaker.renderer.worker_pid() is None
    finally:
        devices.speaker.close()


def test_environment_overrides_and_bad_values(tmp_path: Path) -> None:
    config = write_config(tmp_path, "rate = 150\n")
    cfg = load_config(config, env={"KIOSK_SPEECH_MODEL": "/opt/vosk/cn", "KIOSK_SPEECH_RATE": "130"})
    sc = speech_config(cfg)
    assert sc.model == Path("/opt/vosk/cn") and sc.rate == 130
    with pytest.raises(ConfigError, match=r"\[speech\] rate"):
        speech_config(load_config(config, env={"KIOSK_SPEECH_RATE": "fast"}))
    with pytest.raises(ConfigError, match=r"\[speech\] volume"):
        speech_config(load_config(write_config(tmp_path, "volume = 3\n"), env={}))
