"""The maintenance screen's device reasons in the screen's language: every reason the real
adapters and the connector give has its own message (a reworded adapter fails here), and
the technical detail (key, path, package, code) survives the translation."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import requests

from kiosk.connector.client import _unavailable
from kiosk.devices.asr import VoskRecognizer
from kiosk.devices.null_speech import NullRecognizer, NullSpeaker
from kiosk.devices.speech_config import SpeechConfig
from kiosk.devices.tts import EspeakSpeaker
from kiosk.ports import PrinterStatus
from kiosk.ui.i18n import Translator
from kiosk.ui.status_reasons import PRINTER_FAULTS, known, parked_text, printer_text, reason_text, unit_text
from tests.integration.vosk_helpers import model_skeleton

T = Translator()
#: Names of software that stay as they are in any language.
PRODUCTS = {"vosk", "sounddevice", "pyttsx3", "espeak"}


def zh(msgid: str, **params: str) -> str:
    return T(msgid, "zh-CN", **params)


def en(msgid: str, **params: str) -> str:
    return T(msgid, "en", **params)


def _english_words(text: str) -> list[str]:
    """Latin words outside the technical parts a reason keeps (keys, paths, names, codes)."""
    technical = re.sub(r"（[^）]*）|\([^)]*\)|\[\w+\] \w+|\S*[-/_.]\S*|\b[A-Z]\w*\b|\b\d\w*\b", " ", text)
    return [w for w in re.findall(r"[a-z]{3,}", technical) if w not in PRODUCTS]


def _speech_reasons(tmp_path: Path) -> list[str]:
    reasons: list[str | None] = [
        VoskRecognizer(SpeechConfig(enabled=False)).unavailable(),
        VoskRecognizer(SpeechConfig(model=None)).unavailable(),
        VoskRecognizer(SpeechConfig(model=tmp_path / "no-model")).unavailable(),
        NullSpeaker().unavailable(),
        NullRecognizer().unavailable(),
    ]
    for config in (SpeechConfig(enabled=False, cache_dir=tmp_path),
                   SpeechConfig(player=("no-such-player-here", "{wav}"), cache_dir=tmp_path)):
        speaker = EspeakSpeaker(config)
        try:
            reasons.append(speaker.unavailable())
        finally:
            speaker.close()
    reasons += _model_folder_reasons(tmp_path)
    assert all(reasons), reasons
    return [r for r in reasons if r]


def _model_folder_reasons(tmp_path: Path) -> list[str | None]:
    """What the vosk adapter says of a wrong, incomplete, graphless, server or damaged model."""
    folders = {"wrong": (), "empty": ("am/final.mdl", "conf/model.conf", "graph/HCLr.fst", "graph/Gr.fst"),
               "graphless": ("am/final.mdl", "conf/model.conf"),
               "server": ("am/final.mdl", "conf/model.conf", "graph/HCLG.fst")}
    reasons: list[str | None] = []
    for name, files in folders.items():
        folder = tmp_path / name
        folder.mkdir()
        for file in files:
            (folder / file).parent.mkdir(parents=True, exist_ok=True)
            (folder / file).write_bytes(b"" if name == "empty" else b"x")
        rec = VoskRecognizer(SpeechConfig(model=folder))
        rec.start(wait=True)
        reasons.append(rec.unavailable())

    def damaged(path: Path) -> object:
        raise Exception("Failed to create a model")  # what vosk raises

    model_skeleton(tmp_path / "damaged")
    rec = VoskRecognizer(SpeechConfig(model=tmp_path / "damaged"), load_model=damaged)  # type: ignore[arg-type]
    rec.start(wait=True)
    reasons.append(rec.unavailable())
    return reasons


def test_every_reason_the_speech_adapters_give_has_its_own_message(tmp_path: Path) -> None:
    for reason in _speech_reasons(tmp_path):
        assert known(reason), f"no message for the adapter's reason {reason!r}"
        text = unit_text(reason, zh)
        assert re.search(r"[\u4e00-\u9fff]", text) and not _english_words(text), (reason, text)
        assert unit_text(reason, en)  # English reads the English message
    model = VoskRecognizer(SpeechConfig(model=None)).unavailable() or ""
    assert "[speech] model" in reason_text(model, zh)  # the key staff must set, kept as is
    assert unit_text(None, zh) == "正常"


def test_central_reasons_from_the_client_have_messages() -> None:
    reasons = [_unavailable(exc).reason for exc in (
        requests.ConnectTimeout(), requests.Timeout(), requests.ConnectionError("reset"))]
    reasons += ["no connection", "server answered 502", "answer 200 is not JSON", "401 unauthorized",
                "422 invalid"]
    for reason in reasons:
        assert known(reason), reason
        assert not _english_words(reason_text(reason, zh)), (reason, reason_text(reason, zh))
    assert reason_text("401 unauthorized", zh) == "服务器拒绝了本机的令牌（401 unauthorized）"
    assert parked_text("event", "422 invalid", zh) == "设备事件：被服务器拒绝（422 invalid）".replace("：", ": ", 1)


@pytest.mark.parametrize("fault", sorted(PRINTER_FAULTS))
def test_each_printer_fault_code_reads_in_chinese_with_its_code(fault: str) -> None:
    status = (PrinterStatus(answered=True, online=False, paper="out") if fault == "paper_out"
              else PrinterStatus(answered=True, online=False, cover_open=True) if fault == "cover_open"
              else PrinterStatus(answered=True, online=True, cutter_error=True) if fault == "cutter_error"
              else PrinterStatus(answered=True, online=False) if fault == "offline"
              else PrinterStatus(answered=False, detail=fault))
    assert status.fault == fault
    text = printer_text(status, zh)
    assert f"({fault})" in text and not _english_words(text.replace(f"({fault})", "")), text


def test_a_working_printer_and_its_paper() -> None:
    assert printer_text(PrinterStatus(answered=True, online=True, paper="ok"), zh) == "正常，纸张充足"
    assert printer_text(PrinterStatus(answered=True, online=True, paper="near_end"), en) == "ok, paper running low"


def test_an_unknown_reason_is_led_in_the_screens_language_and_kept_whole() -> None:
    text = reason_text("ALSA lib pcm.c:2664 unknown PCM default", zh)
    assert text == "不能用：ALSA lib pcm.c:2664 unknown PCM default"
    assert reason_text("something new", en) == "not working: something new"
