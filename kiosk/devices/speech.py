"""Both speech devices for one kiosk, sharing the gate that mutes the mic while we speak.

    devices = make_speech(cfg, faults)       # in kiosk/bootstrap.py
    devices.speaker, devices.recognizer      # the Speaker and Recognizer ports

Nothing here blocks start-up: the TTS worker and the vosk model start in the background,
and the kiosk's fixed prompts are pre-rendered there too.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from kiosk.config import KioskConfig
from kiosk.devices.asr import VoskRecognizer, make_recognizer
from kiosk.devices.speech_gate import SpeechGate
from kiosk.devices.tts import EspeakSpeaker, make_speaker
from kiosk.services.faults import FaultLog


@dataclass(frozen=True)
class SpeechDevices:
    speaker: EspeakSpeaker
    recognizer: VoskRecognizer
    gate: SpeechGate


def make_speech(cfg: KioskConfig, faults: FaultLog | None = None, prerender: bool = True) -> SpeechDevices:
    gate = SpeechGate()
    recognizer = make_recognizer(cfg, faults, gate)
    speaker = make_speaker(cfg, faults, gate, probe=True, start=False)

    def warm() -> None:
        from kiosk.voice.words import fixed_prompts

        speaker.renderer.start()
        if prerender and speaker.unavailable() is None:
            speaker.prerender([(text, locale) for locale in cfg.locales for text in fixed_prompts(locale)])

    if speaker.config.enabled:
        threading.Thread(target=warm, name="tts-warm", daemon=True).start()
    return SpeechDevices(speaker, recognizer, gate)
