"""Handwriting: a name written by finger, recognised by zinnia with Tegaki's zh_CN model.

Debian ships the library (libzinnia0) and the model (tegaki-zinnia-simplified-chinese), but
no Python binding any more (python3-zinnia left Debian; PyPI has none that is kept up), so
this module calls zinnia's small, stable C API (zinnia.h: character / recognizer / result,
ten functions) through ctypes. Nothing here is imported or loaded at import time.

The model was trained on Tegaki writings in a 1000×1000 box, so strokes are mapped onto
that canvas, y pointing down. Zinnia compares absolute positions: the same character
written small in a corner of the pad scored 3 % top-1 where centred it scored 78 %
(bench/handwriting.py). So the writing itself, not the pad, is fitted: its bounding box,
proportions kept, is scaled to FIT of the canvas and centred (FIT = 0.7 measured best of
0.6-1.0 on hanzi-writer data). Zinnia is not documented as thread-safe: one lock per
recognizer.

What was written is a name, personal data: nothing about strokes or candidates is logged
and no repr carries them.
"""

from __future__ import annotations

import ctypes
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

DEFAULT_MODEL = Path("/usr/share/tegaki/models/zinnia/handwriting-zh_CN.model")
LIBRARY = "libzinnia.so.0"
CANVAS = 1000  # side of the box Tegaki's writings (hence the model) use
FIT = 0.7  # share of the canvas the writing's longer side is scaled to
APT_HINT = "apt-get install libzinnia0 tegaki-zinnia-simplified-chinese"

Point = tuple[float, float]
Strokes = Sequence[Sequence[Point]]


@dataclass(frozen=True, slots=True)
class Candidate:
    """One recognised character; a higher score is a better match (zinnia's SVM margin)."""

    char: str
    score: float


class HandwritingRecognizer(Protocol):
    """Strokes in, character candidates out (best first)."""

    def recognize(self, strokes: Strokes, width: float, height: float, n: int = 10,
                  *, y_up: bool = False) -> list[Candidate]:
        """`strokes`: each a list of (x, y) points in a writing area of `width`×`height`
        (origin top left, or bottom left with `y_up`, as Kivy has it). [] when nothing
        can be read (no strokes, or the recognizer is unavailable)."""
        ...

    def unavailable(self) -> str | None:
        """Why handwriting cannot be recognised here (a plain reason), or None when it can."""
        ...


def normalise(strokes: Strokes, width: float, height: float, *, y_up: bool = False,
              canvas: int = CANVAS, fit: float | None = FIT) -> list[list[tuple[int, int]]]:
    """Strokes on the model's `canvas`, y down, wherever and however large they were written.

    Points outside the area (a finger sliding off the pad) are clamped to its edge; strokes
    without points are dropped. With `fit`, the writing's bounding box is scaled (same
    factor both ways) so its longer side is `fit` of the canvas, and centred; without, the
    pad is mapped onto the canvas (scaled by its longer side, centred). A non-positive
    width or height is a caller's bug.
    """
    if width <= 0 or height <= 0:
        raise ValueError(f"writing area must be positive, got {width}×{height}")
    points = [[(min(max(x, 0.0), width), height - min(max(y, 0.0), height) if y_up
                else min(max(y, 0.0), height)) for x, y in stroke] for stroke in strokes]
    points = [stroke for stroke in points if stroke]
    if not points:
        return []
    if fit is None:
        scale = canvas / max(width, height)
        cx, cy = width / 2, height / 2
    else:
        xs = [x for stroke in points for x, _ in stroke]
        ys = [y for stroke in points for _, y in stroke]
        side = max(max(xs) - min(xs), max(ys) - min(ys))
        scale = canvas * fit / side if side > 0 else 1.0
        cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    half = canvas / 2
    return [[(round(half + (x - cx) * scale), round(half + (y - cy) * scale)) for x, y in stroke]
            for stroke in points]


class NullHandwriting:
    """No recognizer (library or model missing): the UI offers pinyin instead."""

    def __init__(self, reason: str = "handwriting recognition is not installed") -> None:
        self.reason = reason

    def recognize(self, strokes: Strokes, width: float, height: float, n: int = 10,
                  *, y_up: bool = False) -> list[Candidate]:
        return []

    def unavailable(self) -> str | None:
        return self.reason

    def __repr__(self) -> str:
        return f"NullHandwriting({self.reason!r})"


