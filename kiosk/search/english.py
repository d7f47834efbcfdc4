"""English words to search terms: stop words out, Snowball stems (injured, injury -> injur)."""

from __future__ import annotations

from functools import cache

STOP_WORDS = frozenset(
    """a about after am an and are as at be been but by can could did do does doing for from
    get got had has have he her him his how i if in into is it its me my of on or our she so
    some that the their them then there they this to too us was we were what when where which
    who whom why will with would you your yours
    yes ok okay oh ah uh um hmm hi""".split()
)


@cache
def _stemmer() -> object:
    import snowballstemmer

    return snowballstemmer.stemmer("english")


@cache
def stem(word: str) -> str:
    return str(_stemmer().stemWord(word))  # type: ignore[attr-defined]
