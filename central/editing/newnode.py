"""A new node's first draft: valid fields with placeholder texts the editor replaces, and a
declared variable for a new question, so the form opens at once; the validator says what
is still missing (nothing leads to it, no way on)."""

from __future__ import annotations

from typing import Any

from ruamel.yaml.comments import CommentedMap

from central.editing.doc import FlowDoc

KINDS = ("yesno", "choice", "info", "outcome")


def _t(zh: str, en: str) -> CommentedMap:
    return CommentedMap([("zh-CN", zh), ("en", en)])


def new_node(doc: FlowDoc, node_id: str, kind: str, after: str | None) -> None:
    node: dict[str, Any] = {"id": node_id}
    if kind in ("yesno", "choice"):
        var = node_id.removeprefix("q_")
        node.update(kind="question", input=kind, var=var, text=_t("（新问题）", "(new question)"))
        if kind == "choice":
            node["choices"] = [CommentedMap(value="a", label=_t("选项一", "Option one")),
                               CommentedMap(value="b", label=_t("选项二", "Option two"))]
        variables = doc.data.get("variables")
        if not isinstance(variables, CommentedMap):
            doc.data["variables"] = variables = CommentedMap()
        if var not in variables:
            spec = CommentedMap(type="bool" if kind == "yesno" else "text")
            spec.fa.set_flow_style()
            variables[var] = spec
    elif kind == "info":
        node.update(kind="info", text=_t("（新说明）", "(new information)"))
    else:
        node.update(kind="outcome", title=_t("（新结果）", "(new outcome)"),
                    summary=_t("（一句话说明）", "(one sentence)"),
                    steps=[_t("（第一步）", "(first step)")],
                    basis=[CommentedMap(law=_t("（法律）", "(law)"), article=_t("第一条", "Article 1"))])
    doc.add_node(node, after)
