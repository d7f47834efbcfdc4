"""The rate and volume ladder of the speech bar (kiosk.voice.levels), on the hand-written fake
and the null speaker; the real espeak-ng speaker: tests/integration/test_tts.py."""

from __future__ import annotations

from kiosk.devices.fakes import FakeRecognizer, FakeSpeaker
from kiosk.devices.null_speech import NullSpeaker, SilentSpeaker
from kiosk.voice.dialogue import VoiceController
from kiosk.voice.levels import SpeechLevels, rate_ladder


def test_the_rate_ladder_is_around_the_configured_rate_and_clamped() -> None:
    assert rate_ladder(150) == (110, 130, 150, 170)
    assert rate_ladder(90) == (80, 90, 110)  # never below espeak-ng's 80
    assert rate_ladder(395) == (355, 375, 395, 400)


def test_steps_walk_the_ladder_and_stop_at_its_ends() -> None:
    speaker = FakeSpeaker()
    levels = SpeechLevels(speaker)
    assert levels.can_slower() and levels.can_faster()
    assert levels.slower() == 130 and levels.slower() == 110
    assert not levels.can_slower() and levels.slower() is None and speaker.rate == 110
    assert levels.faster() == 130 and levels.faster() == 150 and levels.faster() == 170
    assert levels.faster() is None and speaker.rate == 170
    speaker.set_rate(140)  # set from elsewhere, between two steps: the next step is the neighbour
    assert levels.slower() == 130
    speaker.set_rate(140)
    assert levels.faster() == 150


def test_volume_steps_stop_at_full_and_one_step_above_silence() -> None:
    speaker = FakeSpeaker()
    levels = SpeechLevels(speaker)
    assert levels.louder() == 1.0 and levels.louder() is None and not levels.can_louder()
    assert [levels.softer() for _ in range(5)] == [0.8, 0.6, 0.4, 0.2, None]
    assert speaker.volume == 0.2 and not levels.can_softer()


def test_the_controller_steps_and_its_reset_restores_the_defaults() -> None:
    speaker = FakeSpeaker()
    voice = VoiceController(speaker, FakeRecognizer())
    assert voice.slower() == 130 and voice.softer() == 0.6
    voice.reset()
    assert (speaker.rate, speaker.volume) == (150, 0.8)


def test_a_speaker_without_rate_or_volume_has_no_steps() -> None:
    levels = SpeechLevels(NullSpeaker("off"))
    assert not (levels.can_slower() or levels.can_faster() or levels.can_softer() or levels.can_louder())
    assert levels.slower() is None and levels.louder() is None and levels.ladder() == ()


def test_the_ui_tools_silent_speaker_works_and_steps_like_the_real_one() -> None:
    speaker = SilentSpeaker()
    levels = SpeechLevels(speaker)
    assert speaker.unavailable() is None and levels.ladder() == (110, 130, 150, 170)
    assert levels.slower() == 130 and levels.louder() == 1.0
    speaker.reset()
    assert (speaker.rate, speaker.volume) == (150, 0.8)
