"""Device reasons for the maintenance screen, in the screen's language.

Adapters and the connector say why something does not work in plain English (for logs and
the heartbeat): "no speech model: set [speech] model ... to a vosk model folder",
"no connection", a printer fault code such as "paper_out". Staff at a county kiosk read
Chinese, so each known reason becomes a catalogue message (kiosk/locale) with the technical
parts (config key, path, package, error name) kept as they are, for whoever fixes it. A
reason nobody listed here is still led by a translated "not working" and shown in full: new
wording in an adapter never leaves the screen silent or half English without the detail.

No Kivy: plain functions of the reason and a translate function `t(msgid, **params)`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from kiosk.ports import PrinterStatus
from kiosk.ui.i18n import N_

Translate = Callable[..., str]

#: Printer fault codes (kiosk.ports.PrinterStatus.fault / PrintResult.fault).
PRINTER_FAULTS = {
    "no_answer": N_("the printer does not answer"),
    "garbage": N_("the printer answers with garbled data"),
    "paper_out": N_("out of paper"),
    "cover_open": N_("the cover is open"),
    "cutter_error": N_("the paper cutter is stuck"),
    "offline": N_("offline"),
    "disconnected": N_("disconnected: check the cable"),
    "stalled": N_("stopped in the middle of a slip"),
    "no_port": N_("its serial port is missing: check [printer] port"),
    "adapter_error": N_("the printer driver failed"),
    "unknown": N_("fault not known"),
}

#: Paper as the printer reports it (kiosk.ports.Paper).
PAPER = {
    "ok": N_("paper ok"),
    "near_end": N_("paper running low"),
    "out": N_("out of paper"),
    "unknown": N_("paper level unknown"),
}

#: Reasons from the speech devices (kiosk/devices: asr, audio_source, tts, tts_render,
#: null_speech, bootstrap) and the connector (kiosk/connector/client.py, drain.py). Each
#: pattern must match the whole reason; its named groups fill the message's placeholders.
REASONS: list[tuple[re.Pattern[str], str]] = [(re.compile(p), m) for p, m in [
    # speech input and output
    (r"speech is switched off \((?P<key>.+)\)",
     N_("speech is switched off in the settings ({key})")),
    (r"no speech model: set (?P<key>.+) to a vosk model folder",
     N_("no speech model: set {key} to a vosk model folder")),
    (r"no speech model at (?P<path>.+): check (?P<key>.+)",
     N_("no speech model at {path}: check {key}")),
    # the model folder's problems (kiosk/devices/vosk_model.py, asr.py), before the catch-all
    (r"speech model cannot be loaded from (?P<path>.+?) \(not a vosk model folder \(no (?P<files>.+)\)\); "
     r"check (?P<key>.+)",
     N_("{path} is not a vosk speech model folder (it lacks {files}): check {key}")),
    (r"speech model cannot be loaded from (?P<path>.+?) \(model files are empty: the archive was "
     r"unpacked incompletely\); check (?P<key>.+)",
     N_("the speech model at {path} is incomplete (empty files: the archive was not fully unpacked): "
        "install it again and check {key}")),
    (r"speech model cannot be loaded from (?P<path>.+?) \(the model has no decoding graph "
     r"\((?P<detail>.+)\)\); check (?P<key>.+)",
     N_("the speech model at {path} has no decoding graph ({detail}): install it again and check {key}")),
    (r"speech model cannot be loaded from (?P<path>.+?) \(this model does not take the screen's phrase "
     r"list \(.*\); install a small model such as (?P<model>\S+)\); check (?P<key>.+)",
     N_("the speech model at {path} is a large server model that cannot use each screen's phrases: "
        "install a small model such as {model} and check {key}")),
    (r"speech model cannot be loaded from (?P<path>.+?) \(vosk cannot read its files: (?P<error>.*); "
     r"the folder is damaged or not a vosk model\); check (?P<key>.+)",
     N_("vosk cannot read the speech model at {path} ({error}): its files are damaged; "
        "install it again and check {key}")),
    (r"speech model cannot be loaded from (?P<path>.+?) \((?P<error>.*)\); check (?P<key>.+)",
     N_("the speech model at {path} cannot be loaded ({error}): check {key}")),
    (r"speech model not loaded; check (?P<key>.+)",
     N_("the speech model is not loaded: check {key}")),
    (r"no speech model installed", N_("no speech model installed")),
    (r"no speech output configured", N_("no speech output configured")),
    (r"speech unavailable \((?P<error>.+)\)",
     N_("the speech libraries cannot be loaded ({error})")),
    (r"no audio library: (?P<error>.*) \(apt install (?P<package>.+)\)",
     N_("no audio library ({error}): install the Debian package {package}")),
    (r"sounddevice is not installed",
     N_("the Python package sounddevice is not installed")),
    (r"no microphone \((?P<error>.*)\)", N_("no microphone ({error})")),
    (r"no such WAV file: (?P<path>.+)", N_("the test recording {path} does not exist")),
    (r"no audio player: '(?P<player>.+)' is not installed \(apt install (?P<package>.+)\)",
     N_("the audio player {player} is not installed: install the Debian package {package}")),
    (r"no audio output device \((?P<error>.*)\)", N_("no sound output device ({error})")),
    (r"speech engine \(pyttsx3 \+ espeak-ng\) cannot start: (?P<error>.*)",
     N_("the speech engine (pyttsx3 + espeak-ng) cannot start: {error}")),
    (r"the speech engine keeps failing; speech output is off until restart",
     N_("the speech engine keeps failing: speech output is off until the kiosk restarts")),
    (r"UI tools: silent", N_("silent (screenshot and audit tools)")),
    # the central service
    (r"no connection", N_("no connection to the server (network or address)")),
    (r"connect timed out", N_("the connection to the server timed out")),
    (r"timed out", N_("the server did not answer in time")),
    (r"no answer: (?P<error>.+)", N_("no answer from the server ({error})")),
    (r"server answered (?P<status>\d+)", N_("the server answered with error {status}")),
    (r"answer (?P<status>\d+) is not JSON", N_("the server's answer ({status}) is not JSON")),
    (r"(?P<status>401|403) (?P<code>\w+)",
     N_("the server refused this kiosk's token ({status} {code})")),
    (r"(?P<status>4\d\d) (?P<code>\w+)", N_("refused by the server ({status} {code})")),
    (r"error: (?P<error>\w+)", N_("error while asking the device ({error})")),
]]

#: A reason no pattern knows: translated lead, the reason itself for staff.
UNKNOWN = N_("not working: {detail}")


def reason_text(reason: str, t: Translate) -> str:
    """One reason as the screen's language says it, its technical parts kept."""
    reason = reason.strip()
    for pattern, msgid in REASONS:
        found = pattern.fullmatch(reason)
        if found is not None:
            return t(msgid, **found.groupdict()) if found.groupdict() else t(msgid)
    return t(UNKNOWN, detail=reason)


def known(reason: str) -> bool:
    """True when `reason` has its own message (tests use it to catch reworded adapters)."""
    return any(p.fullmatch(reason.strip()) for p, _m in REASONS)


def printer_text(status: PrinterStatus, t: Translate) -> str:
    """"ok (paper ok)" or the fault, in the screen's language; the fault code for staff."""
    fault = status.fault
    if fault is None:
        text = t("ok")
    elif fault in PRINTER_FAULTS:
        text = f"{t(PRINTER_FAULTS[fault])} ({fault})"
    else:
        text = reason_text(fault, t)
    if status.answered and fault != "paper_out":
        text = t("{state}, {paper}", state=text, paper=t(PAPER.get(status.paper, PAPER["unknown"])))
    return text


def unit_text(reason: str | None, t: Translate) -> str:
    """A speech device's line: "ok" or its reason."""
    return t("ok") if reason is None else reason_text(reason, t)


def parked_text(kind: str, reason: str, t: Translate) -> str:
    """An outbox item the server refused: what it was, and why."""
    kinds: dict[str, Any] = {"ticket": N_("offline ticket"), "event": N_("device event")}
    return f"{t(kinds[kind]) if kind in kinds else kind}: {reason_text(reason, t)}"
