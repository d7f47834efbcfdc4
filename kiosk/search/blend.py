"""One answer from two engines: the classifier's probabilities and the lexical scores.

The classifier (kiosk/search/intent.py) generalises to phrasings it never saw; the lexical
index (kiosk/search/index.py) is exact where a query names a flow's words, initials or a
rare term the examples lack. The final score of a flow is its probability plus a share of
its lexical score (normalised by the best one); "not here" when the classifier gives the
not-ours classes enough probability, or when both engines find little.
Every constant was tuned on the probe sets marked "tuned on" in bench/search.py only (a grid
over all of them at once: the in-scope top-1 kept, wrongly refused at most 1 %, rejection up).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import msgspec
import numpy as np
import numpy.typing as npt

from kiosk.search.intent import NOT_OURS

#: Weight of the normalised lexical score beside the classifier's probability.
LEXICAL = 0.2
#: Not ours when the not-ours classes together have at least this probability ...
NOT_OURS_FLOOR = 0.4
#: ... and the best flow less than this share of it.
NOT_OURS_MARGIN = 0.75
#: Both weak: the lexical engine refuses and no flow has this much probability.
WEAK_FLOW = 0.4
#: A flow is offered only with at least this share of the best flow's score: the classifier
#: gives every flow some probability, and a tail of near-zero ones is noise, not a choice.
#: (On every probe set the right flow, when not first, was never below 15 % of the best.)
SHOWN_SHARE = 0.1

Scores = npt.NDArray[np.float32]


class Verdict(msgspec.Struct, frozen=True):
    #: Blended score per flow, in the index's order.
    scores: Scores
    not_ours: bool
    #: Referral id of the body the classifier names; "" when it says nobody's (everyday
    #: questions); None when it did not decide (a flow fits, or it knew no feature).
    body: str | None = None


def decide(ids: Sequence[str], probs: Mapping[str, float] | None, lexical: Scores,
           lexical_refuses: bool) -> Verdict:
    """Blend and decide; `probs` None means the classifier knew no feature of the query."""
    best_lex = float(lexical.max()) if len(lexical) else 0.0
    norm = lexical / best_lex if best_lex > 0 else np.zeros_like(lexical)
    if probs is None:
        return Verdict((LEXICAL * norm).astype(np.float32), lexical_refuses or best_lex <= 0)
    flow = np.array([probs.get(i, 0.0) for i in ids], dtype=np.float32)
    scores = (flow + LEXICAL * norm).astype(np.float32)
    others = {label: p for label, p in probs.items() if label.startswith(NOT_OURS)}
    not_ours = sum(others.values())
    best_flow = float(flow.max()) if len(flow) else 0.0
    refuse = (not_ours >= NOT_OURS_FLOOR and best_flow < NOT_OURS_MARGIN * not_ours) or (
        lexical_refuses and best_flow < WEAK_FLOW)
    if not refuse:
        return Verdict(scores, False)
    label = max(others, key=lambda k: others[k]) if others else NOT_OURS
    return Verdict(scores, True, label.removeprefix(NOT_OURS))
