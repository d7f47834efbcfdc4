"""Checks on every text in a flow: translations present, placeholders known, fits a screen."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import msgspec

from kiosk.flows.limits import LIMITS, screen_units
from kiosk.flows.model import LOCALE_RE, Flow
from kiosk.flows.texts import placeholders

#: Parts of the model that hold no resident-facing text.
SKIP_FIELDS = {"scenarios", "variables", "set", "next", "id", "start", "when", "goto"}


class TextAt(msgspec.Struct, frozen=True):
    loc: tuple[str | int, ...]
    field: str
    value: Mapping[str, Any]
    phrases: bool


def _is_locale_map(obj: Mapping[Any, Any]) -> bool:
    return bool(obj) and all(isinstance(k, str) and LOCALE_RE.match(k) for k in obj)


def iter_texts(obj: Any, loc: tuple[str | int, ...] = (), field: str = "") -> Iterator[TextAt]:
    """Every locale map in a content object, with where it stands and its field name."""
    if isinstance(obj, msgspec.Struct):
        for name in obj.__struct_fields__:
            if name not in SKIP_FIELDS:
                yield from iter_texts(getattr(obj, name), (*loc, name), name)
    elif isinstance(obj, list):
        for i, item in enumerate(obj):
            yield from iter_texts(item, (*loc, i), field)
    elif isinstance(obj, dict) and _is_locale_map(obj):
        phrases = all(isinstance(v, list) for v in obj.values())
        yield TextAt(loc, field, obj, phrases)


def limit_kind(at: TextAt) -> str | None:
    if "deadlines" in at.loc and at.field == "text":
        return "deadline"
    return {"steps": "step", "documents": "document"}.get(at.field, at.field)


def node_index(loc: Sequence[str | int]) -> int | None:
    if len(loc) >= 2 and loc[0] == "nodes" and isinstance(loc[1], int):
        return loc[1]
    return None


def text_problems(
    flow: Flow, locales: Sequence[str], rules: Mapping[str, Any], declared: Mapping[str, Any]
) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """(loc, message) for each missing translation, unknown placeholder or over-long text."""
    for at in iter_texts(flow):
        path = ".".join(str(p) for p in at.loc)
        if at.field == "say":
            continue  # voice synonyms are optional per locale: the label is always heard
        for locale in locales:
            if locale not in at.value:
                yield at.loc, (
                    f"missing {locale} text at '{path}': add a '{locale}:' entry"
                )
        if at.phrases:
            continue
        for locale, text in at.value.items():
            for is_rule, name in placeholders(text):
                if is_rule and name not in rules:
                    yield at.loc, (
                        f"'{path}' ({locale}) uses unknown rule {{rules.{name}}}: "
                        "add it to the locality's rules or fix the name"
                    )
                if not is_rule and name not in declared:
                    yield at.loc, (
                        f"'{path}' ({locale}) uses undeclared variable {{{name}}}: "
                        "declare it under 'variables'"
                    )
            kind = limit_kind(at)
            limit = LIMITS.get(kind or "")
            units = screen_units(text)
            if limit is not None and units > limit:
                yield at.loc, (
                    f"'{path}' ({locale}) is too long for one screen: {units:g} units, "
                    f"at most {limit:g} (a CJK character is 1, others 0.5): shorten it"
                )
