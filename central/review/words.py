"""Content objects in a reviewer's words: a node by what it shows, a branch condition by the
answer that takes it ("选“是”以后"), a legal basis by law and article."""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext as _

from kiosk.flows.model import AnyNode, ComputeNode, Deadline, LegalBasis, OutcomeNode, QuestionNode, Where

_EQUALS = re.compile(r"""^\s*([a-z][a-z0-9_]*)\s*==\s*["']([^"']+)["']\s*$""")
_NOT = re.compile(r"^\s*not\s+([a-z][a-z0-9_]*)\s*$")


def pick(text: dict[str, str] | None, locale: str) -> str:
    """The text in `locale`, else Chinese, else any; "" for none."""
    if not text:
        return ""
    return text.get(locale) or text.get("zh-CN") or next(iter(text.values()), "")


def both(text: dict[str, str] | None) -> str:
    """Chinese and English together, for one-line mentions of list items."""
    if not text:
        return ""
    zh, en = text.get("zh-CN", ""), text.get("en", "")
    return f"{zh} / {en}" if zh and en and zh != en else zh or en or next(iter(text.values()), "")


def node_label(node: AnyNode, locale: str) -> str:
    """What a resident sees on the node's screen, shortened, with its id for the experts."""
    if isinstance(node, OutcomeNode):
        shown = pick(node.title, locale)
    elif isinstance(node, ComputeNode):
        shown = _("a calculation")
    else:
        shown = pick(node.text, locale)
    if len(shown) > 60:
        shown = shown[:59] + "…"
    return f"“{shown}” ({node.id})"


def target(nodes: dict[str, AnyNode], node_id: str, locale: str) -> str:
    node = nodes.get(node_id)
    return node_label(node, locale) if node is not None else _("“%(id)s” (no such step)") % {"id": node_id}


def condition(node: AnyNode, when: str | None, locale: str) -> str:
    """A branch's condition as the answer that takes it, where it can be said that way."""
    if when is None:
        return _("in every other case")
    if isinstance(node, QuestionNode):
        if node.input == "yesno" and when.strip() == node.var:
            return _("after choosing “%(choice)s”") % {"choice": _("Yes")}
        found = _NOT.match(when)
        if node.input == "yesno" and found and found.group(1) == node.var:
            return _("after choosing “%(choice)s”") % {"choice": _("No")}
        found = _EQUALS.match(when)
        if found and found.group(1) == node.var:
            for choice in node.choices:
                if choice.value == found.group(2):
                    return _("after choosing “%(choice)s”") % {"choice": pick(choice.label, locale)}
    return _("when %(condition)s") % {"condition": when}


def basis(item: LegalBasis, locale: str) -> str:
    words = f"{pick(item.law, locale)} {pick(item.article, locale)}"
    return f"{words}: {pick(item.gist, locale)}" if item.gist else words


def deadline(item: Deadline, locale: str) -> str:
    return f"{pick(item.text, locale)} ({basis(item.basis, locale)})"


def where(item: Where, locale: str) -> str:
    note = pick(item.note, locale)
    return f"{item.service}: {note}" if note else item.service


def plain(value: Any) -> str:
    return ", ".join(map(str, value)) if isinstance(value, list | tuple | set) else str(value)
