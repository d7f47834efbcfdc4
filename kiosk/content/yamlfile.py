"""YAML loading that remembers where each value stands, so errors can name a line.

PyYAML's composer keeps a mark on every node; we keep the node tree beside the plain
data and walk it with an error's location to find the line an author must fix.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

#: libyaml's parser when installed (several times faster), else the pure-Python one; both
#: are safe loaders (no Python tags) and both keep marks.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class ContentFileError(Exception):
    """A content file could not be read or parsed; carries the file and line."""

    def __init__(self, file: str, line: int | None, message: str) -> None:
        self.file = file
        self.line = line
        self.message = message
        where = f"{file}:{line}" if line else file
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class YamlDoc:
    """A parsed YAML document with its node tree, for line look-ups."""

    file: str
    data: Any
    root: yaml.Node | None

    def line_of(self, loc: tuple[str | int, ...]) -> int | None:
        """1-based line of the value at `loc`, or of its deepest parent present in the file."""
        node = self.root
        if node is None:
            return None
        line: int = node.start_mark.line + 1
        for key in loc:
            child = _child(node, key)
            if child is None:
                continue  # a key the file lacks (e.g. a missing field): keep the parent's line
            node = child
            line = node.start_mark.line + 1
        return line


def _child(node: yaml.Node, key: str | int) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == str(key):
                found: yaml.Node = v
                return found
        return None
    if isinstance(node, yaml.SequenceNode) and isinstance(key, int):
        return node.value[key] if 0 <= key < len(node.value) else None
    return None


def load_yaml(path: Path, display: str | None = None) -> YamlDoc:
    """Parse one YAML file safely (no Python tags), keeping marks for error lines."""
    name = display or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ContentFileError(name, None, f"cannot read the file: {exc}") from exc
    return parse_yaml(text, name)


def parse_yaml(text: str, name: str) -> YamlDoc:
    loader = _Loader(text)
    try:
        # One parse gives both: the node tree (for lines) and the data built from it.
        root: yaml.Node | None = loader.get_single_node()
        data = loader.construct_document(root) if root is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or "invalid YAML"
        raise ContentFileError(
            name, line, f"YAML syntax error: {problem} (check indentation and quoting)"
        ) from exc
    except yaml.YAMLError as exc:
        raise ContentFileError(name, None, f"YAML error: {exc}") from exc
    finally:
        loader.dispose()
    return YamlDoc(file=name, data=data, root=root)
