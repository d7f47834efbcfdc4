"""Benchmark: speech output latency and speed; recognition when a vosk model is present.

1. Screen change → first audio sample: `VoiceController.show(screen)` until the player
   writes its first sample, for every question/info screen of the shipped flows, with
   the prompt pre-rendered (cached) and rendered fresh. The player is
   kiosk.devices.paced_player (a Python process: its own start-up, measured separately
   and printed, is part of the figure; `aplay` starts faster).
   Then a touch while speaking: `touch()` until the player process is gone.
1b. The same in the app: the real app under Xvfb with the real espeak-ng speaker and
   read-aloud on; a real tap through the X server (XTest) that changes the screen (home →
   legal-aid question, and "Home" back) until the player's first sample. Fresh: the
   session's renders forgotten before each tap; cached: both WAVs already rendered this
   session (as for a resident going back and forth).
2. Synthesis real-time factor: render time / audio length, zh-CN and en, short to long.
3. With a model (KIOSK_VOSK_MODEL or --model DIR): the real decoder (bench/voice_decoder.py):
   load time and RSS, real-time factor with a screen grammar and free dictation, end of
   speech → result, grammar switch cost, on espeak-ng phrases in the model's language
   (the Korean model from PyPI works); with a Chinese model also end of speech → action
   (the engine answered) on the legal-aid flow.
Run: .venv/bin/python bench/voice.py [--model DIR [--only-model]] [--n 40] [--taps 12] [--only-app]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
import wave
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kiosk.content.bundle import load_bundle  # noqa: E402
from kiosk.devices.asr import VoskRecognizer  # noqa: E402
from kiosk.devices.audio_source import RATE, WavFileSource  # noqa: E402
from kiosk.devices.fakes import FakeRecognizer, FakeSpeaker  # noqa: E402
from kiosk.devices.speech_config import SpeechConfig  # noqa: E402
from kiosk.devices.tts import EspeakSpeaker  # noqa: E402
from kiosk.flows.engine import FlowEngine  # noqa: E402
from kiosk.flows.views import Screen  # noqa: E402
from kiosk.voice import grammar as grammars  # noqa: E402
from kiosk.voice.dialogue import VoiceController, VoiceEvent  # noqa: E402
from kiosk.voice.spoken import screen_speech, scrub, speakable  # noqa: E402

sys.path.insert(0, str(ROOT / "bench"))
from voice_decoder import bench_decoder  # noqa: E402

from kiosk.devices.vosk_model import guess_language  # noqa: E402


def ms(values: list[float]) -> str:
    values = sorted(values)
    p95 = values[min(len(values) - 1, int(0.95 * len(values)))]
    return f"median {statistics.median(values) * 1000:6.1f} ms  p95 {p95 * 1000:6.1f} ms  " \
           f"max {values[-1] * 1000:6.1f} ms  (n={len(values)})"


def seconds(path: Path) -> float:
    with wave.open(str(path), "rb") as f:
        return f.getnframes() / f.getframerate()


def screens(engine: FlowEngine, locale: str) -> list[Screen]:
    """The first screen of each flow and the screens after its first choice/yes."""
    found: list[Screen] = []
    for flow_id in sorted(engine.compiled):
        session = engine.start(flow_id, locale)
        for _ in range(3):
            screen = session.screen()
            found.append(screen)
            if screen.kind != "question" or screen.input not in ("choice", "yesno"):
                break
            session.answer(screen.choices[0].value if screen.input == "choice" else True)
    return found


def first_sample(voice: VoiceController, speaker: EspeakSpeaker, mark: Path, screen: Screen,
                 locale: str) -> float:
    mark.unlink(missing_ok=True)
    began = time.time()
    voice.show(screen, locale)
    deadline = time.monotonic() + 10
    while not mark.exists() or not mark.read_text():
        if time.monotonic() > deadline:
            raise RuntimeError("the player never started")
        time.sleep(0.001)
    at = float(mark.read_text())
    speaker.stop()
    return at - began


def bench_output(n: int, tmp: Path) -> None:
    bundle, problems = load_bundle(ROOT / "content", ROOT / "config" / "localities" / "demo.yaml")
    assert bundle is not None, problems
    engine = FlowEngine(bundle)
    mark = tmp / "first.txt"
    player = (sys.executable, "-m", "kiosk.devices.paced_player", "--mark", str(mark), "{wav}")
    speaker = EspeakSpeaker(SpeechConfig(player=player, cache_dir=tmp / "speech"))
    began = time.monotonic()
    speaker.renderer.start()
    took = (time.monotonic() - began) * 1000
    print(f"speech worker start (process + pyttsx3 + espeak-ng init): {took:.0f} ms")
    voice = VoiceController(speaker, FakeRecognizer())

    # The player's own start-up: a 50 ms WAV, from spawn to first sample.
    tiny = speaker.render("嗯", "zh-CN", fixed=True)
    starts = []
    for _ in range(10):
        mark.unlink(missing_ok=True)
        began_wall = time.time()
        speaker.say("嗯", "zh-CN")
        while not mark.exists() or not mark.read_text():
            time.sleep(0.001)
        starts.append(float(mark.read_text()) - began_wall)
        speaker.stop()
    del tiny
    print(f"  of which the paced player's start-up (cached 1-syllable prompt): {ms(starts)}")

    for locale in ("zh-CN", "en"):
        all_screens = screens(engine, locale)[:n]
        # Fresh: nothing rendered for these texts yet.
        speaker.renderer.forget_session()
        fresh = [first_sample(voice, speaker, mark, s, locale) for s in all_screens]
        # Cached: the same prompts pre-rendered into the fixed cache.
        speaker.prerender([(speakable(scrub(screen_speech(s, locale), locale), locale), locale)
                           for s in all_screens])  # exactly what show() will say
        cached = [first_sample(voice, speaker, mark, s, locale) for s in all_screens]
        print(f"screen change → first audio sample, {locale:<5} cached: {ms(cached)}")
        print(f"screen change → first audio sample, {locale:<5} fresh:  {ms(fresh)}")
    # A touch while speaking: stop() until the player process is gone.
    stops = []
    for screen in screens(engine, "zh-CN")[:20]:
        first_sample(voice, speaker, mark, screen, "zh-CN")  # stops it at once: say again
        voice.show(screen, "zh-CN")
        while speaker._playing is None:
            time.sleep(0.001)
        playing = speaker._playing
        began = time.monotonic()
        voice.touch()
        stops.append(time.monotonic() - began)
        assert playing.proc.poll() is not None
    print(f"touch while speaking → player process gone: {ms(stops)}")
    speaker.close()


def bench_in_app(n: int, tmp: Path) -> None:
    """Tap → first audio sample through the app's own read-aloud path (see 1b above)."""
    from kiosk.ui.headless import kivy_environment, virtual_display

    kivy_environment(Path(tempfile.mkdtemp(dir=tmp)))
    with virtual_display():
        from kiosk.devices.null_speech import NullRecognizer
        from kiosk.ui.driver import Driver, walk
        from kiosk.ui.tools_cli import make_app
        from kiosk.ui.xinput import XTap

        mark = tmp / "app-first.txt"
        player = (sys.executable, "-m", "kiosk.devices.paced_player", "--mark", str(mark), "{wav}")
        speaker = EspeakSpeaker(SpeechConfig(player=player, cache_dir=tmp / "app-speech"))
        speaker.renderer.start()
        app = make_app(speaker=speaker)
        app.services.recognizer = NullRecognizer("bench: no microphone")
        driver = Driver.start(app)
        tapper = XTap()

        def find(text: str, cls: str) -> Any:
            for w in walk(driver.window):
                shown = w.opacity > 0 and not w.disabled and w.get_root_window() is not None
                if type(w).__name__ == cls and getattr(w, "text", None) == text and shown:
                    return w
            raise RuntimeError(f"no {cls} {text!r} on {app.root.current}")

        def tap(widget: Any, expect: str) -> float:
            mark.unlink(missing_ok=True)
            x, y = driver.screen_point(widget)
            began = time.time()
            tapper.tap(x, y)
            deadline = time.monotonic() + 15
            while not mark.exists() or not mark.read_text():
                if time.monotonic() > deadline:
                    raise RuntimeError(f"no audio after the tap to {expect}")
                driver.step()
            assert app.root.current == expect, app.root.current
            at = float(mark.read_text())
            speaker.stop()
            driver.settle(max_frames=10)
            return at - began

        driver.settle()
        area = next(w for w in walk(driver.window) if type(w).__name__ == "TouchArea")
        for _ in range(50):  # the attract screen: touch to start (again while start-up runs)
            x, y = driver.screen_point(area)
            tapper.tap(x, y)
            driver.settle()
            if app.root.current == "home":
                break
            time.sleep(0.1)
        app.read_aloud = True
        for locale in ("zh-CN", "en"):
            app.apply(locale=locale)
            driver.settle()
            results: dict[tuple[str, str], list[float]] = {}
            # n fresh round trips (every render forgotten before each tap), one round trip
            # that renders both texts into the session, then n cached round trips.
            for kind in ["fresh"] * n + ["warm"] + ["cached"] * n:
                for label, cls, target in (("Can I get free legal aid?", "HomeTile", "flow"),
                                           ("Home", "KButton", "home")):
                    if kind == "fresh":
                        speaker.renderer.forget_session()
                    took = tap(find(app.t(label), cls), target)
                    if kind != "warm":
                        results.setdefault((kind, target), []).append(took)
            for (kind, target), times in sorted(results.items()):
                to = {"flow": "home → question", "home": "question → home"}[target]
                print(f"in the app: tap {to}, first audio sample, {locale:<5} {kind + ':':<7} {ms(times)}")
        tapper.close()
        driver.close()
        speaker.close()


