"""Issue 12, family flows: the corrected advice is what a resident actually reaches.

Each case answers the questions as a resident would, then checks the outcome it lands on:
the article it must rest on, and wording it must no longer contain. Every case fails on
the content before the fix (a new question, a new outcome, or a wrong basis).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from kiosk.content.bundle import Bundle, load_bundle
from kiosk.flows.check_texts import iter_texts
from kiosk.flows.model import Flow, OutcomeNode, Scenario
from kiosk.flows.scenarios import run_scenario
from tests.conftest import CONTENT, LOCALITY

FAMILY = ("divorce", "inheritance", "support-payments", "domestic-violence")
REVIEWED = dt.date(2026, 12, 6)

#: (flow, answers, outcome reached, citations it must carry "law 第X条", zh words it must not say)
CASES: list[tuple[str, dict[str, Any], str, list[str], list[str]]] = [
    # E2: enforcing a court order has a 2-year limit; the claim itself has none.
    ("support-payments", {"q_who": "child", "q_has_order": True, "q_order_late": False},
     "o_enforce", ["民事诉讼法 第二百五十条"], ["不受3年"]),
    ("support-payments", {"q_who": "parent", "q_has_order": True, "q_order_late": True},
     "o_enforce_late", ["民事诉讼法 第二百五十条", "民事诉讼法解释 第四百八十一条"], ["不受3年"]),
    ("support-payments", {"q_who": "child", "q_has_order": False},
     "o_child", ["民法典 第一百九十六条", "婚姻家庭编解释一 第四十九条"], []),
    # Gap 8: an elderly parent in need can ask for payment before judgment.
    ("support-payments", {"q_who": "parent", "q_has_order": False, "q_urgent": True},
     "o_parent_urgent", ["老年人权益保障法 第七十五条", "民法典 第一百九十六条"], []),
    # E5: debts the relative owes personally are not escaped by refusing the inheritance.
    ("inheritance", {"q_goal": "debts", "q_owes_too": True},
     "o_debts_own", ["民法典 第一千零六十四条", "民法典 第一千一百六十一条"], ["可以不理"]),
    ("inheritance", {"q_goal": "debts", "q_owes_too": False},
     "o_debts", ["民法典 第一千一百六十一条"], ["可以不理", "以遗产为限"]),
    # Gap 7: widowed in-laws who cared; contracted land.
    ("inheritance", {"q_goal": "inlaw", "q_main_carer": True},
     "o_inlaw_heir", ["民法典 第一千一百二十九条"], []),
    ("inheritance", {"q_goal": "land"}, "o_land", ["农村土地承包法 第三十二条"], []),
    # E6: damages only for the faults of Art. 1091; living apart is not a fault.
    ("divorce", {"q_topic": "how", "q_both_agree": False, "q_reason": "apart", "q_protected_period": False},
     "o_court_apart", ["民法典 第一千零七十九条"], ["可以要求赔偿"]),
    ("divorce", {"q_topic": "how", "q_both_agree": False, "q_reason": "vice", "q_protected_period": False},
     "o_court_vice", ["民法典 第一千零七十九条"], ["可以要求赔偿"]),
    ("divorce", {"q_topic": "how", "q_both_agree": False, "q_reason": "abuse", "q_protected_period": False},
     "o_court_fault", ["民法典 第一千零九十一条", "婚姻家庭编解释一 第八十八条"], []),
    # E10: registration is done by the civil affairs department.
    ("divorce", {"q_topic": "how", "q_both_agree": True, "q_settled": True},
     "o_registry", ["婚姻登记条例 第二条", "民法典 第一千零七十七条"], []),
    # Gap 3: disappeared spouse, bride price, contracted land.
    ("divorce", {"q_topic": "how", "q_both_agree": False, "q_reason": "missing"},
     "o_missing", ["民事诉讼法 第二十三条第二项", "民法典 第一千零七十九条"], []),
    ("divorce", {"q_topic": "gifts", "q_registered": True, "q_lived_together": True},
     "o_bride_lived", ["彩礼规定 第五条"], []),
    ("divorce", {"q_topic": "land"}, "o_land", ["民法典 第一千零八十七条第二款", "农村土地承包法 第三十一条"], []),
    # Review of domestic-violence: the court that hears it, and what breaking an order brings.
    ("domestic-violence", {"q_danger": False, "q_victim": "me", "q_goal": "protect"},
     "o_protection_order", ["反家庭暴力法 第二十五条", "反家庭暴力法 第三十四条"], []),
    ("domestic-violence", {"q_danger": False, "q_victim": "other"},
     "o_on_behalf", ["人身安全保护令规定 第二条"], []),
]


@pytest.fixture(scope="module")
def bundle() -> Bundle:
    loaded, problems = load_bundle(CONTENT, LOCALITY)
    assert loaded is not None and not problems, problems
    return loaded


def outcome(flow: Flow, node_id: str) -> OutcomeNode:
    node = next(n for n in flow.nodes if n.id == node_id)
    assert isinstance(node, OutcomeNode)
    return node


def citations(node: OutcomeNode) -> set[str]:
    bases = [*node.basis, *(d.basis for d in node.deadlines)]
    return {f"{b.law['zh-CN']} {b.article['zh-CN']}" for b in bases}


def zh_texts(node: OutcomeNode) -> str:
    """Every zh-CN text of the outcome a resident sees (basis gists included)."""
    return "\n".join(str(at.value.get("zh-CN", "")) for at in iter_texts(node) if not at.phrases)


@pytest.mark.parametrize(("flow_id", "answers", "expect", "cited", "banned"), CASES,
                         ids=[f"{c[0]}:{c[2]}" for c in CASES])
def test_a_resident_reaches_the_corrected_outcome(
    bundle: Bundle, flow_id: str, answers: dict[str, Any], expect: str, cited: list[str], banned: list[str]
) -> None:
    result = run_scenario(bundle, flow_id, Scenario(name=expect, answers=answers, expect=expect))
    assert result.ok, result.message
    node = outcome(bundle.flows[flow_id], expect)
    assert set(cited) <= citations(node), sorted(set(cited) - citations(node))
    said = zh_texts(node)
    assert [word for word in banned if word in said] == []


def test_enforcement_is_never_told_it_has_no_time_limit(bundle: Bundle) -> None:
    """民法典 第一百九十六条 covers the claim, not enforcing a judgment (民事诉讼法 第二百五十条)."""
    flow = bundle.flows["support-payments"]
    for node_id in ("o_enforce", "o_enforce_late"):
        assert "民法典 第一百九十六条" not in citations(outcome(flow, node_id)), node_id


def test_only_the_faults_of_article_1091_promise_damages(bundle: Bundle) -> None:
    flow = bundle.flows["divorce"]
    promising = {n.id for n in flow.nodes if isinstance(n, OutcomeNode) and "可以要求赔偿" in zh_texts(n)}
    assert promising == {"o_court_fault"}


def test_every_registration_step_points_at_the_marriage_registry(bundle: Bundle) -> None:
    """E10: an outcome that sends residents to register a divorce lists the civil affairs registry."""
    checked = 0
    for flow_id in FAMILY:
        for node in bundle.flows[flow_id].nodes:
            if isinstance(node, OutcomeNode) and "婚姻登记处" in zh_texts(node):
                checked += 1
                services = [w.service for w in node.where]
                assert "marriage-registry" in services, (flow_id, node.id)
                assert "admin-reconsideration" not in services, (flow_id, node.id)
    assert checked >= 4


def test_the_family_flows_were_reviewed(bundle: Bundle) -> None:
    for flow_id in FAMILY:
        assert bundle.flows[flow_id].reviewed == REVIEWED, flow_id
