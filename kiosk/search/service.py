"""Search over a content bundle: each flow becomes one entry built from what it says.

Field weights say where a resident's words are most likely to be found: the flow's title
and its keywords (written from residents' own phrasings), then the summary and topic, then
what the flow asks and concludes.
"""

from __future__ import annotations

from collections.abc import Iterable

import msgspec
import numpy as np

from kiosk.content.bundle import Bundle
from kiosk.content.model import Hotline, Office
from kiosk.content.referrals import Referral, Referrals, office_for
from kiosk.flows.model import Flow, OutcomeNode, QuestionNode
from kiosk.search import blend, scope
from kiosk.search.index import Entry, Field, Hit, SearchIndex
from kiosk.search.intent import IntentModel
from kiosk.search.noise import is_noise, says_nothing
from kiosk.search.normalize import has_han
from kiosk.search.scope import SearchResult

TITLE = 3.0
KEYWORD = 3.0
SUMMARY = 1.5
TOPIC = 1.0
BODY = 0.5
#: Id prefix of referral entries (matters of other bodies) in the index.
REFERRAL = "referral:"


def flow_entry(flow: Flow, topic_title: dict[str, str]) -> Entry:
    fields: list[Field] = []

    def add(texts: Iterable[str], weight: float, phrase: bool = False) -> None:
        fields.extend(Field(text, weight, phrase) for text in texts)

    add(flow.title.values(), TITLE, phrase=True)
    for words in flow.keywords.values():
        add(words, KEYWORD, phrase=True)
    add(flow.summary.values(), SUMMARY)
    add(topic_title.values(), TOPIC)
    for node in flow.nodes:
        if isinstance(node, QuestionNode):
            add(node.text.values(), BODY)
            for choice in node.choices:
                add(choice.label.values(), BODY)
        elif isinstance(node, OutcomeNode):
            add(node.title.values(), BODY)
            add(node.summary.values(), BODY)
    return Entry(id=flow.id, title=dict(flow.title), fields=fields)


def referral_entry(referral: Referral) -> Entry:
    """A matter of another body, indexed beside the flows (see kiosk/search/scope.py)."""
    fields = [Field(text, TITLE, phrase=True) for text in (referral.matters or {}).values()]
    for words in referral.keywords.values():
        fields.extend(Field(word, KEYWORD, phrase=True) for word in words)
    return Entry(id=REFERRAL + referral.id, title=dict(referral.body or {}), fields=fields)


class Scope(msgspec.Struct, frozen=True):
    """What "not here" needs: the referral table, indexed on its own (so that referral
    keywords never reorder flows), and the locality's offices and hotlines."""

    table: Referrals
    index: SearchIndex
    hotlines: dict[str, Hotline]
    offices: list[Office]

    @classmethod
    def for_bundle(cls, bundle: Bundle) -> Scope | None:
        if bundle.referrals is None:
            return None
        index = SearchIndex([referral_entry(r) for r in bundle.referrals.referrals], bundle.pack.synonyms)
        return cls(bundle.referrals, index, bundle.hotlines(), list(bundle.locality.offices))


