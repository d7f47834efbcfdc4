"""Search accuracy on labelled phrasings: what the bench prints and the tests hold to.

Phrasings come as JSON lines (`{"q": ..., "flow": ...}`, the shared eval format) or as
`query<TAB>flow` lines (the team's probe sets).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import msgspec

from kiosk.search.index import Hit


class Searcher(Protocol):
    def search(self, query: str, top: int = 3) -> list[Hit]: ...


class Accuracy(msgspec.Struct, frozen=True):
    total: int
    top1: float
    top3: float
    #: One line per query whose first hit is wrong: "query -> [hits] (want flow)".
    misses: list[str]


def load_phrasings(path: Path) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        if line.lstrip().startswith("{"):
            row = json.loads(line)
            rows.append((row["q"], row["flow"]))
        else:
            query, flow = line.split("\t")
            rows.append((query, flow.strip()))
    return rows


def accuracy(searcher: Searcher, rows: Sequence[tuple[str, str]]) -> Accuracy:
    top1 = top3 = 0
    misses = []
    for query, expect in rows:
        found = [hit.flow for hit in searcher.search(query, top=3)]
        top1 += bool(found) and found[0] == expect
        top3 += expect in found
        if not found or found[0] != expect:
            misses.append(f"{query} -> {found} (want {expect})")
    n = max(len(rows), 1)
    return Accuracy(len(rows), top1 / n, top3 / n, misses)


class Rejection(msgspec.Struct, frozen=True):
    total: int
    #: Share of out-of-scope queries answered with no flow at all.
    rate: float
    #: One line per query that still got flows: "query -> [hits]".
    misses: list[str]


def load_out_of_scope(path: Path) -> list[tuple[str, str | None]]:
    """Out-of-scope queries and the body each belongs to (None: nobody in particular).

    JSON lines (`{"q": ..., "flow": null}`, optionally `"body"`) or `query<TAB>body` lines,
    `-` for no body.
    """
    rows: list[tuple[str, str | None]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        if line.lstrip().startswith("{"):
            row = json.loads(line)
            rows.append((row["q"], row.get("body")))
        else:
            query, body = line.split("\t")
            rows.append((query, None if body.strip() == "-" else body.strip()))
    return rows


def rejection(searcher: Searcher, queries: Sequence[str]) -> Rejection:
    misses = []
    for query in queries:
        found = [hit.flow for hit in searcher.search(query, top=3)]
        if found:
            misses.append(f"{query} -> {found}")
    n = max(len(queries), 1)
    return Rejection(len(queries), (len(queries) - len(misses)) / n, misses)
