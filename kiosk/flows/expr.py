"""A small sandboxed expression language for branch conditions and computed values.

Flows arrive over the network, so `eval` is out of the question. Expressions are parsed
with `ast` and only a whitelist of node kinds is accepted: literals, declared variables,
`rules.NAME`, arithmetic, comparisons, `and/or/not`, `x if c else y`, `in [literals]`
and a fixed table of functions. They are type-checked against the flow's declared
variables before any resident meets them, and evaluated by walking the tree, with
bounds on size, depth and exponent so that no expression can exhaust the kiosk.
"""

from __future__ import annotations

import ast
import datetime as dt
import math
from collections.abc import Callable, Mapping
from typing import Any

import msgspec

from kiosk.flows.model import VarType

Value = bool | int | float | str | dt.date

MAX_SOURCE = 400
MAX_NODES = 120
MAX_EXPONENT = 64
MAX_MAGNITUDE = 1e15
CONSTANTS = {"true": True, "false": False, "True": True, "False": False}


class ExprError(Exception):
    """An expression is not allowed or not well typed (found before it ever runs)."""


class EvalError(Exception):
    """An expression failed while running (missing value, division by zero, overflow)."""


def _months_between(start: dt.date, end: dt.date) -> int:
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - 1 if end.day < start.day else months


def _years_between(start: dt.date, end: dt.date) -> int:
    return _months_between(start, end) // 12


class Function(msgspec.Struct, frozen=True):
    params: tuple[VarType, ...]
    result: VarType
    impl: Callable[..., Value]
    needs_today: bool = False
    variadic: bool = False


FUNCTIONS: dict[str, Function] = {
    "days_since": Function((VarType.DATE,), VarType.NUMBER,
                           lambda today, d: (today - d).days, needs_today=True),
    "months_since": Function((VarType.DATE,), VarType.NUMBER,
                             lambda today, d: _months_between(d, today), needs_today=True),
    "years_since": Function((VarType.DATE,), VarType.NUMBER,
                            lambda today, d: _years_between(d, today), needs_today=True),
    "min": Function((VarType.NUMBER,), VarType.NUMBER, min, variadic=True),
    "max": Function((VarType.NUMBER,), VarType.NUMBER, max, variadic=True),
    "abs": Function((VarType.NUMBER,), VarType.NUMBER, abs),
    "round": Function((VarType.NUMBER,), VarType.NUMBER, lambda x: round(x)),
}

_ALLOWED = (
    ast.Expression, ast.BoolOp, ast.And, ast.Or, ast.UnaryOp, ast.Not, ast.USub, ast.UAdd,
    ast.BinOp, ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow, ast.Mod, ast.Compare, ast.Eq,
    ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.In, ast.NotIn, ast.Name, ast.Load,
    ast.Constant, ast.Attribute, ast.List, ast.Tuple, ast.Call, ast.IfExp,
)


class Expression(msgspec.Struct, frozen=True):
    """A parsed, whitelisted expression and the names it reads."""

    source: str
    tree: ast.Expression
    variables: frozenset[str]
    rules: frozenset[str]


def parse(source: str) -> Expression:
    """Parse and whitelist `source`; raise ExprError naming what is not allowed."""
    if len(source) > MAX_SOURCE:
        raise ExprError(f"expression is longer than {MAX_SOURCE} characters: split it")
    try:
        tree = ast.parse(source.strip(), mode="eval")
    except SyntaxError as exc:
        raise ExprError(f"cannot read expression {source!r}: {exc.msg}") from exc
    nodes = list(ast.walk(tree))
    if len(nodes) > MAX_NODES:
        raise ExprError(f"expression is too complex (over {MAX_NODES} parts): simplify it")
    variables: set[str] = set()
    rules: set[str] = set()
    for node in nodes:
        if not isinstance(node, _ALLOWED):
            raise ExprError(f"'{type(node).__name__}' is not allowed in an expression")
        if isinstance(node, ast.Attribute):
            if not (isinstance(node.value, ast.Name) and node.value.id == "rules"):
                raise ExprError("attribute access is only allowed as rules.NAME")
            if node.attr.startswith("_"):
                raise ExprError(f"rule names cannot start with '_': {node.attr!r}")
            rules.add(node.attr)
        elif isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
                name = node.func.id if isinstance(node.func, ast.Name) else "this"
                allowed = ", ".join(sorted(FUNCTIONS))
                raise ExprError(f"calling {name!r} is not allowed; functions: {allowed}")
            if node.keywords:
                raise ExprError("functions take positional arguments only")
        elif isinstance(node, ast.Constant) and not isinstance(node.value, bool | int | float | str):
            raise ExprError(f"constant {node.value!r} is not allowed")
        elif isinstance(node, ast.Name) and node.id.startswith("_"):
            raise ExprError(f"names cannot start with '_': {node.id!r}")
    for node in nodes:
        if isinstance(node, ast.Name) and node.id not in (*CONSTANTS, "rules", *FUNCTIONS):
            variables.add(node.id)
        if isinstance(node, ast.Name) and node.id == "rules" and not _is_rules_base(tree, node):
            raise ExprError("'rules' must be followed by .NAME")
    return Expression(source, tree, frozenset(variables), frozenset(rules))


