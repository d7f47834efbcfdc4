"""What changed in a flow since its last approval, in residents' terms, not YAML lines.

Both texts are parsed into the kiosk's own flow model (kiosk.flows.model), then compared
node by node: texts before and after in each language (highlighted by character for
Chinese, by word for English), choices added, removed or relabelled, routes that now lead
elsewhere, and an outcome's steps, documents, places, deadlines and legal basis.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import msgspec
import yaml
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from central.review import words
from central.review.textdiff import Seg, highlight
from kiosk.flows.model import AnyNode, Flow, OutcomeNode, QuestionNode

#: Texts a resident reads or hears, by field name, in the order a screen shows them.
TEXT_FIELDS = ("title", "text", "summary", "body", "help", "unit", "speak")
FIELD_LABELS = {"title": gettext_lazy("title"), "text": gettext_lazy("text on screen"),
                "summary": gettext_lazy("summary"), "body": gettext_lazy("more text"),
                "help": gettext_lazy("help text"), "unit": gettext_lazy("unit"),
                "speak": gettext_lazy("spoken text")}
LOCALES = ("zh-CN", "en")


@dataclass(frozen=True)
class TextChange:
    label: str
    locale: str
    before: list[Seg]
    after: list[Seg]


@dataclass
class NodeDiff:
    node_id: str
    label: str
    status: str  # "added", "removed" or "changed"
    texts: list[TextChange] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)


@dataclass
class FlowDiff:
    nodes: list[NodeDiff] = field(default_factory=list)
    texts: list[TextChange] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    problem: str = ""  # a text that does not parse: then `raw` holds a line diff
    raw: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.nodes or self.texts or self.lines or self.problem or self.raw)


def parse(text: str) -> Flow:
    """The kiosk's model of a flow text; ValueError with the reason when it is not one."""
    try:
        return msgspec.convert(yaml.safe_load(text), Flow, strict=True)
    except (yaml.YAMLError, msgspec.ValidationError) as exc:
        raise ValueError(str(exc).splitlines()[0]) from exc


def line_diff(before: str, after: str) -> list[str]:
    return list(difflib.unified_diff(before.splitlines(), after.splitlines(), "before", "after",
                                     lineterm="", n=2))


def _texts(label: str, old: dict[str, str] | None, new: dict[str, str] | None) -> list[TextChange]:
    old, new = old or {}, new or {}
    found: list[TextChange] = []
    for locale in [*LOCALES, *sorted((set(old) | set(new)) - set(LOCALES))]:
        a, b = old.get(locale, ""), new.get(locale, "")
        if a != b:
            before, after = highlight(a, b, locale)
            found.append(TextChange(label, locale, before, after))
    return found


def _items(label: str, old: Sequence[Any], new: Sequence[Any], say: Callable[[Any], str]) -> list[str]:
    """List items (steps, documents, legal bases) added, removed or reworded, as sentences."""
    a, b = [say(x) for x in old], [say(x) for x in new]
    lines: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        if op == "replace" and i2 - i1 == j2 - j1:
            lines += [_("%(what)s %(n)d reworded: “%(before)s” → “%(after)s”")
                      % {"what": label, "n": j1 + k + 1, "before": a[i1 + k], "after": b[j1 + k]}
                      for k in range(i2 - i1)]
            continue
        lines += [_("%(what)s removed: “%(item)s”") % {"what": label, "item": x} for x in a[i1:i2]]
        lines += [_("%(what)s added: “%(item)s”") % {"what": label, "item": x} for x in b[j1:j2]]
    return lines


