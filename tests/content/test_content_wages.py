"""The labour flows never send a resident whose job and employer are outside the county to
the county's own counters (issue 12, E1), and always ask before they send anyone there.

Every path through wage-arrears and dismissal is walked with the real engine (yes and no,
every choice, dates inside and past the limits, small and large sums)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from kiosk.content.bundle import Bundle, load_bundle
from kiosk.flows.engine import FlowEngine
from kiosk.flows.model import OutcomeNode
from tests.conftest import CONTENT, LOCALITY

TODAY = dt.date(2026, 12, 6)
FLOWS = ("wage-arrears", "dismissal")
#: Services that only deal with a job done, or an employer based, in the county.
COUNTY_ONLY = {"labour-arbitration", "legal-aid", "work-injury", "court"}


@pytest.fixture(scope="module")
def bundle() -> Bundle:
    loaded, problems = load_bundle(CONTENT, LOCALITY)
    assert loaded is not None and not problems, problems
    return loaded


def options(input_kind: str, choices: tuple[Any, ...]) -> list[Any]:
    if input_kind == "yesno":
        return [True, False]
    if input_kind == "choice":
        return [c.value for c in choices]
    if input_kind == "date":
        return [TODAY - dt.timedelta(days=d) for d in (10, 400, 800)]
    return [500, 500_000]


def paths(engine: FlowEngine, flow_id: str, prefix: list[Any]) -> Iterator[tuple[dict[str, Any], str]]:
    """Every (answers by question, outcome id) reachable from `prefix`, replayed from the start."""
    session = engine.start(flow_id, "zh-CN")
    answers: dict[str, Any] = {}
    given = iter(prefix)
    for _ in range(100):
        screen = session.screen()
        if screen.kind == "outcome":
            yield answers, screen.node_id
            return
        assert screen.kind != "fault", (flow_id, screen.node_id, session.fault_reason)
        if screen.kind != "question":
            session.advance()
            continue
        value = next(given, None)
        if value is None:
            for option in options(screen.input or "", screen.choices):
                yield from paths(engine, flow_id, [*prefix, option])
            return
        answers[screen.node_id] = value
        session.answer(value)
    raise AssertionError(f"{flow_id}: no outcome after {prefix}")


@pytest.mark.parametrize("flow_id", FLOWS)
def test_out_of_county_work_goes_elsewhere_and_county_counters_only_after_asking(
    bundle: Bundle, flow_id: str,
) -> None:
    engine = FlowEngine(bundle, clock=lambda: TODAY)
    flow = bundle.flows[flow_id]
    outcomes = {n.id: n for n in flow.nodes if isinstance(n, OutcomeNode)}
    walked = list(paths(engine, flow_id, []))
    assert len(walked) > 10
    elsewhere_seen = False
    for answers, reached in walked:
        outcome = outcomes[reached]
        services = {w.service for w in outcome.where}
        if answers.get("q_work_in_county") is False:
            elsewhere_seen = True
            assert reached.endswith("_elsewhere"), (answers, reached)
            assert services == {"consultation"}, (reached, services)
            assert all(w.note for w in outcome.where), reached
        elif services & COUNTY_ONLY:
            assert answers.get("q_work_in_county") is True, (answers, reached)
    assert elsewhere_seen


def test_the_extra_compensation_and_the_police_only_after_an_ignored_order(bundle: Bundle) -> None:
    """劳动合同法 第八十五条, 刑法 第二百七十六条之一: both need an order to pay first."""
    engine = FlowEngine(bundle, clock=lambda: TODAY)
    flow = bundle.flows["wage-arrears"]
    outcomes = {n.id: n for n in flow.nodes if isinstance(n, OutcomeNode)}
    for answers, reached in paths(engine, "wage-arrears", []):
        if "police" in outcomes[reached].hotlines and reached != "o_construction":
            assert answers.get("q_ordered") is True, (answers, reached)
    construction = outcomes["o_construction"]
    police_steps = [s["zh-CN"] for s in construction.steps if "报警" in s["zh-CN"]]
    assert police_steps and all("责令" in s for s in police_steps)
