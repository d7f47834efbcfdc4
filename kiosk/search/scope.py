"""Is a question ours at all? "Not here", and who handles it, instead of a guess.

BM25 always ranks something first, however unrelated ("明天会下雨吗" -> work injury). Two
signals decide instead, both measured on out-of-scope probes against the cost to in-scope
top-1 (bench/search.py):

- the referral table (content/referrals.yaml) has an index of its own; when a referral
  scores at least as well as the best flow, the matter is that body's;
- the best flow's score: below a floor, or carried only by weak evidence (single
  characters, homophones, function-word pairs), nothing fits.
"""

from __future__ import annotations

from collections.abc import Mapping

import msgspec

from kiosk.content.model import Hotline as ContentHotline
from kiosk.content.model import Office
from kiosk.content.referrals import LEGAL_HOTLINE, Referral, Referrals
from kiosk.search.index import Hit
from kiosk.search.terms import CHANNEL_WEIGHTS

#: A referral wins when it scores at least this share of the best flow (in-scope probes
#: scoring above the floor reach 0.6 at most) ...
REFERRAL_MARGIN = 0.9
#: ... and at least this much on its own (a stray shared character is not a referral).
REFERRAL_FLOOR = 3.0
#: Best flow scores below this fit nothing (in-scope probes: one miss below 1.9).
FLOW_FLOOR = 1.4
#: Below this, a flow also needs strong evidence (a word, a full pair, English, pinyin, a
#: sound-alike pair of a title or keyword) worth at least STRONG_FLOOR.
WEAK_CEILING = 4.5
STRONG_FLOOR = 1.6
STRONG = ("w:", "en:", "pw:", "pi:")


def strong_terms(terms: Mapping[str, float]) -> dict[str, float]:
    """Query terms that say something on their own: words, whole pairs at full weight.

    A sound-alike pair (`s2:`) counts only where it meets a title or keyword (`k2:`): in
    long text, some pair of a question always sounds like some pair of a flow's.
    """
    out: dict[str, float] = {}
    for term, weight in terms.items():
        channel, _, rest = term.partition(":")
        full = weight >= CHANNEL_WEIGHTS.get(channel, 1.0) - 1e-6
        if term.startswith(STRONG) or (channel == "h2" and full):
            out[term] = weight
        elif channel == "s2" and full:
            out["k2:" + rest] = out.get("k2:" + rest, 0.0) + weight
    return out


class Hotline(msgspec.Struct, frozen=True):
    title: str
    number: str


class Referred(msgspec.Struct, frozen=True):
    """What the resident is told when the matter is not handled here."""

    #: The referral's id (police, civil_affairs...), None when no body is named.
    body: str | None
    #: One paragraph to show and read aloud: not here, who, where, which line to call.
    text: str
    #: Numbers to show big: the body's hotline (if any), then the legal hotline 12348.
    hotlines: list[Hotline]


class SearchResult(msgspec.Struct, frozen=True):
    """Flows for the question, or `out_of_scope` with what to tell the resident."""

    hits: list[Hit]
    out_of_scope: bool = False
    referral: Referred | None = None

    @property
    def referral_body(self) -> str | None:
        return self.referral.body if self.referral else None


def _pick(text: Mapping[str, str] | None, locales: tuple[str, ...]) -> str:
    if not text:
        return ""
    for locale in locales:
        if locale in text:
            return text[locale]
    return next(iter(text.values()))


def tell(
    table: Referrals, referral: Referral | None, locales: tuple[str, ...],
    hotlines: Mapping[str, ContentHotline], office: Office | None,
) -> Referred:
    """The "not here" paragraph in the first of `locales` the content has, and the numbers."""
    parts = [_pick(table.not_here if referral else table.no_match, locales)]
    numbers: list[Hotline] = []
    if referral is not None and referral.body and referral.matters:
        parts.append(_pick(table.go_to, locales).format(
            matters=_pick(referral.matters, locales), body=_pick(referral.body, locales)))
        if office is not None:
            parts.append(_pick(table.office, locales).format(
                name=_pick(office.name, locales), address=_pick(office.address, locales),
                phone=office.phone))
        line = hotlines.get(referral.hotline or "")
        if line is not None:
            numbers.append(Hotline(_pick(line.title, locales), line.number))
            parts.append(_pick(table.call, locales).format(title=numbers[-1].title, number=line.number))
    legal = hotlines.get(LEGAL_HOTLINE)
    if legal is not None:
        numbers.append(Hotline(_pick(legal.title, locales), legal.number))
        parts.append(_pick(table.help, locales).format(number=legal.number))
    joiner = "" if locales[0].startswith("zh") else " "
    return Referred(referral.id if referral and referral.body else None, joiner.join(parts), numbers)
