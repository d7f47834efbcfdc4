"""Speech output for real: pyttsx3 + espeak-ng in the worker process, a real player process.

The machine has no sound card, so playback goes through kiosk.devices.paced_player (a real
process that takes as long as the audio) and `aplay` is used only to check that a missing
device is reported, not raised.
"""

from __future__ import annotations

import array
import contextlib
import os
import signal
import sys
import time
import wave
from pathlib import Path

import pytest

from kiosk.devices.speech_config import VOICES, SpeechConfig
from kiosk.devices.tts import EspeakSpeaker, speech_chunks
from kiosk.devices.tts_render import RenderError, WorkerRenderer
from kiosk.services.faults import FaultLog

ZH = "您要为哪种事情找律师？请选一个。"
EN = "What do you need a lawyer for? Please choose one."
LONG_ZH = "全家每月一共收入多少钱？说个大概数就行。工资、养老金、种地收入都算。" * 3

ZH_VOICE = VOICES["zh-CN"]


def duration(path: Path) -> float:
    with wave.open(str(path), "rb") as f:
        return f.getnframes() / f.getframerate()


def loudness(path: Path) -> float:
    with wave.open(str(path), "rb") as f:
        samples = array.array("h", f.readframes(f.getnframes()))
    return (sum(s * s for s in samples) / max(1, len(samples))) ** 0.5


@pytest.fixture
def faults(tmp_path: Path) -> FaultLog:
    return FaultLog(tmp_path / "faults.jsonl")


@pytest.fixture
def renderer(tmp_path: Path, faults: FaultLog):  # type: ignore[no-untyped-def]
    r = WorkerRenderer(tmp_path / "speech", faults)
    yield r
    r.close()


def paced(copy: Path) -> tuple[str, ...]:
    return (sys.executable, "-m", "kiosk.devices.paced_player", "--out", str(copy), "{wav}")


@pytest.fixture
def speaker(tmp_path: Path, faults: FaultLog):  # type: ignore[no-untyped-def]
    config = SpeechConfig(player=paced(tmp_path / "played.wav"), cache_dir=tmp_path / "speech")
    s = EspeakSpeaker(config, faults)
    yield s
    s.close()


def wait_for(condition, timeout: float = 10.0) -> bool:  # type: ignore[no-untyped-def]
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.005)
    return False


def test_chinese_and_english_render_to_wavs_of_plausible_length(renderer: WorkerRenderer) -> None:
    zh = renderer.render(ZH, ZH_VOICE, 150, 0.8)
    en = renderer.render(EN, "gmw/en", 150, 0.8)
    assert zh.is_absolute() and zh.exists() and en.exists()
    han = sum(1 for c in ZH if "\u4e00" <= c <= "\u9fff")
    words = len(EN.split())
    # 150 words a minute: a Han syllable or an English word takes roughly 0.25-0.5 s.
    assert 0.15 * han < duration(zh) < 0.8 * han, duration(zh)
    assert 0.2 * words < duration(en) < 1.0 * words, duration(en)
    assert loudness(zh) > 300 and loudness(en) > 300  # speech, not silence


def test_rate_and_volume_change_the_audio(renderer: WorkerRenderer) -> None:
    slow = renderer.render(ZH, ZH_VOICE, 100, 0.8)
    fast = renderer.render(ZH, ZH_VOICE, 200, 0.8)
    quiet = renderer.render(ZH, ZH_VOICE, 200, 0.2)
    assert duration(slow) > 1.4 * duration(fast)
    assert loudness(quiet) < 0.5 * loudness(fast)


def test_cached_prompts_are_not_rendered_again_and_session_renders_are_wiped(renderer: WorkerRenderer) -> None:
    fixed = renderer.render("请再说一遍。", ZH_VOICE, 150, 0.8, fixed=True)
    fresh = renderer.render(ZH, ZH_VOICE, 150, 0.8)
    stamp = fixed.stat().st_mtime_ns
    assert renderer.render("请再说一遍。", ZH_VOICE, 150, 0.8) == fixed  # found in the cache
    assert fixed.stat().st_mtime_ns == stamp
    renderer.forget_session()
    assert fixed.exists() and not fresh.exists()


def test_an_engine_exception_costs_one_worker_not_speech(tmp_path: Path, faults: FaultLog) -> None:
    """GIVEN a worker whose engine raises on one text (pyttsx3 is then broken for good:
    "run loop already started") WHEN that text is rendered THEN it fails plainly, the fault
    is recorded, and the next text renders on a fresh worker."""
    command = [sys.executable, "-m", "kiosk.devices.tts_worker", "--fault-text", "坏"]
    r = WorkerRenderer(tmp_path / "speech", faults, command=command)
    try:
        assert r.render("好", ZH_VOICE, 150, 0.8).exists()
        first = r.worker_pid()
        with pytest.raises(RenderError):
            r.render("坏", ZH_VOICE, 150, 0.8)
        assert r.render("您好", ZH_VOICE, 150, 0.8).exists()
        assert r.worker_pid() not in (None, first)
        assert r.starts == 3  # the first, one for the retry of the bad text, a fresh one after
        codes = [e["code"] for e in faults.entries()]
        assert codes == ["engine_error", "engine_error"]
        assert "坏" not in faults.path.read_text(encoding="utf-8")
    finally:
        r.close()


