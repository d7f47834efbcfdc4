"""A branch condition in words ("amount more than 5000 and worked here: yes"), for the map.

Reads the kiosk's own parse of the expression (kiosk.flows.expr), so what is shown is
what the kiosk will evaluate; choice values are shown by their button labels.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping

from kiosk.flows import expr

WORDS: dict[str, dict[str, str]] = {
    "zh-CN": {"and": " 并且 ", "or": " 或者 ", "not": "不是：", "yes": "是", "no": "否",
              "Eq": "是", "NotEq": "不是", "Gt": "大于", "Lt": "小于", "GtE": "至少", "LtE": "至多",
              "In": "是其中之一", "NotIn": "不是其中之一", "days_since": "距今天数", "rules": "本地规定",
              "months_since": "距今月数", "years_since": "距今年数", "always": "其他情况"},
    "en": {"and": " and ", "or": " or ", "not": "not ", "yes": "yes", "no": "no",
           "Eq": "is", "NotEq": "is not", "Gt": "more than", "Lt": "less than", "GtE": "at least",
           "LtE": "at most", "In": "is one of", "NotIn": "is none of", "days_since": "days since",
           "rules": "local rule", "months_since": "months since", "years_since": "years since",
           "always": "otherwise"},
}


def in_words(source: str | None, lang: str, labels: Mapping[str, Mapping[str, str]] | None = None) -> str:
    """`labels`: variable -> choice value -> label. Unreadable conditions come back as written."""
    w = WORDS["en" if lang == "en" else "zh-CN"]
    if not source:
        return w["always"]
    try:
        tree = expr.parse(source).tree
    except expr.ExprError:
        return source
    labels = labels or {}

    def say(node: ast.AST, var: str | None = None) -> str:
        match node:
            case ast.Expression():
                return say(node.body)
            case ast.BoolOp():
                joiner = w["and"] if isinstance(node.op, ast.And) else w["or"]
                return joiner.join(say(v) for v in node.values)
            case ast.UnaryOp(op=ast.Not(), operand=ast.Name() as name):
                return f"{name.id}: {w['no']}"
            case ast.UnaryOp(op=ast.Not()):
                return w["not"] + say(node.operand)
            case ast.Name():
                bare = var is None and node.id not in ("True", "False")  # a yes/no variable alone
                return f"{node.id}: {w['yes']}" if bare else node.id
            case ast.Attribute():
                return f"{w['rules']} {node.attr}"
            case ast.Constant(value=bool()):
                return w["yes"] if node.value else w["no"]
            case ast.Constant(value=str()) if var is not None:
                value = str(node.value)
                return f"“{labels.get(var, {}).get(value, value)}”"
            case ast.Constant():
                return str(node.value)
            case ast.Compare():
                left = node.left
                subject = left.id if isinstance(left, ast.Name) else None
                parts = [say(left, "")]
                for op, right in zip(node.ops, node.comparators, strict=True):
                    parts += [w.get(type(op).__name__, "?"), say(right, subject)]
                return " ".join(parts)
            case ast.Call(func=ast.Name() as fn):
                args = ", ".join(say(a, "") for a in node.args)
                return f"{w.get(fn.id, fn.id)} {args}"
            case ast.List() | ast.Tuple():
                return "、".join(say(e, var) for e in node.elts)
        return ast.unparse(node)

    return say(tree)
