"""Snapping what the recogniser wrote to the nearest phrase the screen allows.

Recognisers mishear in predictable ways: homophones (公伤 for 工伤), a dropped or added
character (讨工 for 讨工资), filler around the answer (嗯我想讨工资吧), spaces between words.
So a phrase matches when its characters or its toneless pinyin appear in what was heard
(the longest such phrase wins: 不是 over 是, 没有 over 有), and otherwise by rapidfuzz
similarity on characters and on pinyin, with a cutoff and a margin over the runner-up of a
different meaning; below the cutoff, or too close to call, nothing is taken and the
dialogue asks again.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz

from kiosk.search.normalize import HAN, fold
from kiosk.search.pinyin import phrase_syllables

CUTOFF = 72.0
MARGIN = 8.0
_HAN_GAP = re.compile(rf"(?<=[{HAN}])\s+(?=[{HAN}])")
# Anything but letters and digits of any script: Korean (the real-decoder tests' model) and
# other scripts a vosk model may write are words too, not noise.
_NOISE = re.compile(r"[\W_]+")
_HAN_RUN = re.compile(rf"[{HAN}]+")


@dataclass(frozen=True)
class Target:
    """What a phrase means: kind is choice, yes_no, command or ordinal."""

    kind: str
    value: Any


@dataclass(frozen=True)
class Phrase:
    text: str
    target: Target


@dataclass(frozen=True)
class Snap:
    heard: str
    phrase: str | None
    target: Target | None
    score: float
    #: exact, contains, fuzzy; or empty, low, ambiguous when nothing was taken.
    how: str

    @property
    def matched(self) -> bool:
        return self.target is not None


@lru_cache(maxsize=4096)
def norm(text: str) -> str:
    """Folded, Han runs glued across spaces, punctuation out, single spaces between words."""
    folded = _HAN_GAP.sub("", fold(text))
    return " ".join(_NOISE.sub(" ", folded).split())


@lru_cache(maxsize=4096)
def pinyin_key(text: str) -> str:
    """Toneless pinyin of the Han in `text`, syllables spaced ('' when there is no Han)."""
    return " ".join(s for run in _HAN_RUN.findall(norm(text)) for s in phrase_syllables(run))


def _contains(heard: str, key: str) -> bool:
    if not key:
        return False
    if _HAN_RUN.fullmatch(key.replace(" ", "")):
        return key.replace(" ", "") in heard.replace(" ", "")
    return f" {key} " in f" {heard} "  # whole words and syllables only


def _size(phrase: str) -> int:
    key = norm(phrase)
    return len(key.replace(" ", "")) if _HAN_RUN.search(key) else len(key.split()) * 2


def _similarity(heard: str, heard_py: str, phrase: str) -> float:
    key, key_py = norm(phrase), pinyin_key(phrase)
    score = fuzz.ratio(heard, key)
    if key_py and heard_py:
        score = max(score, fuzz.ratio(heard_py, key_py))
        if len(key_py) >= 5:  # extra words around a misheard phrase
            score = max(score, 0.9 * fuzz.partial_ratio(key_py, heard_py))
    elif len(key) >= 4:
        score = max(score, 0.9 * fuzz.partial_ratio(key, heard))
    return float(score)


def snap(heard: str, phrases: Sequence[Phrase], cutoff: float = CUTOFF, margin: float = MARGIN) -> Snap:
    """The allowed phrase `heard` means, or a Snap with no target saying why not."""
    h = norm(heard)
    if not h:
        return Snap(heard, None, None, 0.0, "empty")
    h_py = pinyin_key(heard)
    # 1. Phrases found whole in what was heard, by characters, else by sound: longest wins.
    #    (Characters first: 争地 and 征地 sound alike but are two different answers.)
    found = [p for p in phrases if _contains(h, norm(p.text))]
    found = found or [p for p in phrases if _contains(h_py, pinyin_key(p.text))]
    if found:
        longest = max(_size(p.text) for p in found)
        best = [p for p in found if _size(p.text) == longest]
        if len({p.target for p in best}) == 1:
            exact = any(norm(p.text) == h for p in best)
            return Snap(heard, best[0].text, best[0].target, 100.0 if exact else 95.0,
                        "exact" if exact else "contains")
        return Snap(heard, None, None, 95.0, "ambiguous")
    # 2. Nearest by similarity, if clearly nearer than any phrase of another meaning.
    scored = sorted(((_similarity(h, h_py, p.text), p) for p in phrases), key=lambda x: -x[0])
    if not scored or scored[0][0] < cutoff:
        return Snap(heard, None, None, scored[0][0] if scored else 0.0, "low")
    top_score, top = scored[0]
    rival = next((s for s, p in scored[1:] if p.target != top.target), 0.0)
    if top_score - rival < margin:
        return Snap(heard, None, None, top_score, "ambiguous")
    return Snap(heard, top.text, top.target, top_score, "fuzzy")
