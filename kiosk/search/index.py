"""An in-memory BM25 index over weighted fields, with numpy postings.

Why our own and not a search engine: the kiosk is offline on a small box, the corpus is
tens of entries (a county FAQ at most tens of thousands), and the terms are our own
channels (characters, pinyin, stems). Postings with precomputed BM25 contributions in
one sorted array answer a query in one numpy add per term, cost linear in postings.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

import msgspec
import numpy as np
import numpy.typing as npt

from kiosk.search import words
from kiosk.search.normalize import runs
from kiosk.search.terms import EVIDENCE_ONLY, Weights, document_terms, query_terms

K1 = 1.2
#: Length normalisation: flows differ a lot in length, and a long flow is not less relevant.
B = 0.4


class Field(msgspec.Struct, frozen=True):
    text: str
    weight: float
    #: Short phrase (title, keyword): also indexed as whole pinyin and initials.
    phrase: bool = False


class Entry(msgspec.Struct, frozen=True, kw_only=True):
    """One thing search can find: a flow, or (in benchmarks) an FAQ entry."""

    id: str
    title: Mapping[str, str]
    fields: Sequence[Field]


class Hit(msgspec.Struct, frozen=True):
    """One result; serialises as {"flow", "score", "title"} for `kiosk search --json`."""

    flow: str
    score: float
    title: str


class SearchIndex:
    def __init__(self, entries: Sequence[Entry], synonyms: Mapping[str, Iterable[str]] | None = None):
        self.entries = list(entries)
        self.synonyms = {k: tuple(v) for k, v in (synonyms or {}).items()}
        self._build()

    def _build(self) -> None:
        # The build allocates millions of small objects and no cycles: the cyclic
        # collector would rescan the growing heap again and again (quadratic time).
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            self._build_postings()
        finally:
            if was_enabled:
                gc.enable()

    def _build_postings(self) -> None:
        words.teach(run for e in self.entries for f in e.fields if f.phrase
                    for kind, run in runs(f.text) if kind == "han")
        vocab: dict[str, int] = {}
        doc_of: list[int] = []
        term_of: list[int] = []
        tf_of: list[float] = []
        lengths: list[float] = []
        for doc, entry in enumerate(self.entries):
            terms: Weights = defaultdict(float)
            for f in entry.fields:
                document_terms(f.text, f.weight, f.phrase, terms)
            term_of.extend([vocab.setdefault(t, len(vocab)) for t in terms])
            tf_of.extend(terms.values())
            doc_of.extend([doc] * len(terms))
            lengths.append(sum(v for t, v in terms.items() if not t.startswith(EVIDENCE_ONLY)))
        # Postings as one sorted array (CSR): the entries of term t are docs[offsets[t]:offsets[t+1]].
        terms_arr = np.array(term_of, dtype=np.int64)
        order = np.argsort(terms_arr, kind="stable")
        docs = np.array(doc_of, dtype=np.int32)[order]
        tf = np.array(tf_of, dtype=np.float64)[order]
        df = np.bincount(terms_arr, minlength=len(vocab))
        n = len(self.entries)
        length = np.array(lengths, dtype=np.float64)
        norm = K1 * (1 - B + B * length / max(float(length.mean()) if n else 1.0, 1e-9))
        idf = np.log1p((n - df + 0.5) / (df + 0.5))
        term_sorted = terms_arr[order]
        self._contribution = (idf[term_sorted] * tf * (K1 + 1) / (tf + norm[docs])).astype(np.float32)
        self._docs = docs
        self._offsets = np.concatenate(([0], np.cumsum(df))).astype(np.int64)
        self._vocab = vocab

    def __len__(self) -> int:
        return len(self.entries)

    @property
    def term_count(self) -> int:
        return len(self._vocab)

    def query_terms(self, query: str) -> Weights:
        return query_terms(query, self.synonyms)

    def scores(self, query: str, terms: Mapping[str, float] | None = None) -> npt.NDArray[np.float32]:
        """BM25 score of every entry for `query`, or for its already computed `terms`
        (zero where nothing matched)."""
        total = np.zeros(len(self.entries), dtype=np.float32)
        for term, weight in (query_terms(query, self.synonyms) if terms is None else terms).items():
            tid = self._vocab.get(term)
            if tid is not None:
                lo, hi = self._offsets[tid], self._offsets[tid + 1]
                total[self._docs[lo:hi]] += np.float32(weight) * self._contribution[lo:hi]
        return total

    def search(self, query: str, top: int = 3, locale: str = "zh-CN") -> list[Hit]:
        """The best `top` entries with a positive score, best first; ties by entry order."""
        if top <= 0 or not self.entries:
            return []
        total = self.scores(query)
        k = min(top, len(total))
        candidates = np.argpartition(-total, k - 1)[:k] if k < len(total) else np.arange(len(total))
        ranked = sorted(candidates.tolist(), key=lambda i: (-float(total[i]), i))
        return [
            Hit(self.entries[i].id, round(float(total[i]), 4), _title(self.entries[i], locale))
            for i in ranked
            if total[i] > 0
        ]


def _title(entry: Entry, locale: str) -> str:
    return entry.title.get(locale) or next(iter(entry.title.values()), entry.id)
