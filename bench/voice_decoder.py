"""Benchmark: the real vosk decoder with a model folder (bench/voice.py --model DIR runs it).

Figures: model load time and the resident memory it adds (VmRSS before/after); the
real-time factor of decoding (decode time / audio length) with a screen grammar and as free
dictation; end of speech → result with audio paced like a microphone (what a resident
waits after the last word); the cost of switching the grammar between screens, as a new
KaldiRecognizer per turn (what the adapter does) against SetGrammar + Reset on one, each
followed by the first 0.5 s of decoding (where a lazily built grammar would cost);
SetGrammar on a used recognizer is probed in a child process (it aborts in vosk 0.3.45).

Phrases are spoken by espeak-ng in the model's language (Korean for the PyPI model,
Mandarin for a Chinese one). Run alone: .venv/bin/python bench/voice_decoder.py DIR
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kiosk.devices.asr import VoskRecognizer, grammar_json, new_vosk_recognizer  # noqa: E402
from kiosk.devices.audio_source import RATE, WavFileSource  # noqa: E402
from kiosk.devices.speech_config import SpeechConfig  # noqa: E402
from kiosk.devices.vosk_model import inspect_model  # noqa: E402
from kiosk.voice.snap import Phrase, Target, snap  # noqa: E402

SCREENS = {
    "Korean": ("ko", [["네", "아니요", "다시", "취소"],
                      ["변호사 상담", "이혼", "교통 사고", "노동", "상속", "병원"]]),
    "Chinese": ("cmn", [["是", "不是", "返回", "重复"], ["讨工资", "工伤", "家暴", "离婚", "交通事故"]]),
}


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def speech_end(path: Path) -> float:
    data = np.frombuffer(WavFileSource(path, tail_silence_s=0).load(), dtype="<i2").astype(np.float64)
    frames = data[: len(data) // 160 * 160].reshape(-1, 160)
    loud = np.nonzero(np.sqrt((frames ** 2).mean(axis=1)) > 300)[0]
    return float((loud[-1] + 1) * 160 / RATE) if len(loud) else 0.0


def ms(values: list[float]) -> str:
    values = sorted(values)
    p95 = values[min(len(values) - 1, int(0.95 * len(values)))]
    return f"median {statistics.median(values) * 1000:6.1f} ms  p95 {p95 * 1000:6.1f} ms  (n={len(values)})"


CPU: list[float] = []  # CPU seconds of each turn (all threads): wall time on a shared machine lies


def turn(rec: VoskRecognizer, wav: Path, phrases: list[str] | None, realtime: bool) -> tuple[str, float]:
    """One push-to-talk turn: (text, seconds from the turn's start to the result)."""
    rec.source = WavFileSource(wav, realtime=realtime)
    got: list[str] = []
    done = threading.Event()
    began, cpu = time.monotonic(), time.process_time()
    rec.listen(phrases, "bench", lambda text: (got.append(text), done.set()))
    done.wait(60)
    rec.wait(5)
    CPU.append(time.process_time() - cpu)
    return got[0], time.monotonic() - began


def bench_decoder(model: Path, tmp: Path) -> None:
    info = inspect_model(model)
    print(f"model: {info.summary()}; takes runtime grammars: {info.takes_grammar}"
          + (f"; PROBLEM: {info.problem}" if info.problem else ""))
    if info.problem:
        return
    voice, screens = SCREENS.get(info.language, SCREENS["Chinese"])
    before = rss_mb()
    began = time.monotonic()
    rec = VoskRecognizer(SpeechConfig(model=model, no_speech_s=2.0), source=WavFileSource(tmp))
    rec.start(wait=True)
    loaded = time.monotonic() - began
    assert rec.unavailable() is None, rec.unavailable()
    print(f"model load {loaded:.2f} s; RSS {before:.0f} MB → {rss_mb():.0f} MB "
          f"(+{rss_mb() - before:.0f} MB for the loaded model)")
    wavs: dict[str, Path] = {}
    for i, phrase in enumerate(p for screen in screens for p in screen):
        wavs[phrase] = tmp / f"p{i}.wav"
        subprocess.run(["espeak-ng", "-v", voice, "-s", "130", "-w", str(wavs[phrase]), phrase], check=True)
    rtf_grammar, rtf_free, cpu_grammar, cpu_free, latencies, right, total = [], [], [], [], [], 0, 0
    for screen in screens:
        for phrase in screen:
            audio = speech_end(wavs[phrase]) + 1.0  # the source adds 1 s of silence
            text, took = turn(rec, wavs[phrase], screen, realtime=False)
            rtf_grammar.append(took / audio)
            cpu_grammar.append(CPU[-1] / audio)
            got = snap(text, [Phrase(p, Target("phrase", p)) for p in screen]).phrase
            right, total = right + (got == phrase), total + 1
            rtf_free.append(turn(rec, wavs[phrase], None, realtime=False)[1] / audio)
            cpu_free.append(CPU[-1] / audio)
            _text, took = turn(rec, wavs[phrase], screen, realtime=True)
            latencies.append(took - speech_end(wavs[phrase]))
    print(f"recognition RTF with the screen grammar: median {statistics.median(rtf_grammar):.3f} "
          f"(max {max(rtf_grammar):.3f}); free dictation: median {statistics.median(rtf_free):.3f} "
          f"(max {max(rtf_free):.3f}); {right}/{total} phrases snapped right")
    print(f"  the same in CPU time (one core's share, not waiting for others' jobs): grammar median "
          f"{statistics.median(cpu_grammar):.3f}, free dictation median {statistics.median(cpu_free):.3f}; "
          f"machine load {Path('/proc/loadavg').read_text().split()[0]} on {os.cpu_count()} cores")
    print(f"end of speech → result (audio paced in real time): {ms(latencies)}")
    bench_switch(rec, screens, wavs[screens[0][0]])


SET_GRAMMAR_PROBE = """
import sys, vosk
vosk.SetLogLevel(-1)
model = vosk.Model(model_path=sys.argv[1])
rec = vosk.KaldiRecognizer(model, 16000, sys.argv[2])
rec.AcceptWaveform(bytes(16000))  # 0.5 s decoded: the recognizer is running
rec.SetGrammar(sys.argv[3])  # without Reset() first
print("survived")
"""


def bench_switch(rec: VoskRecognizer, screens: list[list[str]], wav: Path) -> None:
    """A new KaldiRecognizer per turn against Reset + SetGrammar on one, both timed.

    vosk 0.3.45's SetGrammar on a recognizer that is mid-utterance (audio fed, no Reset or
    final result since) aborts the whole process ("Can't add speaker model to already
    running recognizer", KaldiFatalError → std::terminate): probed in a child process."""
    model = rec._model
    assert model is not None and rec.config.model is not None
    grammars = [grammar_json(screen, model) for screen in screens]
    half = WavFileSource(wav).load()[: RATE]  # 0.5 s of 16-bit audio
    new_times = []
    for i in range(40):
        began = time.perf_counter()
        kaldi = new_vosk_recognizer(model, RATE, grammars[i % 2])
        kaldi.AcceptWaveform(half)
        new_times.append(time.perf_counter() - began)
    print(f"grammar switch + first 0.5 s decoded: new recognizer per turn {ms(new_times)}")
    import vosk

    one = vosk.KaldiRecognizer(model, RATE, grammars[0])
    set_times = []
    for i in range(40):
        began = time.perf_counter()
        one.Reset()
        one.SetGrammar(grammars[i % 2])
        one.AcceptWaveform(half)
        set_times.append(time.perf_counter() - began)
    print(f"                                      Reset + SetGrammar on one  {ms(set_times)}")
    child = subprocess.run([sys.executable, "-c", SET_GRAMMAR_PROBE, str(rec.config.model), *grammars[:2]],
                           capture_output=True, text=True, timeout=120)
    fate = ("works" if "survived" in child.stdout else
            f"ABORTS the process (exit {child.returncode}: "
            f"{(child.stderr.strip().splitlines() or ['?'])[-1][:80]})")
    print(f"SetGrammar mid-utterance (audio fed, no Reset): {fate}")


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        bench_decoder(Path(sys.argv[1]), Path(tmp))
