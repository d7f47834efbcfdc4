"""Running a flow's scenario tests: scripted answers must reach the expected outcome.

A scenario drives the real engine exactly as the touchscreen does, so a passing
scenario means a resident answering the same way sees the same outcome.
"""

from __future__ import annotations

import datetime as dt

import msgspec

from kiosk.content.bundle import Bundle
from kiosk.flows.answers import InvalidAnswer
from kiosk.flows.engine import FlowEngine, FlowSession
from kiosk.flows.model import Scenario

MAX_SCREENS = 500


class ScenarioResult(msgspec.Struct, frozen=True):
    flow_id: str
    name: str
    ok: bool
    reached: str | None
    message: str
    session: FlowSession | None = None


def run_scenario(bundle: Bundle, flow_id: str, scenario: Scenario) -> ScenarioResult:
    today = scenario.today or dt.date.today()
    engine = FlowEngine(bundle, clock=lambda: today)
    session = engine.start(flow_id, bundle.pack.locales[0])
    used: set[str] = set()

    def fail(reached: str | None, message: str) -> ScenarioResult:
        return ScenarioResult(flow_id, scenario.name, False, reached, message, session)

    for _ in range(MAX_SCREENS):
        screen = session.screen()
        if screen.kind == "fault":
            return fail(screen.node_id, f"the flow faulted after {screen.node_id}: "
                                        f"{session.fault_reason}")
        if screen.kind == "outcome":
            unused = sorted(set(scenario.answers) - used)
            if screen.node_id != scenario.expect:
                return fail(screen.node_id,
                            f"reached {screen.node_id}, expected {scenario.expect}")
            if unused:
                return fail(screen.node_id, f"answers never asked: {', '.join(unused)}")
            return ScenarioResult(flow_id, scenario.name, True, screen.node_id, "ok", session)
        if screen.kind == "question":
            if screen.node_id not in scenario.answers:
                return fail(screen.node_id, f"gives no answer for question {screen.node_id}")
            used.add(screen.node_id)
            try:
                session.answer(scenario.answers[screen.node_id])
            except InvalidAnswer as exc:
                return fail(screen.node_id, f"answer to {screen.node_id} is not valid: "
                                            f"{exc.message(['en'])}")
        else:
            before = session.state.path[-1]
            session.advance()
            if session.state.path[-1] == before and not session.state.fault:
                return fail(before, f"cannot go on from {before}")
    return fail(None, "did not finish")