def _is_rules_base(tree: ast.AST, name: ast.Name) -> bool:
    return any(isinstance(n, ast.Attribute) and n.value is name for n in ast.walk(tree))


# --- static types -----------------------------------------------------------------


class TypeEnv(msgspec.Struct, frozen=True):
    variables: Mapping[str, VarType]
    rules: Mapping[str, VarType]
    #: text variable -> its allowed values (a choice question's values), for typo checks.
    domains: Mapping[str, frozenset[str]]


def check(expr: Expression, env: TypeEnv) -> VarType:
    """The type `expr` yields; ExprError when it reads unknown names or mixes types."""
    return _type(expr.tree.body, env)


def _type(node: ast.expr, env: TypeEnv) -> VarType:
    match node:
        case ast.Constant(value=bool()):
            return VarType.BOOL
        case ast.Constant(value=int() | float()):
            return VarType.NUMBER
        case ast.Constant(value=str()):
            return VarType.TEXT
        case ast.Name(id=name) if name in CONSTANTS:
            return VarType.BOOL
        case ast.Name(id=name):
            if name not in env.variables:
                raise ExprError(f"unknown variable '{name}': declare it under 'variables'")
            return env.variables[name]
        case ast.Attribute(attr=name):
            if name not in env.rules:
                raise ExprError(f"unknown rule 'rules.{name}': add it to the locality's rules")
            return env.rules[name]
        case ast.BoolOp(values=values):
            for v in values:
                _expect(v, VarType.BOOL, env, "and/or")
            return VarType.BOOL
        case ast.UnaryOp(op=ast.Not(), operand=operand):
            _expect(operand, VarType.BOOL, env, "not")
            return VarType.BOOL
        case ast.UnaryOp(operand=operand):
            _expect(operand, VarType.NUMBER, env, "a sign")
            return VarType.NUMBER
        case ast.BinOp(left=left, right=right):
            _expect(left, VarType.NUMBER, env, "arithmetic")
            _expect(right, VarType.NUMBER, env, "arithmetic")
            return VarType.NUMBER
        case ast.IfExp(test=test, body=body, orelse=orelse):
            _expect(test, VarType.BOOL, env, "if")
            kind = _type(body, env)
            _expect(orelse, kind, env, "both sides of if/else")
            return kind
        case ast.Compare(left=left, ops=ops, comparators=comparators):
            _check_compare(left, ops, comparators, env)
            return VarType.BOOL
        case ast.Call(func=ast.Name(id=fname), args=args):
            fn = FUNCTIONS[fname]
            if not fn.variadic and len(args) != len(fn.params):
                raise ExprError(f"{fname}() takes {len(fn.params)} argument(s)")
            if fn.variadic and not args:
                raise ExprError(f"{fname}() needs at least one argument")
            for arg in args:
                _expect(arg, fn.params[0], env, f"{fname}()")
            return fn.result
        case ast.List() | ast.Tuple():
            raise ExprError("a list can only stand on the right of 'in'")
    raise ExprError(f"'{type(node).__name__}' is not allowed here")


def _expect(node: ast.expr, want: VarType, env: TypeEnv, where: str) -> None:
    got = _type(node, env)
    if got is not want:
        raise ExprError(f"{where} needs {want.value}, but {ast.unparse(node)!r} is {got.value}")


def _check_compare(
    left: ast.expr, ops: list[ast.cmpop], comparators: list[ast.expr], env: TypeEnv
) -> None:
    for op, right in zip(ops, comparators, strict=True):
        if isinstance(op, ast.In | ast.NotIn):
            if not isinstance(right, ast.List | ast.Tuple) or not right.elts:
                raise ExprError("'in' needs a non-empty list of values on its right: x in [\"a\"]")
            kind = _type(left, env)
            for item in right.elts:
                if not isinstance(item, ast.Constant):
                    raise ExprError("the list after 'in' may hold only plain values")
                _expect(item, kind, env, "'in'")
                _check_domain(left, item, env)
        else:
            kind = _type(left, env)
            _expect(right, kind, env, f"comparing with {ast.unparse(left)!r}")
            if not isinstance(op, ast.Eq | ast.NotEq) and kind not in (VarType.NUMBER, VarType.DATE):
                raise ExprError(f"only numbers and dates can be ordered, not {kind.value}")
            _check_domain(left, right, env)
            _check_domain(right, left, env)
        left = right


