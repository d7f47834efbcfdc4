"""The process that owns pyttsx3: renders text to WAV files, one JSON request a line.

pyttsx3 on espeak-ng blocks in `runAndWait`, can be initialised once per process, and after
one exception refuses every later call with "run loop already started". So the engine lives
here, alone, and any engine exception ends this process: the parent starts a fresh one.

Protocol (stdin → stdout, JSON lines): first `{"ready": true, "voices": [...]}`; then for
`{"id", "text", "voice", "rate", "volume", "out"}` either `{"id", "ok": true}` once the WAV
is complete at `out` (an absolute path), or `{"id", "ok": false, "error"}` and exit.
pyttsx3 prints to stdout ("Audio saved to ..."), so the protocol runs on a duplicate of the
original stdout and fd 1 is pointed at stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any, TextIO


def _protocol_stream() -> TextIO:
    out = os.fdopen(os.dup(1), "w", encoding="utf-8", buffering=1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    return out


def _render(engine: Any, espeak: Any, request: dict[str, Any], fault_text: str | None) -> None:
    out = Path(str(request["out"]))
    if not out.is_absolute():
        raise ValueError("out must be an absolute path")
    tmp = out.with_name(out.name + ".part")
    # In espeak-ng's asynchronous mode a voice change is immediate but rate and volume are
    # queued: without a barrier between them, a rate set right after a voice is lost.
    engine.setProperty("voice", str(request["voice"]))
    espeak.Synchronize()
    engine.setProperty("rate", int(request["rate"]))
    engine.setProperty("volume", float(request["volume"]))
    espeak.Synchronize()
    if fault_text is not None and request["text"] == fault_text:
        # Test hook: fail inside the engine's run loop the way a driver error does.
        engine.proxy._driver._start_synthesis = _raise_in_driver
    engine.save_to_file(str(request["text"]), str(tmp))
    engine.runAndWait()
    # pyttsx3 2.99 starts espeak-ng in its asynchronous retrieval mode and leaves runAndWait
    # before a long text is done: the WAV would be missing, and its tail written under the
    # next file's name. Wait for espeak-ng itself (the WAV is written at its last event).
    espeak.Synchronize()
    if not tmp.exists() or tmp.stat().st_size <= 44:
        raise RuntimeError("the engine wrote no audio")
    os.replace(tmp, out)  # a reader never sees half a file


def _raise_in_driver(text: str) -> None:
    raise RuntimeError("injected engine fault")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--fault-text", help="(tests) raise inside the engine for this text")
    args = parser.parse_args(argv)
    reply = _protocol_stream()

    def send(message: dict[str, Any]) -> None:
        reply.write(json.dumps(message, ensure_ascii=False) + "\n")
        reply.flush()

    try:
        import pyttsx3
        from pyttsx3.drivers import _espeak as espeak

        engine = pyttsx3.init("espeak")
        voices = [v.id for v in engine.getProperty("voices") if v.id.startswith(("sit/", "gmw/en"))]
    except Exception as exc:  # no pyttsx3, no libespeak-ng: the parent reports why
        send({"ready": False, "error": f"{type(exc).__name__}: {exc}"})
        return 1
    send({"ready": True, "voices": voices, "pid": os.getpid()})
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        try:
            _render(engine, espeak, request, args.fault_text)
        except Exception as exc:
            # After an engine exception pyttsx3 is broken for good ("run loop already
            # started"): say why and end; the parent starts a fresh worker.
            send({"id": request.get("id"), "ok": False, "error": f"{type(exc).__name__}: {exc}"})
            return 3
        send({"id": request["id"], "ok": True})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
