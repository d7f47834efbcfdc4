"""The flow engine: walks one resident through one flow, one screen at a time.

State is only `answers` (by node id, kept even when the path leaves a node, so Back and
forth keeps what was said) and `path` (the screens shown, the current one last).
Variables are never stored: they are recomputed by replaying the path, so a changed
answer can never leave a stale value behind. A session holds the bundle it started on,
so a content update never changes an interview half-way; its state serialises to JSON
and is bound to that content version.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import msgspec

from kiosk.content.bundle import Bundle
from kiosk.flows import expr
from kiosk.flows.answers import InvalidAnswer, coerce_answer
from kiosk.flows.model import (
    ActionNode,
    AnyNode,
    ComputeNode,
    Flow,
    InfoNode,
    OutcomeNode,
    QuestionNode,
)
from kiosk.flows.render import Renderer
from kiosk.flows.views import ReviewItem, Screen

log = logging.getLogger(__name__)

__all__ = ["EngineFault", "FlowEngine", "FlowSession", "InvalidAnswer", "StaleSession"]


class EngineFault(Exception):
    """The content failed at run time (bad expression, no branch): show "ask staff"."""


class StaleSession(Exception):
    """A saved session belongs to content this kiosk no longer has."""


class CompiledFlow(msgspec.Struct):
    """A flow with every expression parsed once, at load time."""

    flow: Flow
    nodes: dict[str, AnyNode]
    branches: dict[str, list[tuple[expr.Expression | None, str]]]
    sets: dict[str, list[tuple[str, expr.Expression]]]

    @classmethod
    def build(cls, flow: Flow) -> CompiledFlow:
        branches: dict[str, list[tuple[expr.Expression | None, str]]] = {}
        sets: dict[str, list[tuple[str, expr.Expression]]] = {}
        for node in flow.nodes:
            branches[node.id] = [
                (expr.parse(b.when) if b.when is not None else None, b.goto) for b in node.next
            ]
            if isinstance(node, ComputeNode):
                sets[node.id] = [(var, expr.parse(src)) for var, src in node.set.items()]
        return cls(flow, flow.node_map(), branches, sets)


class SessionState(msgspec.Struct):
    flow_id: str
    content_version: str
    locale: str
    answers: dict[str, Any] = msgspec.field(default_factory=dict)
    path: list[str] = msgspec.field(default_factory=list)
    fault: str | None = None

    def to_json(self) -> dict[str, Any]:
        def enc(v: Any) -> Any:
            return {"date": v.isoformat()} if isinstance(v, dt.date) else v

        return {
            "flow": self.flow_id, "version": self.content_version, "locale": self.locale,
            "answers": {k: enc(v) for k, v in self.answers.items()},
            "path": list(self.path), "fault": self.fault,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SessionState:
        def dec(v: Any) -> Any:
            return dt.date.fromisoformat(v["date"]) if isinstance(v, dict) else v

        return cls(
            flow_id=str(data["flow"]), content_version=str(data["version"]),
            locale=str(data["locale"]),
            answers={str(k): dec(v) for k, v in data["answers"].items()},
            path=[str(p) for p in data["path"]], fault=data.get("fault"),
        )


def default_chain(locale: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys((locale, "zh-CN", "en")))


class FlowEngine:
    """Starts and restores sessions on one bundle; holds the compiled flows."""

    def __init__(
        self,
        bundle: Bundle,
        chain: Callable[[str], Sequence[str]] = default_chain,
        clock: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        self.bundle = bundle
        self.chain = chain
        self.clock = clock
        self.compiled = {fid: CompiledFlow.build(f) for fid, f in bundle.flows.items()}
        self.rules = bundle.rule_values()

    def start(self, flow_id: str, locale: str) -> FlowSession:
        if flow_id not in self.compiled:
            raise KeyError(f"no flow {flow_id!r}")
        state = SessionState(flow_id, self.bundle.version, locale)
        session = FlowSession(self, self.compiled[flow_id], state)
        session._enter_first()
        return session

    def restore(self, data: Mapping[str, Any]) -> FlowSession:
        """Resume a saved session; StaleSession if the content changed since it began."""
        state = SessionState.from_json(data)
        if state.content_version != self.bundle.version or state.flow_id not in self.compiled:
            raise StaleSession(f"session began on content {state.content_version}")
        return FlowSession(self, self.compiled[state.flow_id], state)


class FlowSession:
    """One resident in one flow."""

    def __init__(self, engine: FlowEngine, compiled: CompiledFlow, state: SessionState) -> None:
        self.engine = engine
        self.compiled = compiled
        self.state = state
        #: Why the last fault happened (content errors only; never answers), for validation.
        self.fault_reason: str | None = None

    # --- walking ------------------------------------------------------------------

    def _route(self, node_id: str, variables: dict[str, Any]) -> str:
        for condition, goto in self.compiled.branches[node_id]:
            if condition is None:
                return goto
            result = expr.evaluate(condition, variables, self.engine.rules, self.engine.clock())
            if result is True:
                return goto
        raise EngineFault(f"no branch applies after node {node_id}")

    def _settle(self, node_id: str, variables: dict[str, Any]) -> str:
        """Run compute nodes from `node_id` on; return the first node a resident sees."""
        for _ in range(len(self.compiled.nodes) + 1):
            node = self.compiled.nodes[node_id]
            if not isinstance(node, ComputeNode):
                return node_id
            for var, expression in self.compiled.sets[node_id]:
                variables[var] = expr.evaluate(
                    expression, variables, self.engine.rules, self.engine.clock()
                )
            node_id = self._route(node_id, variables)
        raise EngineFault("compute nodes loop")

    def _apply(self, node_id: str, variables: dict[str, Any]) -> str:
        """Take the stored answer of a shown node and move to the next shown node."""
        node = self.compiled.nodes[node_id]
        if isinstance(node, QuestionNode):
            variables[node.var] = self.state.answers[node_id]
        return self._settle(self._route(node_id, variables), variables)

    def variables(self) -> dict[str, Any]:
        """The variables as they stand at the current screen: what an application takes over
        from the interview (its kind declares which)."""
        return self._variables()

    def _variables(self) -> dict[str, Any]:
        """The variables as they stand at the current screen, replayed from the start."""
        variables: dict[str, Any] = {}
        self._settle(self.compiled.flow.start, variables)
        for node_id in self.state.path[:-1]:
            self._apply(node_id, variables)
        return variables

    def _guard(self, step: Callable[[], None]) -> Screen:
        try:
            step()
        except (EngineFault, expr.EvalError, KeyError) as exc:
            node = self.state.path[-1] if self.state.path else self.compiled.flow.start
            log.error("flow %s faulted after node %s: %s", self.compiled.flow.id, node, exc)
            self.state.fault = node
            self.fault_reason = str(exc)
        return self.screen()

    def _enter_first(self) -> Screen:
        def first() -> None:
            self.state.path = [self._settle(self.compiled.flow.start, {})]

        return self._guard(first)

    # --- what a resident does --------------------------------------------------------

    @property
    def current(self) -> AnyNode:
        return self.compiled.nodes[self.state.path[-1]]

    def answer(self, value: Any) -> Screen:
        """Answer the current question; InvalidAnswer (with a message) if it is not valid."""
        node = self.current
        if self.state.fault or not isinstance(node, QuestionNode):
            raise InvalidAnswer("answer.choice")
        self.state.answers[node.id] = coerce_answer(node, value, self.engine.clock())
        return self._forward()

    def advance(self) -> Screen:
        """Go on from an info or action screen (the action itself is the UI's job)."""
        node = self.current
        if self.state.fault or not isinstance(node, InfoNode | ActionNode) or not node.next:
            return self.screen()
        self.state.answers[node.id] = True
        return self._forward()

    def _forward(self) -> Screen:
        def step() -> None:
            variables = self._variables()
            self.state.path.append(self._apply(self.state.path[-1], variables))

        return self._guard(step)

    def back(self) -> Screen:
        """Undo one screen; every answer stays, to be offered again if the path returns."""
        if self.state.fault:
            self.state.fault = None
        elif len(self.state.path) > 1:
            self.state.path.pop()
        return self.screen()

    def change(self, node_id: str, value: Any) -> Screen:
        """Change an answer from the review: re-walk the path, drop answers left behind."""
        node = self.compiled.nodes.get(node_id)
        if not isinstance(node, QuestionNode) or node_id not in self.state.path:
            raise KeyError(f"{node_id} is not a question on this path")
        self.state.answers[node_id] = coerce_answer(node, value, self.engine.clock())
        self.state.fault = None

        def rewalk() -> None:
            variables: dict[str, Any] = {}
            path = [self._settle(self.compiled.flow.start, variables)]
            while path[-1] in self.state.answers and not isinstance(
                self.compiled.nodes[path[-1]], OutcomeNode
            ):
                path.append(self._apply(path[-1], variables))
            self.state.path = path
            self.state.answers = {k: v for k, v in self.state.answers.items() if k in path}

        return self._guard(rewalk)

    def set_locale(self, locale: str) -> Screen:
        self.state.locale = locale
        return self.screen()

    # --- what a resident sees ----------------------------------------------------------

    def renderer(self) -> Renderer:
        variables: dict[str, Any] = {}
        if not self.state.fault:
            try:
                variables = self._variables()
            except (EngineFault, expr.EvalError):
                variables = {}
        return Renderer(
            self.engine.bundle, self.compiled.flow, self.engine.chain(self.state.locale),
            self.state.locale, variables, self.engine.rules, self.engine.clock(),
        )

    def screen(self) -> Screen:
        r = self.renderer()
        can_back = len(self.state.path) > 1 or self.state.fault is not None
        if self.state.fault:
            return r.fault(self.state.fault, self._step_of(len(self.state.path) - 1), can_back)
        node = self.current
        step = self._step_of(len(self.state.path) - 1)
        return r.screen(node, step, can_back, self.state.answers.get(node.id))

    def _step_of(self, index: int) -> str:
        """The named step of the screen at `index`: its own, or the last one before it."""
        for node_id in reversed(self.state.path[: index + 1]):
            step = self.compiled.nodes[node_id].step
            if step:
                return step
        return self.compiled.flow.steps[0].id

    def review(self) -> list[ReviewItem]:
        """The questions answered on the way here, in order, for the review screen."""
        r = self.renderer()
        return [
            r.review_item(node, self.state.answers[node.id])
            for node in (self.compiled.nodes[n] for n in self.state.path[:-1])
            if isinstance(node, QuestionNode) and node.id in self.state.answers
        ]

    @property
    def finished(self) -> bool:
        return not self.state.fault and isinstance(self.current, OutcomeNode)

    def to_json(self) -> dict[str, Any]:
        return self.state.to_json()
