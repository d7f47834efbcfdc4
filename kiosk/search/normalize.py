"""Turn whatever a resident typed or said into runs of Han, Latin and digits.

Speech recognisers emit no punctuation and sometimes spaces between characters; on-screen
keyboards emit full-width letters. Search must not depend on any of that, so text is folded
(NFKC, lower case, accents off, ü as v as on pinyin keyboards) and Han runs are glued back
together across whitespace before anything is counted.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Literal

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAN_GAP = re.compile(rf"(?<=[{HAN}])\s+(?=[{HAN}])")
_RUN = re.compile(rf"([{HAN}]+)|([a-z]+)|([0-9]+)")

RunKind = Literal["han", "latin", "digit"]


def fold(text: str) -> str:
    """Lower case, full-width to half-width, Latin accents removed, ü written as v."""
    text = unicodedata.normalize("NFKC", text).lower()
    decomposed = unicodedata.normalize("NFD", text).replace("u\u0308", "v")
    return unicodedata.normalize(
        "NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    )


def runs(text: str) -> list[tuple[RunKind, str]]:
    """The Han, Latin and digit runs of `text`, in order; everything else separates."""
    folded = _HAN_GAP.sub("", fold(text))
    out: list[tuple[RunKind, str]] = []
    for match in _RUN.finditer(folded):
        han, latin, digit = match.groups()
        if han:
            out.append(("han", han))
        elif latin:
            out.append(("latin", latin))
        else:
            out.append(("digit", digit))
    return out


def has_han(text: str) -> bool:
    return any(kind == "han" for kind, _ in runs(text))
