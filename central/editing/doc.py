"""A flow's YAML as a round-trip document: forms change values in place, and writing it
back keeps comments, key order, quoting and flow style, so files stay readable in git
and an unchanged flow writes back byte-identical (tests/central/test_editing_roundtrip.py).
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable
from typing import Any, TypeVar

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

T = TypeVar("T")


class DocError(ValueError):
    """The text is not YAML of a flow's shape (a mapping with a list of nodes)."""


def _yaml() -> YAML:
    y = YAML(typ="rt")
    y.preserve_quotes = True
    y.width = 4096  # never re-wrap a long line
    y.indent(mapping=2, sequence=4, offset=2)  # the shipped flows' style
    return y


class FlowDoc:
    """One flow file, editable node by node."""

    def __init__(self, data: CommentedMap) -> None:
        self.data = data

    @classmethod
    def read(cls, text: str) -> FlowDoc:
        """For reading only (map, lists): libyaml's fast parse, as the kiosk reads the file."""
        try:
            data = yaml.load(text, Loader=yaml.CSafeLoader)
        except yaml.YAMLError as exc:
            raise DocError(f"not readable as YAML: {exc}") from exc
        if not isinstance(data, dict) or not isinstance(data.get("nodes"), list):
            raise DocError("a flow file is a mapping with a list of 'nodes'")
        return cls(data)  # type: ignore[arg-type]

    @classmethod
    def parse(cls, text: str) -> FlowDoc:
        try:
            data = _yaml().load(text)
        except YAMLError as exc:
            raise DocError(f"not readable as YAML: {exc}") from exc
        if not isinstance(data, CommentedMap) or not isinstance(data.get("nodes"), CommentedSeq):
            raise DocError("a flow file is a mapping with a list of 'nodes'")
        return cls(data)

    def dump(self) -> str:
        out = io.StringIO()
        _yaml().dump(self.data, out)
        return out.getvalue()

    @property
    def nodes(self) -> CommentedSeq:
        return self.data["nodes"]  # type: ignore[no-any-return]

    def node_ids(self) -> list[str]:
        return [str(n.get("id")) for n in self.nodes if isinstance(n, dict)]

    def node(self, node_id: str) -> CommentedMap:
        for n in self.nodes:
            if isinstance(n, dict) and n.get("id") == node_id:
                return n  # type: ignore[return-value]  # a plain dict when read with FlowDoc.read
        raise KeyError(node_id)

    def pointing_at(self, node_id: str) -> list[str]:
        """Ids of the nodes with a branch to `node_id` (and 'start' when it is the start)."""
        found = [str(n.get("id")) for n in self.nodes if isinstance(n, dict)
                 and any(isinstance(b, dict) and b.get("goto") == node_id for b in n.get("next") or [])]
        return (["start"] if self.data.get("start") == node_id else []) + found

    def add_node(self, node: dict[str, Any], after: str | None = None) -> None:
        """Append a node (after `after` when given), as block-style YAML."""
        entry = CommentedMap(node)
        index = len(self.nodes)
        if after is not None and after in self.node_ids():
            index = self.node_ids().index(after) + 1
        self.nodes.insert(index, entry)

    def delete_node(self, node_id: str, repoint_to: str | None = None) -> None:
        """Remove a node; branches to it go to `repoint_to` (refused without one if any do)."""
        pointing = self.pointing_at(node_id)
        if pointing and repoint_to is None:
            raise KeyError(node_id)
        for n in self.nodes:
            for b in (n.get("next") or []) if isinstance(n, dict) else []:
                if isinstance(b, dict) and b.get("goto") == node_id:
                    b["goto"] = repoint_to
        if self.data.get("start") == node_id:
            self.data["start"] = repoint_to
        self.nodes.pop(self.node_ids().index(node_id))

    def add_scenario(self, scenario: dict[str, Any]) -> None:
        if not isinstance(self.data.get("scenarios"), list):
            self.data["scenarios"] = CommentedSeq()
        self.data["scenarios"].append(CommentedMap(scenario))


def set_if_changed(target: CommentedMap | CommentedSeq, key: Any, value: Any) -> None:
    """Write `value` only when it differs, so untouched values keep their quoting and style."""
    if isinstance(target, CommentedMap) and value is None:
        if key in target:
            del target[key]
        return
    current = target.get(key) if isinstance(target, CommentedMap) else target[key]
    if current != value:
        target[key] = value


@functools.lru_cache(maxsize=8)  # a form is read, then written, on the same text
def node_spans(text: str) -> dict[str, tuple[int, int]]:
    """node id -> (start, end) of its entry in `nodes:`, whole lines, comments after it included.

    libyaml finds the entries (fast); one entry alone round-trips byte-identical through
    ruamel.yaml, so a node can be edited without parsing the whole file the slow way."""
    try:
        root = yaml.compose(text, Loader=yaml.CSafeLoader)
    except yaml.YAMLError as exc:
        raise DocError(f"not readable as YAML: {exc}") from exc
    seq = next((v for k, v in getattr(root, "value", []) if getattr(k, "value", None) == "nodes"), None)
    if not isinstance(seq, yaml.SequenceNode):
        raise DocError("a flow file is a mapping with a list of 'nodes'")
    spans: dict[str, tuple[int, int]] = {}
    items = seq.value
    for i, item in enumerate(items):
        start = text.rfind("\n", 0, item.start_mark.index) + 1
        end_at = items[i + 1].start_mark.index if i + 1 < len(items) else item.end_mark.index
        end = text.rfind("\n", 0, end_at) + 1 if end_at < len(text) else len(text)
        ids = [v.value for k, v in getattr(item, "value", []) if getattr(k, "value", None) == "id"]
        if ids and isinstance(ids[0], str):
            spans.setdefault(ids[0], (start, end))
    return spans


def _entry(text: str, node_id: str) -> tuple[CommentedSeq, int, int]:
    spans = node_spans(text)  # cached: never change the dict it returns
    if node_id not in spans:
        raise KeyError(node_id)
    start, end = spans[node_id]
    entry = _yaml().load(text[start:end])
    if not isinstance(entry, CommentedSeq) or not entry or not isinstance(entry[0], CommentedMap):
        raise DocError(f"node {node_id} is not a mapping")
    return entry, start, end


def load_node(text: str, node_id: str) -> CommentedMap:
    """One node as a round-trip mapping (KeyError if the flow has no such node)."""
    return _entry(text, node_id)[0][0]  # type: ignore[no-any-return]


def edit_node(text: str, node_id: str, change: Callable[[CommentedMap], T]) -> tuple[str, T]:
    """Apply `change` to one node (a round-trip mapping) and splice it back into `text`."""
    entry, start, end = _entry(text, node_id)
    result = change(entry[0])
    out = io.StringIO()
    _yaml().dump(entry, out)
    return text[:start] + out.getvalue() + text[end:], result