def test_a_crashed_worker_is_replaced(renderer: WorkerRenderer, faults: FaultLog) -> None:
    renderer.render("好", ZH_VOICE, 150, 0.8)
    pid = renderer.worker_pid()
    assert pid is not None
    os.kill(pid, signal.SIGKILL)
    assert wait_for(lambda: renderer.worker_pid() is None)
    assert renderer.render("您好", ZH_VOICE, 150, 0.8).exists()
    assert [e["code"] for e in faults.entries()] == ["worker_crashed"]


def test_stop_cuts_playback_at_once(speaker: EspeakSpeaker, tmp_path: Path) -> None:
    """A touch during speech: the player process is gone within 100 ms (measured: a few ms)."""
    speaker.say(LONG_ZH, "zh-CN")
    assert wait_for(lambda: speaker._playing is not None)
    playing = speaker._playing
    assert playing is not None and speaker.speaking()
    time.sleep(0.3)
    began = time.monotonic()
    speaker.stop()
    took = time.monotonic() - began
    print(f"stop → player gone: {took * 1000:.1f} ms")
    assert playing.proc.poll() is not None
    assert took < 0.1
    assert not speaker.speaking()
    full = duration(speaker.render(LONG_ZH, "zh-CN"))
    assert full > 5
    # The copy the player made holds only what was played before the touch (or nothing yet).
    played = tmp_path / "played.wav"
    assert not played.exists() or duration(played) < 2


def test_a_new_say_replaces_the_current_one(speaker: EspeakSpeaker, tmp_path: Path) -> None:
    speaker.say(LONG_ZH, "zh-CN")
    assert wait_for(lambda: speaker._playing is not None)
    first = speaker._playing
    speaker.say("好的。", "zh-CN")
    assert first is not None and first.proc.poll() is not None and first.killed
    assert wait_for(lambda: not speaker.speaking())
    short = duration(speaker.render("好的。", "zh-CN"))
    assert abs(duration(tmp_path / "played.wav") - short) < 0.05


def test_rate_and_volume_steps_reset_for_the_next_resident(speaker: EspeakSpeaker) -> None:
    speaker.set_rate(110)
    assert speaker.louder() == 1.0 and speaker.louder() == 1.0
    speaker.softer()
    assert speaker.volume == 0.8
    for _ in range(6):
        speaker.softer()
    assert speaker.volume == speaker.min_volume == 0.2  # never tapped into silence
    speaker.reset()
    assert (speaker.rate, speaker.volume) == (150, 0.8)
    assert not speaker.speaking()


def test_no_audio_device_is_a_reason_not_a_crash(tmp_path: Path, faults: FaultLog) -> None:
    config = SpeechConfig(player=("aplay", "-q", "-D", "no_such_pcm", "{wav}"), cache_dir=tmp_path / "s")
    s = EspeakSpeaker(config, faults)
    try:
        reason = s.probe()
        assert reason is not None and reason.startswith("no audio output device")
        assert s.unavailable() == reason
        s.say(ZH, "zh-CN")  # must not raise; the player fails in the background
        assert wait_for(lambda: not s.speaking())
        assert s.render(EN, "en").exists()  # rendering still works
        assert s.unavailable() == reason  # still off, and the fault is recorded once, not per prompt
        assert [e["code"] for e in faults.entries()] == ["no_audio_device"]
    finally:
        s.close()


def test_a_missing_player_is_named(tmp_path: Path) -> None:
    s = EspeakSpeaker(SpeechConfig(player=("no-such-player", "{wav}"), cache_dir=tmp_path / "s"))
    try:
        assert "no-such-player" in (s.unavailable() or "")
    finally:
        s.close()


def test_no_speech_engine_is_a_reason_not_a_crash(tmp_path: Path, faults: FaultLog) -> None:
    """What the worker reports when pyttsx3 cannot load libespeak-ng."""
    hello = '{"ready": false, "error": "OSError: libespeak-ng.so.1: cannot open shared object file"}'
    r = WorkerRenderer(tmp_path / "speech", faults, command=[sys.executable, "-c", f"print({hello!r})"])
    r.start()
    reason = r.unavailable() or ""
    assert "espeak-ng" in reason and "cannot start" in reason
    with pytest.raises(RenderError):
        r.render("好", ZH_VOICE, 150, 0.8)
    assert [e["code"] for e in faults.entries()] == ["engine_unavailable"]
    r.close()


