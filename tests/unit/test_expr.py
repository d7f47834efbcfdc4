"""The expression sandbox: what it allows, what it refuses, and how it types and runs."""

from __future__ import annotations

import datetime as dt

import pytest

from kiosk.flows import expr
from kiosk.flows.model import VarType

ENV = expr.TypeEnv(
    variables={"income": VarType.NUMBER, "size": VarType.NUMBER, "ok": VarType.BOOL,
               "kind": VarType.TEXT, "when": VarType.DATE},
    rules={"threshold": VarType.NUMBER},
    domains={"kind": frozenset({"wages", "injury"})},
)
TODAY = dt.date(2026, 11, 22)


def run(source: str, **variables: object) -> object:
    return expr.evaluate(expr.parse(source), variables, {"threshold": 1575}, TODAY)


@pytest.mark.parametrize(
    "source",
    [
        "().__class__",
        "income.__class__",
        "rules.__dict__",
        "__import__('os')",
        "open('/etc/passwd')",
        "eval('1')",
        "(lambda: 1)()",
        "[x for x in [1]]",
        "{'a': 1}",
        "f'{income}'",
        "income[0]",
        "income := 3",
        "rules",
        "print(1)",
        "min(x=1)",
        "... == 1",
        "b'x' == 1",
    ],
)
def test_sandbox_refuses_anything_outside_the_whitelist(source: str) -> None:
    with pytest.raises(expr.ExprError):
        expr.parse(source)


def test_sandbox_refuses_huge_exponents_and_runaway_numbers() -> None:
    with pytest.raises(expr.EvalError, match="exponent"):
        run("2 ** 100000")
    with pytest.raises(expr.EvalError):
        run("10 ** 10 ** 10")
    with pytest.raises(expr.EvalError, match="out of range"):
        run("999999999 * 999999999 * 999999999")


def test_sandbox_refuses_oversized_expressions() -> None:
    with pytest.raises(expr.ExprError, match="longer"):
        expr.parse("1 + " * 200 + "1")
    with pytest.raises(expr.ExprError, match="complex"):
        expr.parse("+".join(["a"] * 70))


def test_evaluates_arithmetic_comparisons_and_rules() -> None:
    assert run("income / size <= rules.threshold", income=6000, size=4) is True
    assert run("income / size <= rules.threshold", income=7000, size=4) is False
    assert run("1 < income < 10", income=5) is True
    assert run("1 < income < 10", income=10) is False
    assert run('kind in ["wages", "injury"]', kind="injury") is True
    assert run('kind not in ["wages"]', kind="wages") is False
    assert run("not ok or income > 3", ok=True, income=1) is False
    assert run("income * 2 if ok else 0", ok=True, income=4) == 8
    assert run("max(income, 3, 10) - min(income, 2)", income=5) == 8
    assert run("true and True") is True


def test_date_functions_count_whole_units() -> None:
    assert run("days_since(when)", when=dt.date(2026, 11, 12)) == 10
    assert run("months_since(when)", when=dt.date(2026, 5, 23)) == 5
    assert run("months_since(when)", when=dt.date(2026, 5, 22)) == 6
    assert run("years_since(when)", when=dt.date(2025, 11, 23)) == 0
    assert run("years_since(when)", when=dt.date(2025, 11, 22)) == 1


def test_runtime_failures_are_eval_errors_not_crashes() -> None:
    with pytest.raises(expr.EvalError, match="no value"):
        run("income > 1")
    with pytest.raises(expr.EvalError, match="division by zero"):
        run("income / size", income=1, size=0)
    with pytest.raises(expr.EvalError, match="yes/no"):
        run("income and ok", income=1, ok=True)
    with pytest.raises(expr.EvalError, match="not configured"):
        expr.evaluate(expr.parse("rules.other > 1"), {}, {}, TODAY)


def test_type_check_reports_unknown_and_mistyped_names() -> None:
    def check(source: str) -> VarType:
        return expr.check(expr.parse(source), ENV)

    assert check("income / size <= rules.threshold") is VarType.BOOL
    assert check("days_since(when)") is VarType.NUMBER
    with pytest.raises(expr.ExprError, match="unknown variable 'salary'"):
        check("salary > 1")
    with pytest.raises(expr.ExprError, match=r"unknown rule .rules\.limit."):
        check("income > rules.limit")
    with pytest.raises(expr.ExprError, match="needs number"):
        check("income > kind")
    with pytest.raises(expr.ExprError, match="needs bool"):
        check("ok and income")
    with pytest.raises(expr.ExprError, match="not a choice"):
        check('kind == "wage"')
    with pytest.raises(expr.ExprError, match="not a choice"):
        check('kind in ["wages", "injuries"]')
    with pytest.raises(expr.ExprError, match="ordered"):
        check('kind < "wages"')
    with pytest.raises(expr.ExprError, match="argument"):
        check("days_since(when, when)")
    with pytest.raises(expr.ExprError, match="needs date"):
        check("days_since(income)")


def test_parse_records_what_an_expression_reads() -> None:
    parsed = expr.parse("income / size <= rules.threshold and days_since(when) > 3")
    assert parsed.variables == {"income", "size", "when"}
    assert parsed.rules == {"threshold"}
