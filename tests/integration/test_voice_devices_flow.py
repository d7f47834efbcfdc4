"""A flow by voice through the real adapters: espeak-ng speaking through a player process,
the vosk adapter listening on its capture thread, one SpeechGate between them.

vosk's decoding is played by a vosk-like recogniser (no model ships here) fed with real
audio; everything else is what runs on a kiosk: threads, the gate, the player, the worker.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from pathlib import Path

from kiosk.content.bundle import load_bundle
from kiosk.devices.asr import VoskRecognizer
from kiosk.devices.audio_source import WavFileSource
from kiosk.devices.speech_config import SpeechConfig
from kiosk.devices.speech_gate import SpeechGate
from kiosk.devices.tts import EspeakSpeaker
from kiosk.flows.engine import FlowEngine
from kiosk.voice.dialogue import VoiceController, VoiceEvent
from tests.conftest import CONTENT, LOCALITY, TODAY
from tests.integration.test_asr import FakeKaldi, FakeModel
from tests.integration.vosk_helpers import model_skeleton


class CountingGate(SpeechGate):
    def __init__(self) -> None:
        super().__init__()
        self.spoke = 0

    def speaking(self, on: bool) -> None:
        self.spoke += on
        super().speaking(on)


class WatchedSource:
    """Real speech from a WAV; notes whether the kiosk was speaking when the mic opened."""

    def __init__(self, gate: SpeechGate, wav: Path) -> None:
        self.gate, self.inner = gate, WavFileSource(wav)
        self.opened_while_speaking = 0
        self.opened = 0

    def check(self) -> str | None:
        return None

    def chunks(self, stop: threading.Event) -> Iterator[bytes]:
        self.opened += 1
        self.opened_while_speaking += self.gate.is_speaking
        yield from self.inner.chunks(stop)


def test_legal_aid_by_voice_through_the_real_devices(tmp_path: Path) -> None:
    bundle, problems = load_bundle(CONTENT, LOCALITY)
    assert bundle is not None and not problems
    engine = FlowEngine(bundle, clock=lambda: TODAY)
    gate = CountingGate()
    player = (sys.executable, "-m", "kiosk.devices.paced_player", "--speed", "8", "{wav}")
    speaker = EspeakSpeaker(SpeechConfig(player=player, cache_dir=tmp_path / "speech"), gate=gate)
    # wages; no lawyer yet; work in this county; no deadline within 7 days; on dibao → outcome
    answers = iter(["讨 工资", "没有", "是", "不是", "是"])
    speech = speaker.render("我说一句话", "zh-CN", fixed=True)
    model_skeleton(tmp_path / "model")
    source = WatchedSource(gate, speech)
    recognizer = VoskRecognizer(
        SpeechConfig(model=tmp_path / "model"), gate=gate, source=source,
        load_model=lambda path: FakeModel(),
        new_recognizer=lambda model, rate, grammar: FakeKaldi(next(answers)),
    )
    recognizer.start(wait=True)
    events: list[VoiceEvent] = []
    ended = threading.Event()

    def on_event(event: VoiceEvent) -> None:
        events.append(event)
        if event.kind == "ended":
            ended.set()

    voice = VoiceController(speaker, recognizer, on_event)
    session = engine.start("legal-aid", "zh-CN")
    try:
        voice.show(session.screen(), "zh-CN")
        voice.listen_flow(session)  # the one tap: it also cuts the reading of the first screen
        assert ended.wait(60), [e.kind for e in events]
        assert events[-1].reason == "outcome"
        assert session.finished and session.screen().node_id == "o_apply_exempt"
        assert session.state.answers == {"q_matter": "wages", "q_has_lawyer": False, "q_work_in_county": True,
                                         "q_urgent": False, "q_assistance": True}
        assert source.opened == 5 and source.opened_while_speaking == 0  # never heard itself
        assert gate.spoke >= 4  # the first screen, then each screen reached by voice
        assert [e.screen.node_id for e in events if e.kind == "screen" and e.screen] == [
            "q_has_lawyer", "q_work_in_county", "q_urgent", "q_assistance", "o_apply_exempt"]
    finally:
        speaker.close()
        recognizer.stop()
