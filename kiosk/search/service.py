"""Search over a content bundle: each flow becomes one entry built from what it says.

Field weights say where a resident's words are most likely to be found: the flow's title
and its keywords (written from residents' own phrasings), then the summary and topic, then
what the flow asks and concludes.
"""

from __future__ import annotations

from collections.abc import Iterable

from kiosk.content.bundle import Bundle
from kiosk.flows.model import Flow, OutcomeNode, QuestionNode
from kiosk.search.index import Entry, Field, Hit, SearchIndex
from kiosk.search.normalize import has_han

TITLE = 3.0
KEYWORD = 3.0
SUMMARY = 1.5
TOPIC = 1.0
BODY = 0.5


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


class SearchService:
    """Finds flows for a query in Chinese, English or pinyin; titles in the resident's locale."""

    def __init__(self, index: SearchIndex, fallback: dict[str, list[str]] | None = None):
        self.index = index
        self.fallback = fallback or {}

    @classmethod
    def for_bundle(cls, bundle: Bundle, fallback: dict[str, list[str]] | None = None) -> SearchService:
        topics = {t.id: dict(t.title) for t in bundle.pack.topics}
        entries = [flow_entry(f, topics.get(f.topic, {})) for f in bundle.flows.values()]
        return cls(SearchIndex(entries, bundle.pack.synonyms), fallback)

    def search(self, query: str, top: int = 3, locale: str | None = None) -> list[Hit]:
        """Best flows for `query`; without a locale, Chinese titles for a query with Han."""
        if locale is None:
            locale = "zh-CN" if has_han(query) else "en"
        hits = self.index.search(query, top=top, locale=locale)
        return [self._localise(hit, locale) for hit in hits]

    def _localise(self, hit: Hit, locale: str) -> Hit:
        titles = next(e.title for e in self.index.entries if e.id == hit.flow)
        for candidate in (locale, *self.fallback.get(locale, [])):
            if candidate in titles:
                return Hit(hit.flow, hit.score, titles[candidate])
        return hit
