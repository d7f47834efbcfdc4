"""Chinese words for search: jieba, taught the content's own keywords and titles.

Characters and pairs (terms.py) find a flow whatever the segmentation, but a pair that
straddles two words (我老 in 我老婆) or a common pair inside a long question counts as
much as a real word. Words from a segmenter that knows the content's phrases (彩礼,
承包地, 预付卡) add a channel where the resident's real words meet the content's.
"""

from __future__ import annotations

import io
import logging
import threading
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

#: Dictionary words at least this frequent are kept (see `_common_words`).
MIN_FREQ = 100
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
            # jieba 0.42 API (pinned <1): a dictionary from a file object, no cache file.
            tokenizer.FREQ, tokenizer.total = tokenizer.gen_pfdict(_common_words(jieba))
            tokenizer.initialized = True
            _tokenizer = tokenizer
        return _tokenizer


def _common_words(jieba: Any) -> io.BytesIO:
    """jieba's dictionary without its rare words (frequency below MIN_FREQ).

    The whole dictionary (349,000 words) costs about 65 MB and most of a second to load;
    the 36,000 common ones cost 6 MB and a tenth of that, and gave the same accuracy on
    every probe set: rare words are rarely what a resident says, and the content's own
    phrases are taught on top (`teach`).
    """
    with jieba.get_module_res(jieba.DEFAULT_DICT_NAME) as whole:
        kept = [line for line in whole if _frequency(line) >= MIN_FREQ]
    return io.BytesIO(b"".join(kept))


def _frequency(line: bytes) -> int:
    parts = line.split(b" ")
    return int(parts[1]) if len(parts) >= 2 and parts[1].isdigit() else 0


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
