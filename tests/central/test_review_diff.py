"""The reviewer's diff on real shipped flows with real modifications: what changed is said
in residents' terms (texts, choices, routes, outcomes), never as YAML lines."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import yaml

from central.testing.servers import REPO

MEDIATION = (REPO / "content" / "flows" / "mediation.yaml").read_text(encoding="utf-8")


@pytest.fixture(scope="module", autouse=True)
def _django() -> Iterator[None]:
    import django
    from django.utils import translation

    django.setup()
    with translation.override("en"):
        yield


def _edited(change: Callable[[dict[str, Any]], None]) -> str:
    data = yaml.safe_load(MEDIATION)
    change(data)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def _node(data: dict[str, Any], node_id: str) -> dict[str, Any]:
    found: dict[str, Any] = next(n for n in data["nodes"] if n["id"] == node_id)
    return found


def _changes(after: str) -> Any:
    from central.review.diff import flow_diff

    return flow_diff(MEDIATION, after, "en")


def test_unchanged_flow_has_an_empty_diff() -> None:
    assert _changes(MEDIATION).empty
    assert _changes(_edited(lambda d: None)).empty, "reformatting the YAML is no change for a resident"


def test_text_change_is_highlighted_by_character_in_chinese_and_by_word_in_english() -> None:
    def change(d: dict[str, Any]) -> None:
        _node(d, "q_stage")["text"] = {"zh-CN": "这件纠纷以前调解过吗？", "en": "Has this dispute ever been mediated?"}

    diff = _changes(_edited(change))
    (node,) = diff.nodes
    assert node.node_id == "q_stage" and node.status == "changed" and not node.lines
    zh, en = node.texts
    assert zh.locale == "zh-CN" and [(s.op, s.text) for s in zh.before] == [
        ("same", "这件"), ("del", "事"), ("same", "调解过吗？")]
    assert [(s.op, s.text) for s in zh.after] == [("same", "这件"), ("ins", "纠纷以前"), ("same", "调解过吗？")]
    assert en.locale == "en" and ("del", " before") in [(s.op, s.text) for s in en.before]
    assert ("ins", "ever ") in [(s.op, s.text) for s in en.after]


def test_new_choice_with_its_branch() -> None:
    def change(d: dict[str, Any]) -> None:
        q = _node(d, "q_matter")
        q["choices"].append({"value": "work", "icon": "wage", "label": {"zh-CN": "工作上的事", "en": "Work"},
                             "say": {"zh-CN": ["工作"], "en": ["work"]}})
        q["next"].insert(0, {"when": 'matter == "work"', "goto": "o_refused"})

    (node,) = _changes(_edited(change)).nodes
    assert node.node_id == "q_matter"
    assert "New choice: “工作上的事 / Work”" in node.lines
    assert ("New route: after choosing “Work”, go to “The other side will not mediate: other ways” (o_refused)"
            in node.lines), node.lines


def test_changed_route_says_where_it_went_and_goes() -> None:
    def change(d: dict[str, Any]) -> None:
        _node(d, "q_willing")["next"][0]["goto"] = "o_refused"

    (node,) = _changes(_edited(change)).nodes
    assert node.lines == ["after choosing “Yes”: used to go to “Ask for people's mediation; it is free” (o_apply), "
                          "now goes to “The other side will not mediate: other ways” (o_refused)"]


def test_changed_route_in_chinese() -> None:
    from django.utils import translation

    from central.review.diff import flow_diff

    def change(d: dict[str, Any]) -> None:
        _node(d, "q_stage")["next"][0]["goto"] = "q_matter"

    with translation.override("zh-hans"):
        (node,) = flow_diff(MEDIATION, _edited(change), "zh-CN").nodes
    assert node.lines == ["选“调解过，签了协议”以后：以前去 “对方按协议做了吗？” (q_kept)，现在去 “是哪种矛盾？” (q_matter)"]


def test_removed_node_and_the_route_to_it() -> None:
    def change(d: dict[str, Any]) -> None:
        d["nodes"] = [n for n in d["nodes"] if n["id"] != "o_police"]
        q = _node(d, "q_matter")
        q["next"] = [b for b in q["next"] if b.get("goto") != "o_police"]

    diff = _changes(_edited(change))
    by_id = {n.node_id: n for n in diff.nodes}
    assert set(by_id) == {"q_matter", "o_police"}
    assert by_id["o_police"].status == "removed"
    assert any(line.startswith("Legal basis: ") for line in by_id["o_police"].lines), "what is lost is shown"
    assert by_id["q_matter"].lines == [
        "Route removed: after choosing “Someone was hit or is in danger”, went to " + by_id["o_police"].label]


def test_changed_legal_basis_and_step() -> None:
    def change(d: dict[str, Any]) -> None:
        o = _node(d, "o_apply")
        o["basis"][1]["article"] = {"zh-CN": "第十八条", "en": "Article 18"}
        o["steps"].pop(3)

    (node,) = _changes(_edited(change)).nodes
    assert node.node_id == "o_apply"
    assert any(line.startswith("Legal basis 2 reworded: “People's Mediation Law Article 17:")
               and "“People's Mediation Law Article 18:" in line for line in node.lines), node.lines
    assert any(line.startswith("Step removed: “Within 30 days of signing") for line in node.lines), node.lines


def test_a_new_flow_shows_every_step_as_new() -> None:
    from central.review.diff import flow_diff

    diff = flow_diff(None, MEDIATION, "en")
    assert diff.lines == ["No approved version yet: everything below is new."]
    assert {n.status for n in diff.nodes} == {"added"} and len(diff.nodes) == len(yaml.safe_load(MEDIATION)["nodes"])
    q_willing = next(n for n in diff.nodes if n.node_id == "q_willing")
    assert "after choosing “Yes”, go to “Ask for people's mediation; it is free” (o_apply)" in q_willing.lines


def test_a_text_that_is_no_flow_falls_back_to_lines() -> None:
    from central.review.diff import flow_diff

    diff = flow_diff(MEDIATION, MEDIATION.replace("kind: outcome", "kind: ending", 1), "en")
    assert diff.problem and not diff.nodes
    assert "-    kind: outcome" in diff.raw and "+    kind: ending" in diff.raw
