"""`kiosk say` and `kiosk listen`: the speech devices from the command line.

    kiosk say [--lang zh-CN|cmn|yue|en] [--out FILE.wav] [--rate WPM] TEXT
    kiosk listen --wav FILE | --mic [--grammar PHRASE ...] [--lang zh-CN|en] [--model DIR]

`say` speaks through the configured player, or writes a WAV with --out (works without a
sound card). `listen` recognises a WAV file with the configured vosk model and prints
{"text", "phrase", "score", "how"} as JSON; without a model it exits 2 and names the key.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import shutil
import sys
import threading
from pathlib import Path

from kiosk.config import KioskConfig
from kiosk.services.faults import FaultLog


def configure_say(p: argparse.ArgumentParser) -> None:
    p.add_argument("text", nargs="+", help="what to say")
    p.add_argument("--lang", default="zh-CN", choices=["zh-CN", "cmn", "yue", "en"],
                   help="voice: zh-CN or cmn Mandarin, yue Cantonese, en English (default zh-CN)")
    p.add_argument("--out", help="write a WAV here instead of playing it")
    p.add_argument("--rate", type=int, help="words per minute (default from [speech] rate)")


def configure_listen(p: argparse.ArgumentParser) -> None:
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument("--wav", help="16-bit PCM WAV to recognise (any rate, mono or stereo)")
    source.add_argument("--mic", action="store_true",
                        help="one push-to-talk turn on the configured microphone (on-site check)")
    p.add_argument("--grammar", nargs="*", metavar="PHRASE",
                   help="allowed phrases (default: free dictation)")
    p.add_argument("--lang", default="zh-CN", choices=["zh-CN", "en"])
    p.add_argument("--model", help="vosk model folder (default: [speech] model)")


def run_say(args: argparse.Namespace, cfg: KioskConfig) -> int:
    from kiosk.devices.speech_config import speech_config
    from kiosk.devices.tts import EspeakSpeaker
    from kiosk.devices.tts_render import RenderError
    from kiosk.voice.spoken import scrub, speakable

    locale = "zh-CN" if args.lang == "cmn" else args.lang
    text = speakable(scrub(" ".join(args.text), locale), locale)
    config = speech_config(cfg)
    if args.rate:
        config = dataclasses.replace(config, rate=args.rate)
    speaker = EspeakSpeaker(config, FaultLog(cfg.state_dir / "faults.jsonl"))
    try:
        missing = speaker.missing_voice(locale)
        if missing:  # the kiosk itself falls back to Mandarin; asked for by name, say so
            print(f"cannot speak {args.lang}: {missing}", file=sys.stderr)
            return 1
        if args.out:
            try:
                wav = speaker.render(text, locale)
            except RenderError as exc:
                print(f"cannot render: {exc}", file=sys.stderr)
                return 1
            out = Path(args.out).resolve()
            shutil.copyfile(wav, out)
            print(out)
            return 0
        reason = speaker.unavailable() or speaker.probe()
        if reason:
            print(f"cannot speak: {reason} (use --out FILE.wav to write the audio instead)",
                  file=sys.stderr)
            return 1
        speaker.say(text, locale)
        speaker.gate.wait_quiet()
        return 0
    finally:
        speaker.close()


def run_listen(args: argparse.Namespace, cfg: KioskConfig) -> int:
    from kiosk.devices.asr import VoskRecognizer
    from kiosk.devices.audio_source import AudioSource, AudioUnavailable, MicrophoneSource, WavFileSource
    from kiosk.devices.speech_config import MODEL_KEY, speech_config
    from kiosk.voice.snap import Phrase, Target, snap

    config = speech_config(cfg)
    if args.model:
        config = dataclasses.replace(config, model=Path(args.model).resolve())
    if config.model is None:
        print(f"no speech model configured: set {MODEL_KEY} to a vosk model folder", file=sys.stderr)
        return 2
    source: AudioSource
    if args.mic:
        source = MicrophoneSource(config.microphone)
    else:
        source = WavFileSource(Path(args.wav))
        try:
            source.load()
        except AudioUnavailable as exc:
            print(f"cannot read the audio: {exc}", file=sys.stderr)
            return 1
    recognizer = VoskRecognizer(config, FaultLog(cfg.state_dir / "faults.jsonl"), source=source)
    recognizer.start(wait=True)
    reason = recognizer.unavailable()
    if reason:
        print(f"cannot listen: {reason}", file=sys.stderr)
        return 2
    if args.mic:
        print("listening: say something; it stops after a short silence", file=sys.stderr)
    heard: list[str] = []
    done = threading.Event()

    def on_text(text: str) -> None:
        heard.append(text)
        done.set()

    recognizer.listen(list(args.grammar) if args.grammar else None, args.lang, on_text)
    done.wait()
    result: dict[str, object] = {"text": heard[0], "phrase": None, "score": None, "how": None}
    if args.grammar:
        snapped = snap(heard[0], [Phrase(p, Target("phrase", p)) for p in args.grammar])
        result.update(phrase=snapped.phrase, score=round(snapped.score, 1), how=snapped.how)
    print(json.dumps(result, ensure_ascii=False))
    return 0
