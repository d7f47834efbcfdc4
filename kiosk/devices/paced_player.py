"""A stand-in audio player for machines without a sound card (CI, benches).

It "plays" a WAV at real-time pace, 20 ms a chunk, optionally copying the audio to a file
and writing the wall-clock time of the first sample to a marker file. The speaker starts
and kills it exactly as it does `aplay`, so stop-on-touch is exercised for real.

    python -m kiosk.devices.paced_player [--out COPY.wav] [--mark FIRST.txt] [--speed X] FILE.wav
"""

from __future__ import annotations

import argparse
import time
import wave
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("wav")
    parser.add_argument("--out", help="copy what is played to this WAV")
    parser.add_argument("--mark", help="write time.time() of the first sample here")
    parser.add_argument("--speed", type=float, default=1.0, help="play this many times faster (tests)")
    args = parser.parse_args(argv)
    with wave.open(args.wav, "rb") as src:
        params = src.getparams()
        chunk = max(1, params.framerate // 50)
        sink = wave.open(args.out, "wb") if args.out else None  # noqa: SIM115 (optional)
        if sink is not None:
            sink.setparams(params)
        start = time.monotonic()
        played = 0
        while frames := src.readframes(chunk):
            if played == 0 and args.mark:
                Path(args.mark).write_text(repr(time.time()), encoding="utf-8")
            if sink is not None:
                sink.writeframes(frames)
            played += len(frames) // (params.sampwidth * params.nchannels)
            ahead = start + played / params.framerate / args.speed - time.monotonic()
            if ahead > 0:
                time.sleep(ahead)
        if sink is not None:
            sink.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
