"""Benchmark: read-aloud synthesis per screen, Cantonese (sit/yue) against Mandarin.

For the first screen of every shipped flow (question, choices read as options), the spoken
text as the kiosk says it (shaped for the voice: kiosk.voice.spoken.speakable),
rendered fresh by the real pyttsx3 + espeak-ng worker: render time (what a resident waits
before a screen not rendered before is heard; the speaker plays the first sentence while
the rest renders, so the wait is shorter still), audio length, real-time factor, and the
time the Cantonese number shaping itself takes.

Run: .venv/bin/python bench/read_aloud.py [--n 20]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import wave
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kiosk.content.bundle import load_bundle  # noqa: E402
from kiosk.devices.speech_config import VOICES  # noqa: E402
from kiosk.devices.tts_render import WorkerRenderer  # noqa: E402
from kiosk.flows.engine import FlowEngine  # noqa: E402
from kiosk.voice.spoken import screen_speech, speakable  # noqa: E402
from tests.conftest import CONTENT, LOCALITY, TODAY  # noqa: E402


def screens(n: int) -> list[str]:
    bundle, _ = load_bundle(CONTENT, LOCALITY)
    assert bundle is not None
    engine = FlowEngine(bundle, clock=lambda: TODAY)
    return [screen_speech(engine.start(f, "zh-CN").screen(), "zh-CN") for f in sorted(engine.compiled)][:n]


def seconds(path: Path) -> float:
    with wave.open(str(path), "rb") as f:
        return f.getnframes() / f.getframerate()


def p95(values: list[float]) -> float:
    return sorted(values)[max(0, round(0.95 * len(values)) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=20, help="screens (default 20)")
    args = parser.parse_args()
    texts = screens(args.n)
    speakable("1", "yue")  # the numeral converter's import (once per process) is not shaping
    t0 = time.perf_counter()
    for text in texts:
        speakable(text, "yue")
    shaping_ms = (time.perf_counter() - t0) * 1000 / len(texts)
    print(f"{len(texts)} screens, {statistics.mean(len(t) for t in texts):.0f} characters on average; "
          f"Cantonese number shaping {shaping_ms:.2f} ms a screen")
    with tempfile.TemporaryDirectory() as tmp:
        renderer = WorkerRenderer(Path(tmp))
        renderer.start()
        renderer.render("预热", VOICES["zh-CN"], 150, 0.8)
        print(f"{'voice':<6} {'render median':>14} {'render p95':>11} {'audio median':>13} {'RTF':>6}")
        for name, locale in (("yue", "yue"), ("cmn", "zh-CN")):
            render, audio = [], []
            for text in texts:
                renderer.forget_session()
                said = speakable(text, locale)
                start = time.perf_counter()
                wav = renderer.render(said, VOICES[locale], 150, 0.8)
                render.append(time.perf_counter() - start)
                audio.append(seconds(wav))
            rtf = sum(render) / sum(audio)
            print(f"{name:<6} {statistics.median(render) * 1000:>11.0f} ms {p95(render) * 1000:>8.0f} ms "
                  f"{statistics.median(audio):>11.1f} s {rtf:>6.3f}")
        renderer.close()


if __name__ == "__main__":
    main()
