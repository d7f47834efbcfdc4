"""Measuring the handwriting recognizer on real stroke data: hanzi-writer-data's medians.

hanzi-writer-data (npm; derived from Make Me a Hanzi, from Arphic's fonts) has one JSON file
per character whose `medians` are the centre lines of its strokes, in writing order, in a
1024×1024 box with y pointing up and the baseline offset: as SVG, `scale(1, -1)
translate(0, -900)`, so a point (x, y) is drawn at (x, 900 - y) with y down. Medians are
ideal, font-like strokes, not a finger's: the figures are an upper bound of sorts.

The data is for the bench and the tests only, never shipped: `fetch_stroke_data` runs
`npm pack` into a cache folder (KIOSK_HANZI_DATA, else ~/.cache/legal-kiosk/) once.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tarfile
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from kiosk.devices.handwriting import HandwritingRecognizer

PACKAGE = "hanzi-writer-data@2.0.1"
BOX = 1024  # hanzi-writer's box
BASELINE = 900  # y of the top of the box in hanzi-writer's y-up coordinates


class StrokeDataUnavailable(Exception):
    """No stroke data and no way to fetch it (no npm, no registry)."""


def cache_dir() -> Path:
    env = os.environ.get("KIOSK_HANZI_DATA")
    if env:
        return Path(env)
    return Path.home() / ".cache" / "legal-kiosk" / PACKAGE.replace("@", "-")


def fetch_stroke_data(target: Path | None = None, timeout: float = 180) -> Path:
    """The folder of per-character JSON files, fetched with npm on first use."""
    target = target or cache_dir()
    folder = target / "package"
    if (folder / "package.json").is_file():
        return folder
    npm = shutil.which("npm")
    if npm is None:
        raise StrokeDataUnavailable(f"no npm to fetch {PACKAGE} (and no copy in {target})")
    target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target) as tmp:
        try:
            done = subprocess.run([npm, "pack", PACKAGE, "--silent"], cwd=tmp, capture_output=True,
                                  text=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired as exc:
            raise StrokeDataUnavailable(f"npm pack {PACKAGE} timed out") from exc
        tarballs = list(Path(tmp).glob("*.tgz"))
        if done.returncode != 0 or not tarballs:
            raise StrokeDataUnavailable(f"npm pack {PACKAGE} failed: {done.stderr.strip()[-300:]}")
        with tarfile.open(tarballs[0]) as archive:
            archive.extractall(tmp, filter="data")
        try:
            os.replace(Path(tmp) / "package", folder)
        except OSError:  # another process unpacked it first
            if not (folder / "package.json").is_file():
                raise
    return folder


def medians_to_strokes(medians: Sequence[Sequence[Sequence[float]]]) -> list[list[tuple[float, float]]]:
    """hanzi-writer medians as strokes in a BOX×BOX area, y pointing down."""
    return [[(float(x), float(BASELINE - y)) for x, y in stroke] for stroke in medians]


def load_strokes(folder: Path, char: str) -> list[list[tuple[float, float]]] | None:
    path = folder / f"{char}.json"
    if not path.is_file():
        return None
    return medians_to_strokes(json.loads(path.read_text(encoding="utf-8"))["medians"])


@dataclass(frozen=True, slots=True)
class Figures:
    tried: int
    missing: int  # characters without stroke data
    top1: float
    top5: float
    ms_per_char: float
    misses: tuple[str, ...]  # characters not in the top 5

    def summary(self) -> str:
        return (f"{self.tried} characters ({self.missing} without stroke data): "
                f"top-1 {self.top1:.1%}, top-5 {self.top5:.1%}, {self.ms_per_char:.1f} ms per character")


def evaluate(recognizer: HandwritingRecognizer, folder: Path, chars: Iterable[str]) -> Figures:
    """Recognise each character from its medians; top-1/top-5 hits and time per call."""
    tried = missing = top1 = top5 = 0
    misses: list[str] = []
    spent = 0.0
    for char in chars:
        strokes = load_strokes(folder, char)
        if strokes is None:
            missing += 1
            continue
        start = time.perf_counter()
        found = [c.char for c in recognizer.recognize(strokes, BOX, BOX, n=10)]
        spent += time.perf_counter() - start
        tried += 1
        top1 += found[:1] == [char]
        if char in found[:5]:
            top5 += 1
        else:
            misses.append(char)
    n = max(tried, 1)
    return Figures(tried, missing, top1 / n, top5 / n, spent * 1000 / n, tuple(misses))