class SearchService:
    """Finds flows for a query in Chinese, English or pinyin; titles in the resident's locale.

    With a scope (content/referrals.yaml), a query that fits no flow, or that is another
    body's matter, gets no flows but a "not here" (kiosk/search/scope.py).
    """

    def __init__(self, index: SearchIndex, fallback: dict[str, list[str]] | None = None,
                 scope: Scope | None = None, intent: IntentModel | None = None):
        self.index = index
        #: The classifier learned from residents' phrasings (None: lexical search only).
        self.intent = intent
        self.fallback = fallback or {}
        self.scope = scope
        self._referrals = {r.id: r for r in scope.table.referrals} if scope else {}
        position = {entry.id: i for i, entry in enumerate(index.entries)}
        #: Flow ids in the index's order, and each flow's titles: looked up once, not per query.
        self._ids = [entry.id for entry in index.entries]
        self._titles = {entry.id: entry.title for entry in index.entries}
        #: (the flow's place in the index, its never-refuse words): looked up once, not per query.
        self._never_refuse = [
            (position[rule.flow], [w.casefold() for words in rule.words.values() for w in words])
            for rule in (scope.table.never_refuse if scope else []) if rule.flow in position]

    @classmethod
    def for_bundle(cls, bundle: Bundle, fallback: dict[str, list[str]] | None = None) -> SearchService:
        topics = {t.id: dict(t.title) for t in bundle.pack.topics}
        entries = [flow_entry(f, topics.get(f.topic, {})) for f in bundle.flows.values()]
        from kiosk.search import intent

        return cls(SearchIndex(entries, bundle.pack.synonyms), fallback, Scope.for_bundle(bundle),
                   intent.for_bundle(bundle))

    def search(self, query: str, top: int = 3, locale: str | None = None) -> list[Hit]:
        """Best flows for `query` (none when it is out of scope); without a locale, Chinese
        titles for a query with Han."""
        return self.find(query, top, locale).hits

    def find(self, query: str, top: int = 3, locale: str | None = None) -> SearchResult:
        """Best flows for `query`, or why none: out of scope, and who handles it."""
        if locale is None:
            locale = "zh-CN" if has_han(query) else "en"
        if top <= 0 or not self.index.entries:
            return SearchResult([])
        if is_noise(query) or (self.intent is not None and says_nothing(query)):
            return self._not_here(None, locale)
        terms = self.index.query_terms(query)
        scores = self.index.scores(query, terms)
        if self.intent is not None:
            return self._learned(query, terms, scores, top, locale)
        refused = self._refused(query, terms, float(scores.max()), locale)
        urgent = self._urgent(query)
        if refused is not None:
            if urgent is None:
                return refused
            scores[urgent] = max(float(scores.max()), 0.0) + 1.0  # first, whatever else fits
        ranked = _best(scores, top)
        if urgent is not None and urgent not in ranked:  # among the choices, never crowded out
            ranked[-1] = urgent
            scores[urgent] = max(float(scores[urgent]), 1e-4)
        hits = [Hit(self._ids[i], round(float(scores[i]), 4), "") for i in ranked if scores[i] > 0]
        return SearchResult([self._localise(hit, locale) for hit in hits])

    def _learned(self, query: str, terms: dict[str, float], lexical: np.ndarray,
                 top: int, locale: str) -> SearchResult:
        """The classifier's probabilities blended with the lexical scores (kiosk/search/blend.py)."""
        assert self.intent is not None
        probs = self.intent.probabilities(query)
        ids = self._ids
        verdict = blend.decide(ids, probs, lexical, self._lexical_refusal(query, terms, float(lexical.max())))
        urgent = self._urgent(query)
        scores = verdict.scores
        if verdict.not_ours and urgent is None:
            return self._not_here(self._body(verdict.body, query, terms), locale)
        if urgent is not None:  # a resident in danger: that flow first, whatever else fits
            scores = scores.copy()
            scores[urgent] = max(float(scores.max()), 0.0) + 1.0
        ranked = _best(scores, top)
        floor = blend.SHOWN_SHARE * float(scores[ranked[0]]) if ranked else 0.0
        hits = [Hit(ids[i], round(float(scores[i]), 4), "") for i in ranked
                if scores[i] > 0 and scores[i] >= floor]
        return SearchResult([self._localise(hit, locale) for hit in hits])

    def _lexical_refusal(self, query: str, terms: dict[str, float], best: float) -> bool:
        """The lexical engine's own "nothing fits" (weak or no evidence for any flow; `best`
        is its top score)."""
        return best < scope.FLOW_FLOOR or (best < scope.WEAK_CEILING and float(
            self.index.scores(query, scope.strong_terms(terms)).max()) < scope.STRONG_FLOOR)

    def _body(self, learned: str | None, query: str, terms: dict[str, float]) -> Referral | None:
        """Who handles a matter that is not ours: the body the classifier names (nobody,
        when it says ""), else the referral table's keywords when they match well."""
        if learned is not None:
            return self._referrals.get(learned)
        return self._referred(query, terms, scope.REFERRAL_FLOOR)

    def _referred(self, query: str, terms: dict[str, float], floor: float) -> Referral | None:
        """The referral whose keywords match the query best, when they score at least `floor`."""
        if self.scope is None or not len(self.scope.index):
            return None
        referred = self.scope.index.scores(query, terms)
        if float(referred.max()) < floor:
            return None
        entry = self.scope.index.entries[int(referred.argmax())]
        return self._referrals.get(entry.id.removeprefix(REFERRAL))

    def _refused(self, query: str, terms: dict[str, float], best: float,
                 locale: str) -> SearchResult | None:
        """"Not here" (with the body, when the matter is another's), or None when a flow fits."""
        referral = self._referred(query, terms, max(scope.REFERRAL_FLOOR, scope.REFERRAL_MARGIN * best))
        if referral is not None:
            return self._not_here(referral, locale)
        if self._lexical_refusal(query, terms, best):
            return self._not_here(None, locale)
        return None

    def _urgent(self, query: str) -> int | None:
        """The index of a flow whose never-refuse words the query holds (a resident in danger)."""
        text = query.casefold()
        for place, words in self._never_refuse:
            if any(word in text for word in words):
                return place
        return None

    def _not_here(self, referral: Referral | None, locale: str) -> SearchResult:
        if self.scope is None:
            return SearchResult([], out_of_scope=True)
        office = office_for(referral, self.scope.offices) if referral else None
        locales = (locale, *self.fallback.get(locale, []), "zh-CN")
        told = scope.tell(self.scope.table, referral, locales, self.scope.hotlines, office)
        return SearchResult([], out_of_scope=True, referral=told)

    def _localise(self, hit: Hit, locale: str) -> Hit:
        titles = self._titles[hit.flow]
        for candidate in (locale, *self.fallback.get(locale, [])):
            if candidate in titles:
                return Hit(hit.flow, hit.score, titles[candidate])
        return Hit(hit.flow, hit.score, next(iter(titles.values()), hit.flow))


def _best(scores: np.ndarray, top: int) -> list[int]:
    """Places of the `top` highest scores, best first; ties in index order."""
    k = min(top, len(scores))
    return sorted(np.argsort(-scores, kind="stable")[:k].tolist(), key=lambda i: (-float(scores[i]), i))