def bench_rtf(tmp: Path) -> None:
    bundle, _ = load_bundle(ROOT / "content", ROOT / "config" / "localities" / "demo.yaml")
    assert bundle is not None
    engine = FlowEngine(bundle)
    speaker = EspeakSpeaker(SpeechConfig(cache_dir=tmp / "rtf"))
    speaker.renderer.start()
    for locale in ("zh-CN", "en"):
        session = engine.start("legal-aid", locale)
        # wages; no lawyer; work in this county; no 7-day deadline; on dibao → o_apply_exempt
        for answer in ("wages", False, True, False):
            session.answer(answer)
        outcome = session.answer(True)
        texts = {"short prompt": "请再说一遍。" if locale == "zh-CN" else "Please say it again.",
                 "question": screen_speech(engine.start("legal-aid", locale).screen(), locale),
                 "outcome": screen_speech(outcome, locale)}
        for name, text in texts.items():
            times, audio = [], 0.0
            for i in range(5):
                began = time.monotonic()
                path = speaker.renderer.render(text + " " * i, speaker.config.voice(locale), 150, 0.8)
                times.append(time.monotonic() - began)
                audio = seconds(path)
            rtf = statistics.median(times) / audio
            print(f"synthesis {locale:<5} {name:<12} {len(text):4d} chars, {audio:5.1f} s audio: "
                  f"render median {statistics.median(times) * 1000:6.1f} ms, RTF {rtf:.4f}")
    speaker.close()


