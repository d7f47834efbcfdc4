"""Chinese words for search: jieba, taught the content's own keywords and titles.

Characters and pairs (terms.py) find a flow whatever the segmentation, but a pair that
straddles two words (我老 in 我老婆) or a common pair inside a long question counts as
much as a real word. Words from a segmenter that knows the content's phrases (彩礼,
承包地, 预付卡) add a channel where the resident's real words meet the content's.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

_lock = threading.Lock()
_tokenizer: Any = None
_taught: set[str] = set()


def _get() -> Any:
    global _tokenizer
    with _lock:
        if _tokenizer is None:
            import jieba

            jieba.setLogLevel(logging.WARNING)
            tokenizer = jieba.Tokenizer()
            tokenizer.initialize()
            _tokenizer = tokenizer
        return _tokenizer


def teach(phrases: Iterable[str]) -> None:
    """Make each Han phrase (2-8 characters) a word of its own in later segmentation."""
    tokenizer = _get()
    new = [p for p in phrases if 2 <= len(p) <= 8 and p not in _taught]
    if not new:
        return
    with _lock:
        for phrase in new:
            tokenizer.add_word(phrase, freq=max(tokenizer.suggest_freq(phrase), 50))
            _taught.add(phrase)
    cut.cache_clear()


@lru_cache(maxsize=65536)
def cut(han: str) -> tuple[str, ...]:
    """Every piece of a Han run, single characters included, in order."""
    return tuple(_get().cut(han, HMM=False))


def words(han: str) -> tuple[str, ...]:
    """The words of a Han run of two characters or more (single characters are left out:
    the character channel has them)."""
    return tuple(w for w in cut(han) if len(w) >= 2)
