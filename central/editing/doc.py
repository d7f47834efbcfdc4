"""A flow's YAML as a round-trip document: forms change values in place, and writing it
back keeps comments, key order, quoting and flow style, so files stay readable in git
and an unchanged flow writes back byte-identical (tests/central/test_editing_roundtrip.py).
"""

from __future__ import annotations

import io
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError


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
                return n
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