def test_every_chinese_screen_is_read_in_mandarin_not_spelled_in_english() -> None:
    """espeak-ng's plain sit/cmn reads characters missing from its dictionary as pinyin with
    the English voice (您 → "nin two"); the configured voice must not, on any screen."""
    import re
    import subprocess

    from kiosk.content.bundle import load_bundle
    from kiosk.flows.engine import FlowEngine
    from kiosk.voice.spoken import screen_speech, speakable
    from tests.conftest import CONTENT, LOCALITY, TODAY

    bundle, _ = load_bundle(CONTENT, LOCALITY)
    assert bundle is not None
    engine = FlowEngine(bundle, clock=lambda: TODAY)
    texts = []
    for flow_id in sorted(engine.compiled):
        session = engine.start(flow_id, "zh-CN")
        texts.append(speakable(screen_speech(session.screen(), "zh-CN", voice_input=True), "zh-CN"))
    text = re.sub(r"[A-Za-z]", "", "\n".join(texts))  # Latin letters are English on purpose

    def switches(voice: str) -> int:
        out = subprocess.run(["espeak-ng", "-v", voice, "-x", "-q", text], capture_output=True,
                             text=True, check=True).stdout
        return out.count("(en)")

    assert switches(ZH_VOICE) == 0
    assert switches("sit/cmn") > 100  # why not plain sit/cmn (if this fails, espeak-ng was fixed)


def test_the_controller_steps_the_real_speakers_volume(speaker: EspeakSpeaker) -> None:
    from kiosk.devices.fakes import FakeRecognizer
    from kiosk.devices.null_speech import NullSpeaker
    from kiosk.voice.dialogue import VoiceController

    voice = VoiceController(speaker, FakeRecognizer())
    assert voice.softer() == 0.6 and voice.louder() == 0.8 and voice.louder() == 1.0
    voice.set_rate(120)
    assert speaker.rate == 120
    voice.reset()
    assert (speaker.rate, speaker.volume) == (150, 0.8)
    assert VoiceController(NullSpeaker(), FakeRecognizer()).louder() is None  # no volume: no step


def test_a_long_text_starts_with_its_first_sentence_and_the_rest_follows(tmp_path: Path) -> None:
    """Time to the first sound is the first sentence's render, not the whole text's."""
    first, rest = speech_chunks(LONG_ZH)
    player = (sys.executable, "-m", "kiosk.devices.paced_player", "--speed", "4",
              "--out", str(tmp_path / "played.wav"), "{wav}")
    config = SpeechConfig(player=player, cache_dir=tmp_path / "speech")
    with contextlib.closing(EspeakSpeaker(config)) as speaker:
        speaker.say(LONG_ZH, "zh-CN")
        assert wait_for(lambda: speaker._playing is not None)
        one = speaker._playing
        assert one is not None and one.proc.args[-1] == str(speaker.render(first, "zh-CN"))
        # WHEN the first sentence has played THEN the rest plays, the kiosk speaking throughout
        silent_between = False
        end = time.monotonic() + 20
        while time.monotonic() < end and (speaker._playing is None or speaker._playing is one):
            silent_between |= not speaker.speaking()
            time.sleep(0.002)
        two = speaker._playing
        assert two is not None and two is not one
        assert two.proc.args[-1] == str(speaker.render(rest, "zh-CN"))
        assert not silent_between  # the microphone never opens between the two parts
        assert wait_for(lambda: not speaker.speaking(), 20)
        assert abs(duration(tmp_path / "played.wav") - duration(speaker.render(rest, "zh-CN"))) < 0.05
        # AND said again, the whole text is rendered now and plays whole, as one part
        speaker.render(LONG_ZH, "zh-CN")
        speaker.say(LONG_ZH, "zh-CN")
        assert wait_for(lambda: speaker._playing is not None)
        assert speaker._playing.proc.args[-1] == str(speaker.render(LONG_ZH, "zh-CN"))


def test_a_touch_during_the_first_sentence_keeps_the_rest_silent(speaker: EspeakSpeaker) -> None:
    speaker.say(LONG_ZH, "zh-CN")
    assert wait_for(lambda: speaker._playing is not None)
    speaker.stop()
    time.sleep(0.5)  # long enough for the rest to have rendered and started, were it going to
    assert speaker._playing is None and not speaker.speaking()


def test_speech_chunks_split_after_the_first_sentence() -> None:
    assert speech_chunks(LONG_ZH)[0] == "全家每月一共收入多少钱？"
    assert "".join(speech_chunks(LONG_ZH)) == LONG_ZH
    assert speech_chunks("好的。请稍等。") == ["好的。请稍等。"]  # short: rendered whole
    assert speech_chunks(EN) == ["What do you need a lawyer for?", "Please choose one."]
    assert speech_chunks("没有句号的一段很长很长很长很长很长很长很长很长很长的话") == \
        ["没有句号的一段很长很长很长很长很长很长很长很长很长的话"]