def _bind(lib: ctypes.CDLL) -> ctypes.CDLL:
    """Declare the signatures we call (ctypes would otherwise truncate pointers to int)."""
    vp, size, c_int = ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int
    table: dict[str, tuple[list[type] | None, type | None]] = {
        "zinnia_recognizer_new": ([], vp),
        "zinnia_recognizer_open": ([vp, ctypes.c_char_p], c_int),
        "zinnia_recognizer_strerror": ([vp], ctypes.c_char_p),
        "zinnia_recognizer_size": ([vp], size),
        "zinnia_recognizer_classify": ([vp, vp, size], vp),
        "zinnia_recognizer_destroy": ([vp], None),
        "zinnia_character_new": ([], vp),
        "zinnia_character_set_width": ([vp, size], None),
        "zinnia_character_set_height": ([vp, size], None),
        "zinnia_character_add": ([vp, size, c_int, c_int], c_int),
        "zinnia_character_destroy": ([vp], None),
        "zinnia_result_size": ([vp], size),
        "zinnia_result_value": ([vp, size], ctypes.c_char_p),
        "zinnia_result_score": ([vp, size], ctypes.c_float),
        "zinnia_result_destroy": ([vp], None),
    }
    for name, (args, result) in table.items():
        fn = getattr(lib, name)
        fn.argtypes = args
        fn.restype = result
    return lib


class ZinniaHandwriting:
    """The HandwritingRecognizer on libzinnia. The model is opened on first use (it is
    memory-mapped: a few milliseconds), or by `open()`; failures become `unavailable()`."""

    def __init__(self, model: Path = DEFAULT_MODEL, library: str = LIBRARY,
                 fit: float | None = FIT) -> None:
        self.model = model
        self.library = library
        self.fit = fit  # see normalise(); None maps the pad, not the writing (the bench's baseline)
        self._lock = threading.Lock()
        self._lib: ctypes.CDLL | None = None
        self._recognizer: int | None = None
        self._error: str | None = None
        self._opened = False

    def __repr__(self) -> str:
        return f"ZinniaHandwriting(model={str(self.model)!r})"

    def open(self) -> str | None:
        """Load the library and the model once; the reason it failed, or None."""
        with self._lock:
            if not self._opened:
                self._opened = True
                self._error = self._open()
            return self._error

    def _open(self) -> str | None:
        if not self.model.is_file():
            return f"no handwriting model at {self.model} ({APT_HINT})"
        try:
            lib = _bind(ctypes.CDLL(self.library))
        except (OSError, AttributeError) as exc:
            return f"zinnia library {self.library} cannot be loaded ({exc}; {APT_HINT})"
        recognizer = lib.zinnia_recognizer_new()
        if not recognizer:
            return "zinnia could not create a recognizer"
        if not lib.zinnia_recognizer_open(recognizer, str(self.model).encode()):
            reason = (lib.zinnia_recognizer_strerror(recognizer) or b"").decode(errors="replace")
            lib.zinnia_recognizer_destroy(recognizer)
            return f"handwriting model {self.model} cannot be opened ({reason})"
        self._lib, self._recognizer = lib, recognizer
        return None

    def unavailable(self) -> str | None:
        return self.open()

    def classes(self) -> int:
        """How many characters the model knows (6763 for Tegaki's zh_CN: all of GB2312)."""
        if self.open() is not None or self._lib is None:
            return 0
        with self._lock:
            return int(self._lib.zinnia_recognizer_size(self._recognizer))

    def recognize(self, strokes: Strokes, width: float, height: float, n: int = 10,
                  *, y_up: bool = False) -> list[Candidate]:
        points = normalise(strokes, width, height, y_up=y_up, fit=self.fit)
        if not points or n <= 0 or self.open() is not None:
            return []
        lib = self._lib
        assert lib is not None
        with self._lock:
            character = lib.zinnia_character_new()
            try:
                lib.zinnia_character_set_width(character, CANVAS)
                lib.zinnia_character_set_height(character, CANVAS)
                for index, stroke in enumerate(points):
                    for x, y in stroke:
                        lib.zinnia_character_add(character, index, x, y)
                result = lib.zinnia_recognizer_classify(self._recognizer, character, n)
            finally:
                lib.zinnia_character_destroy(character)
            if not result:
                return []
            try:
                return [Candidate(lib.zinnia_result_value(result, i).decode("utf-8"),
                                  float(lib.zinnia_result_score(result, i)))
                        for i in range(lib.zinnia_result_size(result))]
            finally:
                lib.zinnia_result_destroy(result)

    def close(self) -> None:
        with self._lock:
            if self._lib is not None and self._recognizer:
                self._lib.zinnia_recognizer_destroy(self._recognizer)
            self._recognizer = None
            self._lib = None
            self._opened = False


def handwriting_recognizer(model: Path | None = None) -> HandwritingRecognizer:
    """The zinnia recognizer when library and model are there, else a NullHandwriting
    that says why (the composition root calls this once)."""
    zinnia = ZinniaHandwriting(model or DEFAULT_MODEL)
    reason = zinnia.open()
    return NullHandwriting(reason) if reason else zinnia