def _routes(old: AnyNode, new: AnyNode, old_nodes: dict[str, AnyNode], new_nodes: dict[str, AnyNode],
            locale: str) -> list[str]:
    before = {b.when.strip() if b.when else None: b.goto for b in old.next}
    after = {b.when.strip() if b.when else None: b.goto for b in new.next}
    lines: list[str] = []
    for when, goto in after.items():
        said = words.condition(new, when, locale)
        if when not in before:
            lines.append(_("New route: %(when)s, go to %(to)s")
                         % {"when": said, "to": words.target(new_nodes, goto, locale)})
        elif before[when] != goto:
            lines.append(_("%(when)s: used to go to %(before)s, now goes to %(after)s")
                         % {"when": said, "before": words.target(old_nodes, before[when], locale),
                            "after": words.target(new_nodes, goto, locale)})
    for when, goto in before.items():
        if when not in after:
            lines.append(_("Route removed: %(when)s, went to %(to)s")
                         % {"when": words.condition(old, when, locale),
                            "to": words.target(old_nodes, goto, locale)})
    return lines


def _choices(old: QuestionNode, new: QuestionNode, locale: str) -> tuple[list[str], list[TextChange]]:
    before = {c.value: c for c in old.choices}
    after = {c.value: c for c in new.choices}
    lines: list[str] = []
    texts: list[TextChange] = []
    for value, choice in after.items():
        label = words.pick(choice.label, locale)
        if value not in before:
            lines.append(_("New choice: “%(label)s”") % {"label": words.both(choice.label)})
            continue
        was = before[value]
        if was.label != choice.label:
            lines.append(_("Choice “%(before)s” is now called “%(after)s”")
                         % {"before": words.pick(was.label, locale), "after": label})
            texts += _texts(_("choice “%(label)s”") % {"label": label}, was.label, choice.label)
        for loc in sorted(set(was.say) | set(choice.say)):
            gone = [w for w in was.say.get(loc, []) if w not in choice.say.get(loc, [])]
            new_words = [w for w in choice.say.get(loc, []) if w not in was.say.get(loc, [])]
            if gone or new_words:
                lines.append(_("Voice words for “%(label)s” (%(locale)s): added %(added)s; "
                               "removed %(removed)s") % {"label": label, "locale": loc,
                                                         "added": ", ".join(new_words) or "—",
                                                         "removed": ", ".join(gone) or "—"})
    lines += [_("Choice removed: “%(label)s”") % {"label": words.both(c.label)}
              for value, c in before.items() if value not in after]
    kept_before = [c.value for c in old.choices if c.value in after]
    if kept_before != [c.value for c in new.choices if c.value in before]:
        lines.append(_("The choices are shown in a new order."))
    return lines, texts


def _outcome(old: OutcomeNode, new: OutcomeNode, locale: str) -> list[str]:
    def text(x: dict[str, str]) -> str:
        return words.pick(x, locale)

    lines = _items(_("Step"), old.steps, new.steps, text)
    lines += _items(_("Document to bring"), old.documents, new.documents, text)
    lines += _items(_("Where to go"), old.where, new.where, lambda x: words.where(x, locale))
    lines += _items(_("Deadline"), old.deadlines, new.deadlines, lambda x: words.deadline(x, locale))
    lines += _items(_("Legal basis"), old.basis, new.basis, lambda x: words.basis(x, locale))
    lines += _items(_("Hotline"), old.hotlines, new.hotlines, str)
    lines += _items(_("Offer"), old.offer, new.offer, str)
    lines += _items(_("Application"), old.apply, new.apply, str)
    if old.service != new.service:
        lines.append(_("Service changed from %(before)s to %(after)s")
                     % {"before": old.service or "—", "after": new.service or "—"})
    return lines