def speech_end(path: Path) -> float:
    data = np.frombuffer(WavFileSource(path, tail_silence_s=0).load(), dtype="<i2").astype(np.float64)
    frames = data[: len(data) // 160 * 160].reshape(-1, 160)
    loud = np.nonzero(np.sqrt((frames ** 2).mean(axis=1)) > 300)[0]
    return (loud[-1] + 1) * 160 / RATE if len(loud) else 0.0


def bench_recognition(model: Path, tmp: Path) -> None:
    bundle, _ = load_bundle(ROOT / "content", ROOT / "config" / "localities" / "demo.yaml")
    assert bundle is not None
    engine = FlowEngine(bundle)
    speaker = EspeakSpeaker(SpeechConfig(cache_dir=tmp / "asr"))
    cases = [("讨工资", "wages"), ("工伤", "injury"), ("家暴", "violence"), ("返回", None)]
    rtfs, latencies, right = [], [], 0
    for text, value in cases:
        wav = speaker.render(text, "zh-CN", fixed=True)
        screen = engine.start("legal-aid", "zh-CN").screen()
        g = grammars.for_screen(screen, "zh-CN")
        # Recognition RTF: as fast as the audio can be fed.
        rec = VoskRecognizer(SpeechConfig(model=model), source=WavFileSource(wav))
        rec.start(wait=True)
        heard: list[str] = []
        began = time.monotonic()
        rec.listen(g.recognizer_phrases(), "zh-CN", heard.append)
        rec.wait(30)
        rtfs.append((time.monotonic() - began) / (seconds(wav) + 1.0))
        right += g.snap(heard[0]).target == (grammars.Target("choice", value) if value else
                                               grammars.Target("command", "back"))
        # End of speech → action, audio paced like a microphone.
        session = engine.start("legal-aid", "zh-CN")
        rec.source = WavFileSource(wav, realtime=True)
        done = threading.Event()
        stamp: list[float] = []

        def on_event(event: VoiceEvent, stamp: list[float] = stamp, done: threading.Event = done) -> None:
            if event.kind in ("screen", "ended", "offer_buttons", "confirming"):
                stamp.append(time.monotonic())
                done.set()

        voice = VoiceController(FakeSpeaker(), rec, on_event)
        t0 = time.monotonic()
        voice.listen_flow(session)
        done.wait(30)
        voice.touch()  # end the turn: the next question would listen again
        if stamp:
            latencies.append(stamp[0] - (t0 + speech_end(wav)))
    speaker.close()
    print(f"recognition RTF (grammar, small model): median {statistics.median(rtfs):.3f}; "
          f"{right}/{len(cases)} phrases snapped right")
    print(f"end of speech → action (engine answered): {ms(latencies)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", default=os.environ.get("KIOSK_VOSK_MODEL", ""))
    parser.add_argument("--n", type=int, default=40, help="screens per locale")
    parser.add_argument("--taps", type=int, default=12, help="in-app round trips per locale")
    parser.add_argument("--only-app", action="store_true", help="only the in-app measurement")
    parser.add_argument("--only-model", action="store_true", help="only the real decoder (needs --model)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if args.only_model and args.model:
            bench_decoder(Path(args.model), Path(tmp))
            return
        if args.only_app:
            bench_in_app(args.taps, Path(tmp))
            return
        bench_output(args.n, Path(tmp))
        bench_in_app(args.taps, Path(tmp))
        bench_rtf(Path(tmp))
        model = Path(args.model) if args.model else None
        if model is not None and model.is_dir():
            bench_decoder(model, Path(tmp))
            if guess_language(model) == "Chinese":
                bench_recognition(model, Path(tmp))
        else:
            print("recognition: skipped, no vosk model (set KIOSK_VOSK_MODEL or pass --model DIR)")


if __name__ == "__main__":
    main()
