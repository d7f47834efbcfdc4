"""`content/search/examples/*.yaml`: residents' own phrasings, per flow and "not ours".

Search learns from them (kiosk/search/intent.py): a flow's keywords name the matter, the
examples say it the many ways residents do ("我跟老伴过不下去了"). They are content, shipped
and signed with the flows. `not-ours.yaml` (`flow: null`) holds things residents ask that no
flow answers, each with the referral id of the body that handles it (or null: nobody's).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from pathlib import Path

import msgspec

from kiosk.content.problems import Problem
from kiosk.flows.model import FlowId, Identifier, LocaleCode, NonEmpty, Strict

EXAMPLES_DIR = "search/examples"
NOT_OURS_FILE = "not-ours.yaml"
#: Fewest examples a flow file must give per locale: fewer do not teach the variety.
MIN_EXAMPLES = {"zh-CN": 45, "en": 12}


class Asked(Strict, frozen=True):
    """A not-ours example: what was asked, and the referral id of the body that handles it."""

    text: NonEmpty
    body: Identifier | None


class Examples(Strict, frozen=True):
    """One examples file: a flow's phrasings (plain strings), or with `flow: null` the
    questions that are not ours ({text, body})."""

    flow: FlowId | None
    examples: dict[LocaleCode, list[NonEmpty | Asked]]

    def texts(self, locale: str) -> list[str]:
        return [e.text if isinstance(e, Asked) else e for e in self.examples.get(locale, [])]

    def labelled(self) -> list[tuple[str, str | None]]:
        """(text, body) of every example, all locales; body None for flow files."""
        return [(e.text, e.body) if isinstance(e, Asked) else (e, None)
                for items in self.examples.values() for e in items]


class SearchExamples(msgspec.Struct, frozen=True):
    """Every examples file of a pack, with where each came from (for problems)."""

    #: flow id -> its examples.
    flows: dict[str, Examples]
    #: The not-ours file, if any.
    not_ours: Examples | None = None
    #: File (as displayed) -> "locale#index" -> line, for problems found after loading.
    lines: dict[str, dict[str, int]] = msgspec.field(default_factory=dict)
    #: flow id (or "" for not-ours) -> file (as displayed).
    files: dict[str, str] = msgspec.field(default_factory=dict)


def example_files(content_dir: Path) -> list[Path]:
    folder = content_dir / EXAMPLES_DIR
    return sorted(folder.glob("*.yaml")) if folder.is_dir() else []


def load_examples(content_dir: Path, problems: list[Problem]) -> SearchExamples | None:
    """The examples of a pack (None when it has none: search is then lexical only)."""
    files = example_files(content_dir)
    if not files:
        return None
    from kiosk.content.bundle import read_document

    flows: dict[str, Examples] = {}
    not_ours: Examples | None = None
    lines: dict[str, dict[str, int]] = {}
    where: dict[str, str] = {}
    for path in files:
        read = read_document(Examples, path, content_dir, problems)
        if read is None:
            continue
        item, doc = read
        expected = None if path.name == NOT_OURS_FILE else path.stem
        if item.flow != expected:
            problems.append(Problem(
                doc.file, doc.line_of(("flow",)), None,
                f"flow '{item.flow}' differs from the file name: a flow's examples go in "
                f"{EXAMPLES_DIR}/<flow id>.yaml, and `flow: null` only in {NOT_OURS_FILE}"))
            continue
        lines[doc.file] = {f"{locale}#{i}": doc.line_of(("examples", locale, i)) or 0
                           for locale, items in item.examples.items() for i in range(len(items))}
        where[item.flow or ""] = doc.file
        if item.flow is None:
            not_ours = item
        else:
            flows[item.flow] = item
    return SearchExamples(flows, not_ours, lines, where)


def _is_traditional(ch: str) -> bool:
    """A Han character of Traditional script only: in Big5 but not in GB2312. Dialect
    characters written the same in Simplified text (冇, 佢) are let through."""
    if ch in DIALECT_CHARS:
        return False
    try:
        ch.encode("gb2312")
        return False
    except UnicodeEncodeError:
        pass
    try:
        ch.encode("big5")
        return True
    except UnicodeEncodeError:
        return False


#: Cantonese and other dialect characters of Simplified writing that Big5 also has.
DIALECT_CHARS = frozenset("冇佢咁噉孖搵喎嘅咗啲嘢睇")


def example_problems(
    table: SearchExamples | None, flows: Collection[str] | None, referrals: Collection[str],
    locales: Sequence[str],
) -> list[Problem]:
    """Flow ids that exist, enough examples, no duplicates anywhere, known bodies, and
    Simplified Han in zh-CN."""
    if table is None:
        return []
    problems: list[Problem] = []
    seen: dict[str, str] = {}  # folded text -> file it first appeared in
    items: list[Examples] = [*table.flows.values(), *([table.not_ours] if table.not_ours else [])]
    for item in items:
        file = table.files[item.flow or ""]
        lines = table.lines.get(file, {})
        if item.flow is not None:
            if flows is not None and item.flow not in flows:
                problems.append(Problem(file, 1, None, f"flow '{item.flow}' is not in the pack: "
                                                       "rename the file to a flow's id"))
            for locale in locales:
                need = MIN_EXAMPLES.get(locale, 0)
                if len(item.texts(locale)) < need:
                    problems.append(Problem(file, 1, None, f"{len(item.texts(locale))} {locale} examples, "
                                                           f"at least {need} needed"))
        for locale, entries in item.examples.items():
            for i, entry in enumerate(entries):
                text = entry.text if isinstance(entry, Asked) else entry
                line = lines.get(f"{locale}#{i}")
                if item.flow is None and not isinstance(entry, Asked):
                    problems.append(Problem(file, line, None, f"'{text}': a not-ours example needs "
                                                              "{text, body} (body: a referral id or null)"))
                if item.flow is not None and isinstance(entry, Asked):
                    problems.append(Problem(file, line, None, f"'{text}': a flow's examples are plain "
                                                              "text (body belongs in not-ours.yaml)"))
                if isinstance(entry, Asked) and entry.body is not None and entry.body not in referrals:
                    problems.append(Problem(file, line, None, f"'{text}': body '{entry.body}' is not a "
                                                              "referral id of referrals.yaml"))
                key = " ".join(text.casefold().split())
                if key in seen:
                    first = seen[key]
                    also = "" if first == file else f" (also in {first})"
                    problems.append(Problem(file, line, None, f"'{text}' appears twice{also}: keep one"))
                else:
                    seen[key] = file
                if locale.startswith("zh") and locale != "zh-TW":
                    odd = "".join(dict.fromkeys(ch for ch in text if _is_traditional(ch)))
                    if odd:
                        problems.append(Problem(file, line, None, f"'{text}': Traditional characters "
                                                                  f"{odd} in {locale}; write Simplified"))
    return problems
