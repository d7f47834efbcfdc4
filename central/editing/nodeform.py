"""A node as form fields and back: what the editor's form shows, and how a posted form
changes the round-trip document (only values that differ are written, so an untouched
form saves the file byte-identical).

Field names: `text.zh-CN`, `choice-0-label.en`, `branch-1-when`, `basis-0-law.zh-CN`, ...
Checks a field can make alone (a condition that does not parse, a target that does not
exist, a text too long for the screen) come back per field; the whole-flow checks are
the kiosk validator's (central.editing.store).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.translation import gettext as _
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from central.editing.doc import edit_node, load_node, node_spans, set_if_changed
from kiosk.flows import expr
from kiosk.flows.limits import LIMITS, screen_units

#: The texts each kind of node shows, in form order (field name -> limit key).
TEXTS: dict[str, list[str]] = {
    "question": ["text", "help", "speak"],
    "info": ["text", "body", "speak"],
    "action": ["text", "speak"],
    "outcome": ["title", "summary", "speak"],
    "compute": [],
}
REQUIRED = {"text", "title", "summary"}
LISTS = {"steps": "step", "documents": "document"}  # outcome: one line per item
IDENT = re.compile(r"^[a-z][a-z0-9_]*$")
SPLIT = re.compile(r"\s*[,，、;；]\s*")
BASIS_PARTS = ("law", "article", "gist")

Fields = dict[str, str]
Errors = dict[str, str]


def _text(node: Mapping[str, Any], key: str, locale: str) -> str:
    value = node.get(key)
    return str(value.get(locale, "")) if isinstance(value, Mapping) else ""


def node_fields(node: Mapping[str, Any], locales: Sequence[str]) -> Fields:
    """The form's values for one node."""
    kind = str(node.get("kind"))
    f: Fields = {"id": str(node.get("id")), "kind": kind, "step": str(node.get("step") or "")}
    for key in TEXTS.get(kind, []):
        for loc in locales:
            f[f"{key}.{loc}"] = _text(node, key, loc)
    for i, c in enumerate(node.get("choices") or []):
        f[f"choice-{i}-value"] = str(c.get("value", ""))
        f[f"choice-{i}-icon"] = str(c.get("icon") or "")
        for loc in locales:
            f[f"choice-{i}-label.{loc}"] = _text(c, "label", loc)
            say = (c.get("say") or {}).get(loc) or []
            f[f"choice-{i}-say.{loc}"] = ", ".join(str(s) for s in say)
    f["choice-count"] = str(len(node.get("choices") or []))
    for i, b in enumerate(node.get("next") or []):
        f[f"branch-{i}-when"] = str(b.get("when") or "")
        f[f"branch-{i}-goto"] = str(b.get("goto") or "")
    f["branch-count"] = str(len(node.get("next") or []))
    if kind == "outcome":
        for key in LISTS:
            for loc in locales:
                f[f"{key}.{loc}"] = "\n".join(str(item.get(loc, "")) for item in node.get(key) or [])
        for i, basis in enumerate(node.get("basis") or []):
            for part in BASIS_PARTS:
                for loc in locales:
                    f[f"basis-{i}-{part}.{loc}"] = _text(basis, part, loc)
        f["basis-count"] = str(len(node.get("basis") or []))
        f["where"] = ", ".join(str(w.get("service", "")) for w in node.get("where") or [])
        for w in node.get("where") or []:
            for loc in locales:
                f[f"note-{w.get('service', '')}.{loc}"] = _text(w, "note", loc)
        for i, deadline in enumerate(node.get("deadlines") or []):
            for loc in locales:
                f[f"deadline-{i}-text.{loc}"] = _text(deadline, "text", loc)
            for part in BASIS_PARTS:
                for loc in locales:
                    f[f"deadline-{i}-{part}.{loc}"] = _text(deadline.get("basis") or {}, part, loc)
        f["deadline-count"] = str(len(node.get("deadlines") or []))
    return f


def _count(post: Mapping[str, str], name: str) -> int:
    try:
        return max(0, min(int(post.get(f"{name}-count", "0")), 200))
    except ValueError:
        return 0


def _too_long(value: str, limit_key: str) -> str | None:
    limit = LIMITS.get(limit_key)
    if limit is not None and screen_units(value) > limit:
        return _("Too long for the kiosk screen: %(n)g of %(max)g units (a Chinese character is 1, "
                 "a Latin letter ½). Shorten it.") % {"n": screen_units(value), "max": limit}
    return None


