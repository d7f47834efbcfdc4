"""The shipped content pack: all fifteen flows, clean, bilingual, cited, scenario-tested."""

from __future__ import annotations

import re

import pytest

from kiosk.content.bundle import Bundle, load_bundle
from kiosk.flows.check_texts import iter_texts
from kiosk.flows.model import OutcomeNode
from kiosk.flows.scenarios import run_scenario
from kiosk.flows.validate import validate
from tests.conftest import CONTENT, LOCALITY

REQUIRED = {
    "legal-aid", "wage-arrears", "work-injury", "dismissal", "mediation", "divorce",
    "support-payments", "inheritance", "traffic-accident", "land-contract",
    "domestic-violence", "notarization", "consumer", "private-lending", "admin-reconsideration",
}
ARTICLE = re.compile(r"^第[一二三四五六七八九十百千零]+条(之[一二三四五六七八九十]+)?(第[一二三四五六七八九十]+[款项])*$")


@pytest.fixture(scope="module")
def bundle() -> Bundle:
    loaded, problems = load_bundle(CONTENT, LOCALITY)
    assert loaded is not None and not problems, problems
    return loaded


def test_the_pack_validates_clean() -> None:
    report = validate(CONTENT, CONTENT, LOCALITY, ("zh-CN", "en"))
    assert [str(p) for p in report.problems] == []


def test_all_fifteen_flows_are_there_in_both_locales(bundle: Bundle) -> None:
    assert set(bundle.flows) == REQUIRED
    for flow in bundle.flows.values():
        assert set(flow.title) == {"zh-CN", "en"}, flow.id
        assert len(flow.keywords["zh-CN"]) >= 8 and len(flow.keywords["en"]) >= 5, flow.id


def test_every_scenario_reaches_its_outcome_and_covers_every_outcome(bundle: Bundle) -> None:
    for flow in bundle.flows.values():
        assert len(flow.scenarios) >= 2, flow.id
        reached = set()
        for scenario in flow.scenarios:
            result = run_scenario(bundle, flow.id, scenario)
            assert result.ok, (flow.id, scenario.name, result.message)
            reached.add(result.reached)
        outcomes = {n.id for n in flow.nodes if isinstance(n, OutcomeNode)}
        assert outcomes <= reached, (flow.id, "outcomes no scenario reaches", sorted(outcomes - reached))


def test_every_outcome_cites_law_and_article(bundle: Bundle) -> None:
    for flow in bundle.flows.values():
        for node in flow.nodes:
            if isinstance(node, OutcomeNode):
                assert node.basis, (flow.id, node.id)
                for basis in [*node.basis, *(d.basis for d in node.deadlines)]:
                    article = basis.article["zh-CN"]
                    assert ARTICLE.match(article), (flow.id, node.id, article)
                    assert basis.law["zh-CN"] and basis.law["en"], (flow.id, node.id)


def test_no_local_figure_is_written_into_a_flow(bundle: Bundle) -> None:
    """Thresholds, office phones and addresses belong to the locality, never the flow."""
    local = {str(r.value) for r in bundle.locality.rules.values() if r.type.value == "number"}
    local |= {o.phone for o in bundle.locality.offices}
    local |= {o.address["zh-CN"] for o in bundle.locality.offices}
    for flow in bundle.flows.values():
        for at in iter_texts(flow):
            for locale, value in at.value.items():
                texts = value if isinstance(value, list) else [value]
                for text in texts:
                    for figure in local:
                        assert figure not in text, (flow.id, at.loc, locale, figure)


def test_the_schema_file_matches_the_model() -> None:
    import json

    from kiosk.flows.schema import flow_schema

    shipped = json.loads((CONTENT / "schema" / "flow.schema.json").read_text(encoding="utf-8"))
    assert shipped == flow_schema(), "run: kiosk schema --out content/schema/flow.schema.json"


def test_applications_are_offered_where_the_county_body_can_take_them(bundle: Bundle) -> None:
    """An outcome that sends the resident elsewhere (another county, another body) offers no
    application to this county's bodies, only a call back; eligible legal aid offers one."""
    for flow in bundle.flows.values():
        for node in flow.nodes:
            if not isinstance(node, OutcomeNode):
                continue
            assert set(node.apply) <= set(bundle.applications), (flow.id, node.id)
            if node.id.endswith("_elsewhere") or node.id in ("o_other_body", "o_expropriation_above"):
                assert node.apply == ["callback"], (flow.id, node.id, node.apply)
            for kind in node.apply:
                service = bundle.applications[kind].service
                assert bundle.offices_for(service), (flow.id, node.id, kind)
    legal_aid = bundle.flows["legal-aid"]
    for outcome in ("o_apply", "o_apply_exempt", "o_apply_urgent"):
        assert "legal-aid" in legal_aid.node(outcome).apply  # type: ignore[union-attr]
    assert "legal-aid" not in legal_aid.node("o_over_threshold").apply  # type: ignore[union-attr]
