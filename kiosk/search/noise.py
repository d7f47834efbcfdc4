"""Is a query noise? Recognised speech of a cough or a television, a keyboard mashed.

Search scores any text against every flow, and 500 characters of anything share some pairs
with some flow. Two plain signs of noise, measured on the team's probe sets (bench/search.py):

- mostly filler sounds (嗯, 啊, 呃...): a recogniser's rendering of hesitation, not a question;
- a long Han run that hardly forms words: real questions of 16 characters or more have at
  least 43 % of their characters in words of two or more (jieba), random character streams
  4-13 %.
"""

from __future__ import annotations

from kiosk.search import words
from kiosk.search.normalize import runs

#: Sounds of hesitation and exclamation, never the matter of a question.
FILLERS = frozenset("嗯啊呃哦噢哈喂哎呀嘛唉诶欸呵咦哇嘿哼呐啦")
#: Share of filler characters at or above which a query is noise.
FILLER_SHARE = 0.5
#: Han runs at least this long are checked for words ...
LONG_RUN = 20
#: ... and are noise when fewer than this share of their characters are in words.
WORD_SHARE = 0.25


def is_noise(query: str) -> bool:
    """True for a query with Han text that is mostly filler sounds or does not form words."""
    han = "".join(run for kind, run in runs(query) if kind == "han")
    if not han:
        return False
    if sum(ch in FILLERS for ch in han) >= FILLER_SHARE * len(han):
        return True
    if len(han) < LONG_RUN:
        return False
    in_words = sum(len(w) for w in words.cut(han) if len(w) >= 2)
    return in_words < WORD_SHARE * len(han)


def says_nothing(query: str) -> bool:
    """True for Han text of function characters and fillers only (我, 的的的, 嗯那个):
    nothing to learn a matter from, however the classifier's weights fall."""
    from kiosk.search.terms import FUNCTION_CHARS

    parts = runs(query)
    if not parts or any(kind != "han" for kind, _ in parts):
        return False
    return all(ch in FUNCTION_CHARS or ch in FILLERS for _, run in parts for ch in run)