def _set_text(node: CommentedMap, key: str, values: dict[str, str], errors: Errors,
              field: str, limit_key: str, required: bool) -> None:
    """Write one locale map; an emptied optional text is removed."""
    for loc, value in values.items():
        problem = _too_long(value, limit_key)
        if problem:
            errors[f"{field}.{loc}"] = problem
    if not any(values.values()):
        if required:
            errors[f"{field}.{next(iter(values))}"] = _("This text is needed.")
        elif key in node:
            del node[key]
        return
    current = node.get(key)
    if not isinstance(current, CommentedMap):
        node[key] = CommentedMap((loc, v) for loc, v in values.items() if v)
        return
    for loc, value in values.items():
        set_if_changed(current, loc, value or None)


def _texts(post: Mapping[str, str], prefix: str, locales: Sequence[str]) -> dict[str, str]:
    return {loc: post.get(f"{prefix}.{loc}", "").strip() for loc in locales}


def _choices(node: CommentedMap, post: Mapping[str, str], locales: Sequence[str], errors: Errors) -> None:
    old = node.get("choices") or CommentedSeq()
    kept: list[CommentedMap] = []
    for i in range(_count(post, "choice")):
        p = f"choice-{i}"
        if post.get(f"{p}-delete"):
            continue
        value = post.get(f"{p}-value", "").strip()
        if not value and not any(_texts(post, f"{p}-label", locales).values()):
            continue  # the empty "new choice" row
        if not IDENT.match(value):
            errors[f"{p}-value"] = _("Use lower-case letters, digits and _ (e.g. other_reason).")
        choice = old[i] if i < len(old) and old[i].get("value") == value else CommentedMap(value=value)
        _set_text(choice, "label", _texts(post, f"{p}-label", locales), errors, f"{p}-label", "label", True)
        say = {loc: [s for s in SPLIT.split(post.get(f"{p}-say.{loc}", "").strip()) if s] for loc in locales}
        if any(say.values()):
            current = choice.get("say")
            if not isinstance(current, CommentedMap):
                choice["say"] = current = CommentedMap()
            for loc, words in say.items():
                if not words:
                    current.pop(loc, None)
                elif list(current.get(loc) or []) != words:
                    current[loc] = words
        elif "say" in choice:
            del choice["say"]
        set_if_changed(choice, "icon", post.get(f"{p}-icon", "").strip() or None)
        kept.append(choice)
    values = [c.get("value") for c in kept]
    for i, v in enumerate(values):
        if v in values[:i]:
            errors[f"choice-{i}-value"] = _("Two choices have the value “%(v)s”: rename one.") % {"v": v}
    _replace_list(node, "choices", kept)


def _replace_list(node: CommentedMap, key: str, items: list[Any]) -> None:
    old = node.get(key)
    same = isinstance(old, CommentedSeq) and len(old) == len(items)
    if same and all(a is b for a, b in zip(old, items, strict=True)):
        return
    if not items:
        node.pop(key, None)
    elif isinstance(old, CommentedSeq):
        old[:] = items
    else:
        node[key] = CommentedSeq(items)


def _branches(node: CommentedMap, post: Mapping[str, str], ids: set[str], errors: Errors) -> None:
    old = node.get("next") or CommentedSeq()
    kept: list[CommentedMap] = []
    for i in range(_count(post, "branch")):
        p = f"branch-{i}"
        when, goto = post.get(f"{p}-when", "").strip(), post.get(f"{p}-goto", "").strip()
        if post.get(f"{p}-delete") or (not when and not goto):
            continue
        if goto not in ids:
            errors[f"{p}-goto"] = _("There is no node “%(id)s” in this flow (deleted?): choose one from "
                                    "the list.") % {"id": goto}
        if when:
            try:
                expr.parse(when)
            except expr.ExprError as exc:
                errors[f"{p}-when"] = _("This condition cannot be read: %(why)s. Build it with the "
                                        "condition builder below.") % {"why": exc}
        branch = old[i] if i < len(old) else CommentedMap()
        if not isinstance(branch, CommentedMap):
            branch = CommentedMap()
        if when:
            had_when = "when" in branch
            set_if_changed(branch, "when", when)
            if not had_when and "goto" in branch:
                branch.move_to_end("goto")  # read as "when ..., go to ..."
        else:
            branch.pop("when", None)
        set_if_changed(branch, "goto", goto)
        kept.append(branch)
    added = len(kept) >= 2 and all(kept[-1] is not b for b in old)
    if added and "when" in kept[-1] and "when" not in kept[-2]:
        kept[-2], kept[-1] = kept[-1], kept[-2]  # a new condition goes before "otherwise"
    if kept or "next" in node:
        _replace_list(node, "next", kept)


def _lines(node: CommentedMap, post: Mapping[str, str], key: str, locales: Sequence[str],
           errors: Errors) -> None:
    per_loc = {loc: [s.strip() for s in post.get(f"{key}.{loc}", "").splitlines() if s.strip()]
               for loc in locales}
    counts = {len(v) for v in per_loc.values()}
    if len(counts) > 1:
        errors[f"{key}.{locales[-1]}"] = _("Each language needs the same number of lines (one per item).")
        return
    old = node.get(key) or CommentedSeq()
    n = counts.pop() if counts else 0
    items = []
    for i in range(n):
        item = old[i] if i < len(old) else CommentedMap()
        for loc in locales:
            problem = _too_long(per_loc[loc][i], LISTS[key])
            if problem:
                errors[f"{key}.{loc}"] = f"{i + 1}: {problem}"
            set_if_changed(item, loc, per_loc[loc][i])
        items.append(item)
    _replace_list(node, key, items)


