"""Benchmark: handwriting recognition of name characters, and pinyin candidates for them.

Handwriting: zinnia with Debian's tegaki-zinnia-simplified-chinese model, on the medians of
hanzi-writer-data (fetched with npm into ~/.cache on first run; see
kiosk/devices/handwriting_eval.py) for the first N characters of the shipped name list
(kiosk/data/name_chars.txt: surnames, then given-name characters). Prints top-1 / top-5
accuracy and milliseconds per character, written full-size in the box and written small
in its top-left corner (45 % of the box), each with the writing fitted to the model's
canvas (as the kiosk does) and with the pad mapped onto it (the baseline), then the
characters missed in the top 5.
Pinyin: for each of those characters, the share found among the first 10 candidates of
its commonest reading, as the first syllable (surname) and as a later one (given name).
Run: .venv/bin/python bench/handwriting.py [--count 500]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kiosk.applications.pinyin_input import candidates, name_characters  # noqa: E402
from kiosk.devices.handwriting import (  # noqa: E402
    Candidate,
    HandwritingRecognizer,
    Strokes,
    ZinniaHandwriting,
    handwriting_recognizer,
)
from kiosk.devices.handwriting_eval import (  # noqa: E402
    BOX,
    StrokeDataUnavailable,
    evaluate,
    fetch_stroke_data,
)
from kiosk.search.pinyin import first_reading  # noqa: E402


class Cornered:
    """Wraps a recognizer: the same strokes written at 45 % size in the top-left corner."""

    def __init__(self, inner: HandwritingRecognizer) -> None:
        self.inner = inner

    def recognize(self, strokes: Strokes, width: float, height: float, n: int = 10,
                  *, y_up: bool = False) -> list[Candidate]:
        small = [[(20 + x * 0.45, 20 + y * 0.45) for x, y in s] for s in strokes]
        return self.inner.recognize(small, width, height, n, y_up=y_up)

    def unavailable(self) -> str | None:
        return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=500)
    args = parser.parse_args()
    names = name_characters()
    chars = list(dict.fromkeys([*names.surnames, *names.given]))[: args.count]

    start = time.perf_counter()
    recognizer = handwriting_recognizer()
    reason = recognizer.unavailable()
    print(f"recognizer ready in {(time.perf_counter() - start) * 1000:.0f} ms")
    if reason:
        print(f"handwriting: skipped, {reason}")
    else:
        try:
            folder = fetch_stroke_data()
        except StrokeDataUnavailable as exc:
            print(f"handwriting: skipped, {exc}")
        else:
            baseline = ZinniaHandwriting(fit=None)
            full = evaluate(recognizer, folder, chars)
            print(f"handwriting, full box ({BOX}px): {full.summary()}")
            cornered = evaluate(Cornered(recognizer), folder, chars)
            print(f"handwriting, small in a corner: {cornered.summary()}")
            print(f"  baseline, pad mapped, full box: {evaluate(baseline, folder, chars).summary()}")
            print(f"  baseline, pad mapped, small in a corner: "
                  f"{evaluate(Cornered(baseline), folder, chars).summary()}")
            print(f"not in top 5 (full box, {len(full.misses)}): {''.join(full.misses)}")

    start = time.perf_counter()
    candidates("wang")
    print(f"pinyin tables built in {(time.perf_counter() - start) * 1000:.0f} ms")
    for role, surname in (("surname", True), ("given name", False)):
        hits = sum(ch in candidates(first_reading(ch), surname=surname, limit=10) for ch in chars)
        print(f"pinyin, as {role}: {hits}/{len(chars)} = {hits / len(chars):.1%} in the first 10 "
              "candidates of their commonest reading")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
