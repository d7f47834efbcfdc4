"""The maintenance screen's device status in the screen's language, by real taps: a printer
out of paper, no speech model and a broken speaker read in Chinese (their keys and codes
kept for staff), and in English when the kiosk speaks English."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from kiosk.devices.asr import VoskRecognizer
from kiosk.devices.fakes import FakePrinter
from kiosk.devices.speech_config import SpeechConfig
from kiosk.ports import PrinterStatus
from tests.ui.conftest import Driver
from tests.unit.test_status_reasons import _english_words

NO_OUTPUT = "no audio output device (aplay: main:831: audio open error: No such file or directory)"


@pytest.fixture
def faulty(ui: Driver) -> Iterator[Any]:
    """Printer out of paper, no speech model, no sound card: for this test only."""
    services = ui.app.services
    before = services.printer, services.recognizer.reason, services.speaker.reason
    services.printer = FakePrinter(status=PrinterStatus(answered=True, online=False, paper="out"))
    no_model = VoskRecognizer(SpeechConfig(model=None)).unavailable()  # the real adapter's words
    services.recognizer.reason, services.speaker.reason = no_model, NO_OUTPUT
    try:
        yield services
    finally:
        services.printer, services.recognizer.reason, services.speaker.reason = before


def _open_status(ui: Driver) -> str:
    from kivy.core.window import Window
    from kivy.metrics import dp

    ui.tap_at(dp(20), Window.height - dp(20), hold=3.3)  # staff's long press in the corner
    assert ui.app.root.current == "maintenance"
    for d in "2468":
        ui.tap_text(d, cls="KeypadKey")
    ui.tap_text(ui.app.t("OK"))
    ui.settle()
    status: str = ui.screen.status
    assert status and status != ui.app.t("Checking...")
    return status


def test_device_reasons_read_in_chinese_with_their_technical_detail(ui: Driver, faulty: Any) -> None:
    app = ui.app
    assert app.locale == "zh-CN"
    ui.tap(ui.find(cls="TouchArea"))
    status = _open_status(ui)
    lines = status.splitlines()
    printer, mic, speaker = lines[0], lines[1], lines[2]
    assert printer == "打印机: 缺纸 (paper_out)"
    assert mic.startswith(f"{app.t('Microphone and speech model')}: 没有语音识别模型：请把 [speech] model")
    assert speaker.startswith(f"{app.t('Speaker')}: 没有声音输出设备（aplay: main:831")
    for line in lines:
        assert not _english_words(line), line
        assert "不能用：" not in line, line  # every reason here has its own message
    # What staff see is on the screen, not only in the property.
    shown = ui.find(cls="Section")
    assert status in [w.text for w in shown.walk() if hasattr(w, "text")]
    ui.tap_text(app.t("Back to the kiosk"))


def test_the_same_reasons_in_english(ui: Driver, faulty: Any) -> None:
    app = ui.app
    ui.tap(ui.find(cls="TouchArea"))
    app.apply(locale="en")
    ui.frames(2)
    status = _open_status(ui)
    assert "Printer: out of paper (paper_out)\n" in status
    assert "Microphone and speech model: no speech model: set [speech] model" in status
    assert not re.search(r"[\u4e00-\u9fff]", status)
    ui.tap_text(app.t("Back to the kiosk"))


def test_the_loaded_speech_model_is_named(ui: Driver) -> None:
    """With a model loaded, staff see which one (the vosk adapter's model_summary)."""
    recognizer = ui.app.services.recognizer
    before = recognizer.reason
    recognizer.reason = None
    recognizer.model_summary = lambda: "vosk-model-small-cn-0.22 (Chinese, 42 MB)"
    try:
        ui.tap(ui.find(cls="TouchArea"))
        status = _open_status(ui)
        assert status.splitlines()[1] == (f"{ui.app.t('Microphone and speech model')}: {ui.app.t('ok')} "
                                          "(vosk-model-small-cn-0.22 (Chinese, 42 MB))")
        ui.tap_text(ui.app.t("Back to the kiosk"))
    finally:
        recognizer.reason = before
        del recognizer.model_summary