def _basis(node: CommentedMap, post: Mapping[str, str], locales: Sequence[str], errors: Errors) -> None:
    old = node.get("basis") or CommentedSeq()
    kept = []
    for i in range(_count(post, "basis")):
        p = f"basis-{i}"
        if post.get(f"{p}-delete") or not any(_texts(post, f"{p}-law", locales).values()):
            continue
        basis = old[i] if i < len(old) else CommentedMap()
        _set_basis(basis, post, p, locales, errors)
        kept.append(basis)
    _replace_list(node, "basis", kept)


def _set_basis(basis: CommentedMap, post: Mapping[str, str], p: str, locales: Sequence[str],
               errors: Errors) -> None:
    """Law and article are needed, the gist is optional (the model's LegalBasis)."""
    for part in BASIS_PARTS:
        _set_text(basis, part, _texts(post, f"{p}-{part}", locales), errors, f"{p}-{part}", part,
                  part != "gist")


def _deadlines(node: CommentedMap, post: Mapping[str, str], locales: Sequence[str], errors: Errors) -> None:
    """Each deadline: its text and its own legal basis; an all-empty row (the "add" row) is skipped."""
    old = node.get("deadlines") or CommentedSeq()
    kept = []
    for i in range(_count(post, "deadline")):
        p = f"deadline-{i}"
        typed = [_texts(post, f"{p}-{part}", locales) for part in ("text", *BASIS_PARTS)]
        if post.get(f"{p}-delete") or not any(v for t in typed for v in t.values()):
            continue
        deadline = old[i] if i < len(old) else CommentedMap()
        _set_text(deadline, "text", typed[0], errors, f"{p}-text", "deadline", True)
        basis = deadline.get("basis")
        if not isinstance(basis, CommentedMap):
            deadline["basis"] = basis = CommentedMap()
        _set_basis(basis, post, p, locales, errors)
        kept.append(deadline)
    _replace_list(node, "deadlines", kept)


def _where(node: CommentedMap, post: Mapping[str, str], locales: Sequence[str], errors: Errors) -> None:
    """The places by service id; a place's note is written when its fields were on the form
    (a place added just now gets its note fields when the form is shown again)."""
    services = [s for s in SPLIT.split(post.get("where", "").strip()) if s]
    old_where = node.get("where") or CommentedSeq()
    if [w.get("service") for w in old_where] != services:
        by_service = {w.get("service"): w for w in old_where}
        _replace_list(node, "where", [by_service.get(s) or CommentedMap(service=s) for s in services])
    for place in node.get("where") or []:
        prefix = f"note-{place.get('service', '')}"
        if any(f"{prefix}.{loc}" in post for loc in locales):
            _set_text(place, "note", _texts(post, prefix, locales), errors, prefix, "note", False)


def apply_fields(node: CommentedMap, post: Mapping[str, str], locales: Sequence[str],
                 targets: set[str]) -> Errors:
    """Change `node` to the posted form (`targets`: the flow's node ids); errors per field."""
    kind = str(node.get("kind"))
    errors: Errors = {}
    step = post.get("step", "").strip()
    if kind != "compute":
        set_if_changed(node, "step", step or None)
    for key in TEXTS.get(kind, []):
        _set_text(node, key, _texts(post, key, locales), errors, key, key, key in REQUIRED)
    if node.get("input") == "choice" or ("choice-count" in post and _count(post, "choice")):
        _choices(node, post, locales, errors)
    if kind != "outcome":
        _branches(node, post, targets, errors)
    else:
        for key in LISTS:
            _lines(node, post, key, locales, errors)
        _basis(node, post, locales, errors)
        _where(node, post, locales, errors)
        _deadlines(node, post, locales, errors)
    return errors


def read_fields(text: str, node_id: str, locales: Sequence[str]) -> Fields:
    """The form of node `node_id` of a flow's text (KeyError if there is no such node)."""
    return node_fields(load_node(text, node_id), locales)


def write_fields(text: str, node_id: str, post: Mapping[str, str],
                 locales: Sequence[str]) -> tuple[str, Errors]:
    """The flow's text with the posted form applied to one node, or the unchanged text and
    the errors per field: never a half-applied form."""
    targets = set(node_spans(text))
    new_text, errors = edit_node(text, node_id, lambda node: apply_fields(node, post, locales, targets))
    return (text, errors) if errors else (new_text, errors)