def _check_domain(name: ast.expr, value: ast.expr, env: TypeEnv) -> None:
    if isinstance(name, ast.Name) and isinstance(value, ast.Constant):
        domain = env.domains.get(name.id)
        if domain is not None and value.value not in domain:
            choices = ", ".join(sorted(domain))
            raise ExprError(f"{value.value!r} is not a choice of '{name.id}' (choices: {choices})")


# --- evaluation -------------------------------------------------------------------


def evaluate(
    expr: Expression, variables: Mapping[str, Any], rules: Mapping[str, Any], today: dt.date
) -> Value:
    """Run `expr`; EvalError for a missing value, a division by zero or a runaway number."""
    try:
        result: Value = _eval(expr.tree.body, variables, rules, today)
        return result
    except EvalError:
        raise
    except (ArithmeticError, TypeError, ValueError) as exc:
        raise EvalError(f"{expr.source!r} failed: {exc}") from exc


def _num(value: Any) -> int | float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise EvalError(f"expected a number, got {type(value).__name__}")
    if (isinstance(value, float) and not math.isfinite(value)) or abs(value) > MAX_MAGNITUDE:
        raise EvalError("number out of range")
    return value


def _arith(op: ast.operator, a: int | float, b: int | float) -> int | float:
    match op:
        case ast.Add():
            return _num(a + b)
        case ast.Sub():
            return _num(a - b)
        case ast.Mult():
            return _num(a * b)
        case ast.Div():
            if b == 0:
                raise EvalError("division by zero")
            return _num(a / b)
        case ast.Mod():
            if b == 0:
                raise EvalError("division by zero")
            return _num(a % b)
        case ast.Pow():
            if abs(b) > MAX_EXPONENT:
                raise EvalError(f"exponent {b} is larger than {MAX_EXPONENT}")
            return _num(a**b)
    raise EvalError(f"operator {type(op).__name__} is not allowed")


def _compare(op: ast.cmpop, a: Any, b: Any) -> bool:
    match op:
        case ast.Eq():
            return bool(a == b)
        case ast.NotEq():
            return bool(a != b)
        case ast.Lt():
            return bool(a < b)
        case ast.LtE():
            return bool(a <= b)
        case ast.Gt():
            return bool(a > b)
        case ast.GtE():
            return bool(a >= b)
        case ast.In():
            return bool(a in b)
        case ast.NotIn():
            return bool(a not in b)
    raise EvalError(f"comparison {type(op).__name__} is not allowed")


def _eval(
    node: ast.expr, variables: Mapping[str, Any], rules: Mapping[str, Any], today: dt.date
) -> Any:
    def ev(n: ast.expr) -> Any:
        return _eval(n, variables, rules, today)

    match node:
        case ast.Constant(value=value):
            return value
        case ast.Name(id=name) if name in CONSTANTS:
            return CONSTANTS[name]
        case ast.Name(id=name):
            if name not in variables:
                raise EvalError(f"variable '{name}' has no value on this path")
            return variables[name]
        case ast.Attribute(attr=name):
            if name not in rules:
                raise EvalError(f"rule '{name}' is not configured for this locality")
            return rules[name]
        case ast.BoolOp(op=ast.And(), values=values):
            return all(_truth(ev(v)) for v in values)
        case ast.BoolOp(op=ast.Or(), values=values):
            return any(_truth(ev(v)) for v in values)
        case ast.UnaryOp(op=ast.Not(), operand=operand):
            return not _truth(ev(operand))
        case ast.UnaryOp(op=ast.USub(), operand=operand):
            return -_num(ev(operand))
        case ast.UnaryOp(op=ast.UAdd(), operand=operand):
            return _num(ev(operand))
        case ast.BinOp(left=left, op=op, right=right):
            return _arith(op, _num(ev(left)), _num(ev(right)))
        case ast.IfExp(test=test, body=body, orelse=orelse):
            return ev(body) if _truth(ev(test)) else ev(orelse)
        case ast.Compare(left=left, ops=ops, comparators=comparators):
            current = ev(left)
            for cmp, right in zip(ops, comparators, strict=True):
                other = ev(right)
                if not _compare(cmp, current, other):
                    return False
                current = other
            return True
        case ast.List(elts=elts) | ast.Tuple(elts=elts):
            return [ev(e) for e in elts]
        case ast.Call(func=ast.Name(id=fname), args=args):
            fn = FUNCTIONS[fname]
            values = [ev(a) for a in args]
            return fn.impl(today, *values) if fn.needs_today else fn.impl(*values)
    raise EvalError(f"'{type(node).__name__}' is not allowed")


def _truth(value: Any) -> bool:
    if not isinstance(value, bool):
        raise EvalError(f"expected yes/no, got {type(value).__name__}")
    return value
