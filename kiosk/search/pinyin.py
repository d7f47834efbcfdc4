"""Pinyin for search: a kiosk has no Chinese input method, and speech recognisers mishear.

Residents type pinyin on the Latin keyboard (`taoxin`, `gong shang`, initials `gs`), and a
recogniser writes homophones (工商 for 工伤). Both meet the content on toneless syllables.
pypinyin supplies the readings (phrase-aware for content, every reading for queries);
the syllable splitter is ours because pypinyin converts Han to pinyin, not the reverse.
"""

from __future__ import annotations

import itertools
import unicodedata
from functools import cache, lru_cache

MAX_SYLLABLE = 6  # zhuang, chuang, shuang


def _toneless(reading: str) -> str:
    decomposed = unicodedata.normalize("NFD", reading).replace("u\u0308", "v")
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@cache
def syllables() -> frozenset[str]:
    """Every toneless Mandarin syllable pypinyin knows (about 400)."""
    from pypinyin.pinyin_dict import pinyin_dict

    found: set[str] = set()
    for readings in pinyin_dict.values():
        for reading in readings.split(","):
            plain = _toneless(reading)
            if plain.isalpha() and plain.isascii():
                found.add(plain)
    # Interjections such as "hm" and "ng" would let English words pass for pinyin.
    return frozenset(s for s in found if any(v in s for v in "aeiouv"))


@lru_cache(maxsize=65536)
def phrase_syllables(han: str) -> tuple[str, ...]:
    """Toneless syllables of a short Han phrase, reading chosen by phrase (重庆 -> chong qing).

    pypinyin's phrase lookup costs tens of microseconds a call, so it is kept for titles
    and keywords (short, often repeated: cached); longer text uses `reading_bigrams`.
    """
    from pypinyin import Style, lazy_pinyin

    return tuple(_toneless(s) for s in lazy_pinyin(han, style=Style.NORMAL))


@cache
def char_readings(ch: str) -> tuple[str, ...]:
    """Every toneless reading of one character, most common first (长 -> chang, zhang)."""
    from pypinyin import Style, pinyin

    readings = pinyin(ch, style=Style.NORMAL, heteronym=True)[0]
    return tuple(dict.fromkeys(_toneless(r) for r in readings))


@cache
def first_reading(ch: str) -> str:
    readings = char_readings(ch)
    return readings[0] if readings else ch


def reading_bigrams(han: str) -> list[str]:
    """Syllable pairs for adjacent characters, over their two commonest readings each."""
    out: list[str] = []
    for a, b in itertools.pairwise(han):
        out.extend(pair_readings(a, b))
    return out


@lru_cache(maxsize=262144)
def pair_readings(a: str, b: str) -> tuple[str, ...]:
    """`x_y` for the two commonest readings of each of two characters."""
    return tuple(f"{x}_{y}" for x in char_readings(a)[:2] for y in char_readings(b)[:2])


@cache
def segment(word: str) -> tuple[str, ...] | None:
    """Split unspaced pinyin into syllables (`woyaotaoxin` -> wo yao tao xin), or None.

    Dynamic programming for the split with the fewest syllables; ties prefer the split
    whose syllables start with a consonant, as typed pinyin rarely starts one with a vowel
    mid-word (`xian` is one syllable; `xi'an` needs the apostrophe).
    """
    known = syllables()
    n = len(word)
    best: list[tuple[int, int, tuple[str, ...]] | None] = [None] * (n + 1)
    best[0] = (0, 0, ())
    for end in range(1, n + 1):
        for start in range(max(0, end - MAX_SYLLABLE), end):
            prev = best[start]
            piece = word[start:end]
            if prev is None or piece not in known:
                continue
            vowel_starts = prev[1] + (1 if start > 0 and piece[0] in "aeiou" else 0)
            candidate = (prev[0] + 1, vowel_starts, (*prev[2], piece))
            current = best[end]
            if current is None or candidate[:2] < current[:2]:
                best[end] = candidate
    result = best[n]
    return result[2] if result else None


def initials(sylls: list[str] | tuple[str, ...]) -> str:
    """First letters, as residents abbreviate (工伤 -> gs)."""
    return "".join(s[0] for s in sylls if s)
