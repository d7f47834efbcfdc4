"""The search query scrubber: what a resident typed or said, kept only when nothing was
chosen, must not carry a name or a number (a phone, an ID number, a case number).

Rules, in order: text is NFKC-folded (full-width digits become ASCII); any run of three or
more digits (with spaces, dashes, an X of an ID number) or of five or more Chinese numerals
(幺三八... as a phone said aloud) is dropped; the digits left become "#"; a stand-alone
Han word of two or three characters that starts with a common surname and continues with
name characters is dropped unless the content knows the word (`known`), as is what
follows a name cue (我叫, 姓名, my name is); two or more Capitalised Latin words in a row
are dropped (Zhang Wei). The result is at most 40 characters, or None when nothing is left.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import cache

MAX_CHARS = 40

_LONG_NUMBER = re.compile(r"[+]?\d[\d\s\-xX]{1,}\d[xX]?|\d{3,}")
_CN_NUMERALS = re.compile(r"[零〇一二三四五六七八九十幺两]{5,}")
_DIGIT = re.compile(r"\d")
_CUE_ZH = re.compile(r"(我叫|我是|姓名是?|名字是?|名叫|叫做)[\u4e00-\u9fff]{1,3}")
_CUE_EN = re.compile(r"\b(my name is|i am|i'm|name:?)\s+[A-Za-z]+(\s+[A-Za-z]+)?", re.IGNORECASE)
_TITLE = re.compile(r"[\u4e00-\u9fff](先生|女士|小姐|老师|师傅|阿姨|大爷)")
_CAPITALISED = re.compile(r"\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)+\b")
_HAN_WORD = re.compile(r"(?<![\u4e00-\u9fff])[\u4e00-\u9fff]{2,3}(?![\u4e00-\u9fff])")
_SPACES = re.compile(r"\s+")


@cache
def _name_sets() -> tuple[frozenset[str], frozenset[str]]:
    from kiosk.applications.pinyin_input import name_characters

    chars = name_characters()
    return frozenset(chars.surnames), frozenset(chars.given)


def looks_like_name(word: str, known: Callable[[str], bool] | None = None) -> bool:
    """A Han word of 2-3 characters: surname first, name characters after, not a word
    the content uses (高利贷 starts with the surname 高 but is known)."""
    surnames, given = _name_sets()
    if not 2 <= len(word) <= 3 or word[0] not in surnames:
        return False
    if not all(ch in given or ch in surnames for ch in word[1:]):
        return False
    return not (known is not None and known(word))


def scrub_query(text: str, known: Callable[[str], bool] | None = None) -> str | None:
    """The query as it may be kept, or None when nothing worth keeping is left."""
    folded = unicodedata.normalize("NFKC", text or "")
    folded = _LONG_NUMBER.sub(" ", folded)
    folded = _CN_NUMERALS.sub(" ", folded)
    folded = _DIGIT.sub("#", folded)
    folded = _CUE_ZH.sub(" ", folded)
    folded = _CUE_EN.sub(" ", folded)
    folded = _TITLE.sub(" ", folded)
    folded = _CAPITALISED.sub(" ", folded)
    folded = _HAN_WORD.sub(lambda m: " " if looks_like_name(m.group(0), known) else m.group(0), folded)
    folded = _SPACES.sub(" ", folded).strip()
    if not folded.strip("# "):
        return None
    return folded[:MAX_CHARS].strip() or None
