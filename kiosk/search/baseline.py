"""The obvious alternative our search must beat: jieba words + rank_bm25 (Okapi) over the
same flow titles, summaries and keywords, every locale. Used by bench/search.py and the
probe tests only (rank_bm25 is a dev dependency); the kiosk never runs it.
"""

from __future__ import annotations

from kiosk.content.bundle import Bundle
from kiosk.search.index import Hit


def _words(text: str) -> list[str]:
    import jieba

    return [w for w in jieba.lcut(text.lower()) if w.strip() and (w.isalnum() or len(w) > 1)]


class Baseline:
    def __init__(self, bundle: Bundle):
        from rank_bm25 import BM25Okapi

        self.flows = list(bundle.flows.values())
        docs = []
        for flow in self.flows:
            texts = [*flow.title.values(), *flow.summary.values()]
            texts += [w for words in flow.keywords.values() for w in words]
            docs.append([w for t in texts for w in _words(t)])
        self.bm25 = BM25Okapi(docs)

    def search(self, query: str, top: int = 3) -> list[Hit]:
        """The best `top` flows with a positive score (none: the baseline's "not here")."""
        scores = self.bm25.get_scores(_words(query))
        ranked = sorted(range(len(self.flows)), key=lambda i: -scores[i])[:top]
        return [Hit(self.flows[i].id, float(scores[i]), self.flows[i].title["zh-CN"])
                for i in ranked if scores[i] > 0]
