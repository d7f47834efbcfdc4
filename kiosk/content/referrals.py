"""`content/referrals.yaml`: matters that belong to another body, and which body.

Search (kiosk/search/service.py) answers "not here" for these instead of guessing a flow,
and names the body, the locality's office for it where there is one, and a hotline.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from pathlib import Path

from msgspec import field

from kiosk.content.model import Hotline, Office
from kiosk.content.problems import Problem
from kiosk.flows.model import FlowId, Identifier, Phrases, Strict, Text

REFERRALS_FILE = "referrals.yaml"
#: The hotline every "not here" ends with (pack.yaml: 12348).
LEGAL_HOTLINE = "legal"


class Referral(Strict, frozen=True, kw_only=True):
    id: Identifier
    #: Who handles it; none for everyday questions that are nobody's legal matter.
    body: Text | None = None
    #: What the body handles, for the resident ("身份证、户口…").
    matters: Text | None = None
    #: Locality office services, in order of preference (the first the locality has).
    offices: list[str] = field(default_factory=list)
    #: A hotline id (pack.yaml or the locality).
    hotline: str | None = None
    keywords: Phrases


class NeverRefuse(Strict, frozen=True, kw_only=True):
    """Words that must never get "not here": a resident in danger is sent to the flow even
    when the rest of the question is unclear ("我爸天天打我" scores too low on its own)."""

    flow: FlowId
    words: Phrases


class Referrals(Strict, frozen=True, kw_only=True):
    not_here: Text
    no_match: Text
    #: Sentence templates: {matters} {body}; {name} {address} {phone}; {title} {number}.
    go_to: Text
    office: Text
    call: Text
    #: Ends every "not here"; {number} is the legal hotline's.
    help: Text
    referrals: list[Referral] = field(default_factory=list)
    never_refuse: list[NeverRefuse] = field(default_factory=list)


def load_referrals(content_dir: Path, problems: list[Problem]) -> Referrals | None:
    """The referral table, or None when the content has none (search then only rejects)."""
    path = content_dir / REFERRALS_FILE
    if not path.is_file():
        return None
    from kiosk.content.bundle import read_document

    read = read_document(Referrals, path, content_dir, problems)
    return read[0] if read else None


def office_for(referral: Referral, offices: Sequence[Office]) -> Office | None:
    for service in referral.offices:
        for office in offices:
            if service in office.services:
                return office
    return None


def referral_problems(
    table: Referrals | None, hotlines: dict[str, Hotline], locales: Sequence[str],
    flows: Collection[str] | None = None,
) -> list[Problem]:
    """Every text in every kiosk locale, known hotlines, unique ids, keywords to find by."""
    if table is None:
        return []
    problems: list[Problem] = []

    def need(text: Text, what: str) -> None:
        missing = [loc for loc in locales if loc not in text]
        if missing:
            problems.append(Problem(REFERRALS_FILE, None, None,
                                    f"{what} has no text in {', '.join(missing)}"))

    for name in ("not_here", "no_match", "go_to", "office", "call", "help"):
        need(getattr(table, name), name)
    if LEGAL_HOTLINE not in hotlines:
        problems.append(Problem(REFERRALS_FILE, None, None,
                                f"hotline '{LEGAL_HOTLINE}' (12348) is not in pack.yaml hotlines"))
    seen: set[str] = set()
    for ref in table.referrals:
        if ref.id in seen:
            problems.append(Problem(REFERRALS_FILE, None, None, f"referral '{ref.id}' appears twice"))
        seen.add(ref.id)
        if (ref.body is None) != (ref.matters is None):
            problems.append(Problem(REFERRALS_FILE, None, None,
                                    f"referral '{ref.id}' needs both body and matters, or neither"))
        if ref.body is not None and ref.matters is not None:
            need(ref.body, f"referral '{ref.id}' body")
            need(ref.matters, f"referral '{ref.id}' matters")
        if ref.hotline is not None and ref.hotline not in hotlines:
            problems.append(Problem(REFERRALS_FILE, None, None,
                                    f"referral '{ref.id}' names hotline '{ref.hotline}', "
                                    "which is not in pack.yaml or the locality"))
        if not any(ref.keywords.get(loc) for loc in locales):
            problems.append(Problem(REFERRALS_FILE, None, None,
                                    f"referral '{ref.id}' has no keywords to be found by"))
    for rule in table.never_refuse:  # flow names checked when the whole pack is (`flows`)
        if flows is not None and rule.flow not in flows:
            problems.append(Problem(REFERRALS_FILE, None, None,
                                    f"never_refuse names flow '{rule.flow}', which is not in the pack"))
        if not any(rule.words.get(loc) for loc in locales):
            problems.append(Problem(REFERRALS_FILE, None, None,
                                    f"never_refuse for '{rule.flow}' has no words"))
    return problems