def _node(old: AnyNode, new: AnyNode, old_nodes: dict[str, AnyNode], new_nodes: dict[str, AnyNode],
          locale: str) -> NodeDiff:
    found = NodeDiff(new.id, words.node_label(new, locale), "changed")
    if type(old) is not type(new):
        found.lines.append(_("This step changed its kind (question, information, outcome…)."))
    for name in TEXT_FIELDS:
        found.texts += _texts(str(FIELD_LABELS[name]), getattr(old, name, None), getattr(new, name, None))
    if isinstance(old, QuestionNode) and isinstance(new, QuestionNode):
        if (old.input, old.var) != (new.input, new.var):
            found.lines.append(_("The answer is now asked as %(input)s into %(var)s "
                                 "(was %(old_input)s into %(old_var)s)")
                               % {"input": new.input, "var": new.var, "old_input": old.input,
                                  "old_var": old.var})
        lines, texts = _choices(old, new, locale)
        found.lines += lines
        found.texts += texts
    if isinstance(old, OutcomeNode) and isinstance(new, OutcomeNode):
        found.lines += _outcome(old, new, locale)
    for name in ("set", "action", "service", "step"):
        if getattr(old, name, None) != getattr(new, name, None):
            found.lines.append(_("%(field)s changed: %(before)s → %(after)s") % {
                "field": name, "before": words.plain(getattr(old, name, None) or "—"),
                "after": words.plain(getattr(new, name, None) or "—")})
    found.lines += _routes(old, new, old_nodes, new_nodes, locale)
    return found


def _summary(node: AnyNode, nodes: dict[str, AnyNode], locale: str) -> list[str]:
    """An added or removed node in a few sentences: its texts and where it leads."""
    lines = [f"{FIELD_LABELS[name]} ({loc}): {text}" for name in TEXT_FIELDS
             for loc, text in sorted((getattr(node, name, None) or {}).items())]
    if isinstance(node, QuestionNode):
        lines += [_("Choice: “%(label)s”") % {"label": words.both(c.label)} for c in node.choices]
    if isinstance(node, OutcomeNode):
        lines += [_("Legal basis: %(basis)s") % {"basis": words.basis(b, locale)} for b in node.basis]
    lines += [_("%(when)s, go to %(to)s") % {"when": words.condition(node, b.when, locale),
                                             "to": words.target(nodes, b.goto, locale)} for b in node.next]
    return lines


def flow_diff(before: str | None, after: str, locale: str = "zh-CN") -> FlowDiff:
    """What changed from `before` (None: nothing approved yet) to `after`, for a reviewer."""
    try:
        new = parse(after)
        old = parse(before) if before is not None else None
    except ValueError as exc:
        return FlowDiff(problem=str(exc), raw=line_diff(before or "", after))
    result = FlowDiff()
    new_nodes = new.node_map()
    old_nodes = old.node_map() if old is not None else {}
    if old is None:
        result.lines.append(_("No approved version yet: everything below is new."))
    else:
        result.texts += _texts(str(FIELD_LABELS["title"]), old.title, new.title)
        result.texts += _texts(str(FIELD_LABELS["summary"]), old.summary, new.summary)
        if old.start != new.start:
            result.lines.append(_("The flow now starts at %(after)s (was %(before)s)")
                                % {"after": words.target(new_nodes, new.start, locale),
                                   "before": words.target(old_nodes, old.start, locale)})
        result.lines += _items(_("Variable"), sorted(old.variables), sorted(new.variables), str)
        result.lines += _items(_("Scenario test"), [s.name for s in old.scenarios],
                               [s.name for s in new.scenarios], str)
        for loc in LOCALES:
            result.lines += _items(_("Search word (%(locale)s)") % {"locale": loc},
                                   sorted(old.keywords.get(loc, [])), sorted(new.keywords.get(loc, [])), str)
    for node in new.nodes:
        if node.id not in old_nodes:
            result.nodes.append(NodeDiff(node.id, words.node_label(node, locale), "added",
                                         lines=_summary(node, new_nodes, locale)))
            continue
        changed = _node(old_nodes[node.id], node, old_nodes, new_nodes, locale)
        if changed.texts or changed.lines:
            result.nodes.append(changed)
    for node in old.nodes if old is not None else []:
        if node.id not in new_nodes:
            result.nodes.append(NodeDiff(node.id, words.node_label(node, locale), "removed",
                                         lines=_summary(node, old_nodes, locale)))
    return result
