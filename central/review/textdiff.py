"""Word-level highlighting of a text change: characters for Chinese (no spaces between
words), words and punctuation for English and other spaced scripts."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

_TOKENS = re.compile(r"\w+|\s+|[^\w\s]")


@dataclass(frozen=True)
class Seg:
    """A run of text: `op` is "same", "del" (only before) or "ins" (only after)."""

    op: str
    text: str


def tokens(text: str, locale: str) -> list[str]:
    if locale.startswith(("zh", "ja")):
        return list(text)
    return _TOKENS.findall(text)


def _join(runs: list[Seg]) -> list[Seg]:
    merged: list[Seg] = []
    for run in runs:
        if merged and merged[-1].op == run.op:
            merged[-1] = Seg(run.op, merged[-1].text + run.text)
        elif run.text:
            merged.append(run)
    return merged


def highlight(before: str, after: str, locale: str) -> tuple[list[Seg], list[Seg]]:
    """(before, after) as runs, what was removed marked "del" and what was added "ins"."""
    a, b = tokens(before, locale), tokens(after, locale)
    old: list[Seg] = []
    new: list[Seg] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            old.append(Seg("same", "".join(a[i1:i2])))
            new.append(Seg("same", "".join(b[j1:j2])))
        else:
            old.append(Seg("del", "".join(a[i1:i2])))
            new.append(Seg("ins", "".join(b[j1:j2])))
    return _join(old), _join(new)
