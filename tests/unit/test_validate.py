"""Each class of content error, from a broken copy of the fixture flow, named with file,
node and a fix; plus the `kiosk validate` command's exit codes and JSON report."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk.__main__ import main
from kiosk.flows.validate import validate
from tests.conftest import FIXTURES, LOCALITY

GOOD = (FIXTURES / "flows" / "every-kind.yaml").read_text(encoding="utf-8")
LOCALES = ("zh-CN", "en")


def problems_for(make_content: Callable[..., Path], text: str) -> list[str]:
    root = make_content(("every-kind.yaml", text))
    report = validate(root, root, LOCALITY, LOCALES)
    return [str(p) for p in report.problems]


def broken(old: str, new: str) -> str:
    assert old in GOOD, old
    return GOOD.replace(old, new, 1)


def test_fixture_is_clean(make_content: Callable[..., Path]) -> None:
    assert problems_for(make_content, GOOD) == []


CASES = [
    # (what, old, new, expected fragment, node)
    ("bad yaml", "  - id: q_agreed\n", "  - id: q_agreed\n   kind: [\n", "YAML syntax error", None),
    ("unknown key", "    years_back: 5\n", "    years_bak: 5\n", "'nodes.5.years_bak' is not a known key",
     "q_when"),
    ("unknown goto", "      - goto: i_note\n", "      - goto: i_nope\n", "goto 'i_nope' is not a node", "q_agreed"),
    ("missing en", "summary: {zh-CN: 低, en: Low}", "summary: {zh-CN: 低}", "missing en text at 'nodes.8.summary'",
     "o_low"),
    ("undefined variable", "double: amount * 2", "double: amont * 2", "unknown variable 'amont'", "c_calc"),
    ("mistyped variable", "double: amount * 2", "double: amount > 2", "gives bool, but variable 'double' needs number",
     "c_calc"),
    ("unknown rule", "rules.legal_aid_income_threshold / 10", "rules.aid_limit / 10",
     "unknown rule 'rules.aid_limit'", "c_calc"),
    ("choice typo", "'kind == \"money\"'", "'kind == \"mony\"'", "'mony' is not a choice of 'kind'", "q_kind"),
    ("not set on every path", "      - {when: days_since(when) > 365, goto: a_staff}",
     "      - {when: days_since(when) > 365 and agreed, goto: a_staff}",
     "reads 'agreed', which is not set on every path", "q_when"),
    ("dead end", "    action: call_staff\n    text: {zh-CN: 请找工作人员, en: Please see staff}\n    next:\n      - goto: o_late\n",
     "    action: call_staff\n    text: {zh-CN: 请找工作人员, en: Please see staff}\n", "dead end", "a_staff"),
    ("no default branch", "      - goto: o_recent\n", "      - {when: days_since(when) <= 365, goto: o_recent}\n",
     "add a final branch without 'when'", "q_when"),
    ("cycle", "      - goto: q_amount\n", "      - {when: agreed, goto: q_agreed}\n      - goto: q_amount\n",
     "the flow loops", None),
    ("too long", "text: {zh-CN: 请注意, en: Please note}", "text: {zh-CN: " + "很" * 80 + ", en: Please note}",
     "too long for one screen: 80 units, at most 75", "i_note"),
    ("unknown placeholder", "summary: {zh-CN: 近, en: Recent}", "summary: {zh-CN: '近{rules.nope}', en: Recent}",
     "unknown rule {rules.nope}", "o_recent"),
    ("unknown service", "where: [{service: legal-aid}]", "where: [{service: astrology}]",
     "service 'astrology' is not in the service catalogue", "o_high"),
    ("unknown hotline", "hotlines: [legal]", "hotlines: [ghostbusters]", "hotline 'ghostbusters' is unknown", "o_high"),
    ("failing scenario", "answers: {q_kind: money, q_agreed: false, q_amount: 90}, expect: o_low",
     "answers: {q_kind: money, q_agreed: true, q_amount: 90}, expect: o_low",
     "scenario 'money low' failed: reached o_high, expected o_low", "o_high"),
    ("scenario misses an answer", "answers: {q_kind: money, q_agreed: false, q_amount: 90}",
     "answers: {q_kind: money, q_agreed: false}", "gives no answer for question q_amount", "q_amount"),
]


@pytest.mark.parametrize(("what", "old", "new", "fragment", "node"), CASES, ids=[c[0] for c in CASES])
def test_each_error_class_is_named_with_file_node_and_fix(
    make_content: Callable[..., Path], what: str, old: str, new: str, fragment: str, node: str | None
) -> None:
    found = problems_for(make_content, broken(old, new))
    matching = [p for p in found if fragment in p]
    assert matching, f"{what}: no problem mentions {fragment!r} in {found}"
    assert all(p.startswith("content/flows/every-kind.yaml") for p in matching)
    if node:
        assert any(f"[node {node}]" in p for p in matching), matching


def test_problems_name_the_line(make_content: Callable[..., Path]) -> None:
    found = problems_for(make_content, broken("    years_back: 5\n", "    years_back: 500\n"))
    line = GOOD.splitlines().index("    years_back: 5") + 1
    assert any(p.startswith(f"content/flows/every-kind.yaml:{line} ") for p in found), found


def test_validate_command_exit_codes_and_json(
    make_content: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    good = make_content(("every-kind.yaml", GOOD))
    assert main(["validate", str(good), "--locality", str(LOCALITY)]) == 0
    assert "ok: 1 flow(s)" in capsys.readouterr().out

    bad = broken("      - goto: i_note\n", "      - goto: i_nope\n")
    bad = bad.replace("summary: {zh-CN: 低, en: Low}", "summary: {zh-CN: 低}")
    root = make_content(("every-kind.yaml", bad))
    assert main(["validate", str(root), "--locality", str(LOCALITY), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is False
    assert report["flows"] == [{"id": "every-kind", "locales": ["en", "zh-CN"]}]
    assert {tuple(sorted(p)) for p in report["problems"]} == {("file", "message", "node")}
    messages = [p["message"] for p in report["problems"]]
    assert any("i_nope" in m for m in messages) and any("missing en" in m for m in messages)
    assert {p["node"] for p in report["problems"]} >= {"q_agreed", "o_low"}


def test_single_flow_file_is_validated_against_the_default_pack(capsys: pytest.CaptureFixture[str]) -> None:
    flow = FIXTURES / "flows" / "every-kind.yaml"
    assert main(["validate", str(flow), "--locality", str(LOCALITY)]) == 0
    assert "ok: 1 flow(s)" in capsys.readouterr().out
