"""The flow map: the flow's nodes and branches as Graphviz `dot` source, laid out by
Debian's `dot` into SVG. Each flow node is one SVG `<g class="node">` (a check outside
the repo counts them), a link to its form; problems from the validator outline their
node in red with the messages as tooltip; unreachable nodes are dashed and grey, dead
ends (a non-outcome with no way on) have a thick orange border.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from central.editing.doc import FlowDoc
from central.editing.words import in_words

DOT_TIMEOUT_S = 20
#: kind -> dot attributes: a distinct shape and colour for each kind of node.
SHAPES: dict[str, dict[str, str]] = {
    "question": {"shape": "box", "style": "rounded,filled", "fillcolor": "#dbe9f7"},
    "info": {"shape": "note", "style": "filled", "fillcolor": "#eeeeee"},
    "action": {"shape": "hexagon", "style": "filled", "fillcolor": "#fff1c4"},
    "outcome": {"shape": "box", "style": "filled", "fillcolor": "#d6f0d8", "peripheries": "2"},
    "compute": {"shape": "diamond", "style": "filled", "fillcolor": "#f3e6f7"},
}
LABEL_CHARS = 22
#: Above this many nodes the map runs left to right: a big interview is a wide tree, and a
#: page scrolls down more comfortably than sideways.
SIDEWAYS_FROM = 60


class MapError(Exception):
    """Graphviz is missing or failed: the page says so instead of drawing nothing."""


def _q(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _attrs(attrs: Mapping[str, str]) -> str:
    return "[" + ", ".join(f"{k}={_q(v)}" for k, v in attrs.items()) + "]"


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1] + "…"


def _title(node: Mapping[str, Any], lang: str) -> str:
    for key in ("text", "title"):
        value = node.get(key)
        if isinstance(value, Mapping):
            return str(value.get(lang) or next(iter(value.values()), ""))
    if node.get("kind") == "compute":
        return ", ".join(f"{k} = {v}" for k, v in (node.get("set") or {}).items())
    return ""


def reachable(doc: FlowDoc) -> set[str]:
    nodes = {str(n.get("id")): n for n in doc.nodes if isinstance(n, Mapping)}
    seen: set[str] = set()
    todo = [str(doc.data.get("start"))]
    while todo:
        node_id = todo.pop()
        if node_id in seen or node_id not in nodes:
            continue
        seen.add(node_id)
        todo += [str(b.get("goto")) for b in nodes[node_id].get("next") or [] if isinstance(b, Mapping)]
    return seen


def choice_labels(doc: FlowDoc, lang: str) -> dict[str, dict[str, str]]:
    """variable -> choice value -> its button label, to say conditions in the buttons' words."""
    out: dict[str, dict[str, str]] = {}
    for n in doc.nodes:
        for c in n.get("choices") or []:
            label = c.get("label") or {}
            out.setdefault(str(n.get("var")), {})[str(c.get("value"))] = str(
                label.get(lang) or next(iter(label.values()), ""))
    return out


def dot_source(doc: FlowDoc, problems: Mapping[str | None, Sequence[str]], lang: str,
               link: Callable[[str], str]) -> str:
    """`problems`: node id -> validator messages; `link`: node id -> URL of its form."""
    live = reachable(doc)
    labels = choice_labels(doc, lang)
    ids = set(doc.node_ids())
    rankdir = "LR" if len(ids) > SIDEWAYS_FROM else "TB"
    lines = ["digraph flow {",
             f'  graph [rankdir={rankdir}, nodesep=0.35, ranksep=0.45, fontname="Noto Sans CJK SC"];',
             '  node [fontname="Noto Sans CJK SC", fontsize=11, margin="0.12,0.06"];',
             '  edge [fontname="Noto Sans CJK SC", fontsize=9, color="#555555"];']
    for n in doc.nodes:
        node_id, kind = str(n.get("id")), str(n.get("kind"))
        attrs = dict(SHAPES.get(kind, SHAPES["info"]))
        attrs["label"] = f"{node_id}\n{_short(_title(n, lang))}"
        attrs["URL"] = link(node_id)
        attrs["target"] = "_top"
        attrs["id"] = f"node-{node_id}"
        tooltip = [f"{node_id} ({kind})"]
        if node_id not in live:
            attrs["style"] += ",dashed"
            attrs["fillcolor"] = "#f4f4f4"
            attrs["fontcolor"] = "#777777"
        if kind != "outcome" and not n.get("next"):
            attrs["color"], attrs["penwidth"] = "#e07b00", "4"
        if problems.get(node_id):
            attrs["color"], attrs["penwidth"] = "#d00000", "3"
            tooltip += [f"⚠ {m}" for m in problems[node_id]]
        attrs["tooltip"] = "\n".join(tooltip)
        lines.append(f"  {_q(node_id)} {_attrs(attrs)};")
    for n in doc.nodes:
        for b in n.get("next") or []:
            goto = str(b.get("goto"))
            if goto not in ids:
                continue  # a branch to a missing node: the validator's problem on the node says so
            when = b.get("when")
            label = _short(in_words(str(when), lang, labels)) if when else ""
            lines.append(f"  {_q(str(n.get('id')))} -> {_q(goto)} "
                         f"{_attrs({'label': label, 'tooltip': str(when or '')})};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def render_svg(source: str) -> str:
    dot = shutil.which("dot")
    if dot is None:
        raise MapError("Graphviz is not installed (apt-get install graphviz)")
    try:
        done = subprocess.run([dot, "-Tsvg"], input=source.encode(), capture_output=True,
                              timeout=DOT_TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired as exc:
        raise MapError(f"laying out the map took over {DOT_TIMEOUT_S} s") from exc
    if done.returncode != 0:
        raise MapError(done.stderr.decode(errors="replace")[:300])
    return done.stdout.decode()
