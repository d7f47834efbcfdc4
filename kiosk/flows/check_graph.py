"""Checks on a flow's graph and logic: targets, reachability, cycles, dead ends, steps,
and every expression typed against the variables definitely set on every path to it."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from graphlib import CycleError, TopologicalSorter

from kiosk.flows import expr
from kiosk.flows.model import (
    AnyNode,
    ComputeNode,
    Flow,
    InputKind,
    OutcomeNode,
    QuestionNode,
    VarType,
)
from kiosk.flows.texts import placeholders

INPUT_TYPES = {
    InputKind.YESNO: VarType.BOOL,
    InputKind.CHOICE: VarType.TEXT,
    InputKind.NUMBER: VarType.NUMBER,
    InputKind.DATE: VarType.DATE,
}

Issue = tuple[str | None, str]  # (node id, message)


def structure_problems(flow: Flow) -> Iterator[Issue]:
    """Ids, targets, defaults, dead ends, reachability, cycles and step order."""
    ids = [n.id for n in flow.nodes]
    for node_id in {i for i in ids if ids.count(i) > 1}:
        yield node_id, f"node id '{node_id}' is used twice: rename one"
    nodes = flow.node_map()
    if flow.start not in nodes:
        yield None, f"start node '{flow.start}' does not exist: set 'start' to a node id"
        return
    step_ids = [s.id for s in flow.steps]
    for node in flow.nodes:
        if node.step is not None and node.step not in step_ids:
            yield node.id, f"step '{node.step}' is not declared under 'steps': add it or fix it"
        if isinstance(node, OutcomeNode):
            if node.next:
                yield node.id, "an outcome ends the flow: remove its 'next'"
            continue
        if not node.next:
            yield node.id, "dead end: no 'next'; add a branch (goto) or make it an outcome"
            continue
        for i, branch in enumerate(node.next):
            if branch.goto not in nodes:
                yield node.id, f"goto '{branch.goto}' is not a node of this flow: fix the target"
            if branch.when is None and i < len(node.next) - 1:
                yield node.id, f"branch {i + 1} has no 'when', so the branches after it never run"
        if node.next[-1].when is not None:
            yield node.id, (
                "the last branch has a 'when': add a final branch without 'when' (the default) "
                "so no resident is left without a next screen"
            )
    reachable = _reachable(flow.start, nodes)
    for node in flow.nodes:
        if node.id not in reachable:
            yield node.id, "unreachable: no branch leads here; link it or remove it"
    try:
        _order(flow, nodes)
    except CycleError as exc:
        cycle = " -> ".join(str(n) for n in exc.args[1])
        yield None, f"the flow loops ({cycle}): an interview must always move forward"
        return
    for node in flow.nodes:
        for branch in node.next:
            target = nodes.get(branch.goto)
            if target is None or node.step not in step_ids or target.step not in step_ids:
                continue
            if step_ids.index(target.step) < step_ids.index(node.step):
                yield node.id, (
                    f"goes from step '{node.step}' back to the earlier step '{target.step}': "
                    "progress must never go backwards"
                )


def _reachable(start: str, nodes: Mapping[str, AnyNode]) -> set[str]:
    seen: set[str] = set()
    todo = [start]
    while todo:
        node_id = todo.pop()
        if node_id in seen or node_id not in nodes:
            continue
        seen.add(node_id)
        todo.extend(b.goto for b in nodes[node_id].next)
    return seen


def _order(flow: Flow, nodes: Mapping[str, AnyNode]) -> list[str]:
    graph = {
        n.id: {p.id for p in flow.nodes if any(b.goto == n.id for b in p.next)} for n in flow.nodes
    }
    return [n for n in TopologicalSorter(graph).static_order() if n in nodes]


def definitely_set(flow: Flow) -> dict[str, frozenset[str]]:
    """For each reachable node: the variables set on every path from the start to it."""
    nodes = flow.node_map()
    reachable = _reachable(flow.start, nodes)
    preds: dict[str, list[str]] = {n: [] for n in nodes}
    for node in flow.nodes:
        if node.id in reachable:
            for b in node.next:
                if b.goto in preds:
                    preds[b.goto].append(node.id)
    out: dict[str, frozenset[str]] = {}
    before: dict[str, frozenset[str]] = {}
    for node_id in _order(flow, nodes):
        if node_id not in reachable:
            continue
        sets = [out[p] for p in preds[node_id] if p in out]
        incoming = frozenset.intersection(*sets) if sets and node_id != flow.start else frozenset()
        before[node_id] = incoming
        out[node_id] = incoming | _defines(nodes[node_id])
    return before


def _defines(node: AnyNode) -> frozenset[str]:
    if isinstance(node, QuestionNode):
        return frozenset({node.var})
    if isinstance(node, ComputeNode):
        return frozenset(node.set)
    return frozenset()


def logic_problems(flow: Flow, rule_types: Mapping[str, VarType]) -> Iterator[Issue]:
    """Variables declared and typed; every expression parses, types, and reads only set values."""
    declared = {name: v.type for name, v in flow.variables.items()}
    domains: dict[str, frozenset[str]] = {}
    for node in flow.nodes:
        if isinstance(node, QuestionNode):
            want = INPUT_TYPES[node.input]
            if node.var not in declared:
                yield node.id, (f"variable '{node.var}' is not declared: "
                                f"add it under 'variables' as {want.value}")
            elif declared[node.var] is not want:
                yield node.id, (f"variable '{node.var}' is declared {declared[node.var].value} "
                                f"but a {node.input.value} question gives {want.value}")
            if node.input is InputKind.CHOICE:
                values = frozenset(c.value for c in node.choices)
                domains[node.var] = domains.get(node.var, frozenset()) | values
    env = expr.TypeEnv(declared, rule_types, domains)
    before = definitely_set(flow)
    for node in flow.nodes:
        if node.id not in before:
            continue
        available = set(before[node.id])
        if isinstance(node, ComputeNode):
            for var, source in node.set.items():
                yield from _check_expr(node.id, source, env, available, declared.get(var), var)
                available.add(var)
        for text_map in _node_texts(node):
            for text in text_map.values():
                for is_rule, name in placeholders(text):
                    if not is_rule and name in declared and name not in available:
                        yield node.id, (f"text uses {{{name}}}, which is not set on every path "
                                        "to this node")
        available |= _defines(node)
        for branch in node.next:
            if branch.when is not None:
                yield from _check_expr(node.id, branch.when, env, available, VarType.BOOL, None)


def _node_texts(node: AnyNode) -> list[Mapping[str, str]]:
    found: list[Mapping[str, str]] = []
    for name in ("text", "summary", "title", "body", "help", "speak"):
        value = getattr(node, name, None)
        if isinstance(value, dict):
            found.append(value)
    return found


def _check_expr(
    node_id: str, source: str, env: expr.TypeEnv, available: set[str],
    want: VarType | None, target: str | None,
) -> Iterator[Issue]:
    try:
        parsed = expr.parse(source)
        got = expr.check(parsed, env)
    except expr.ExprError as exc:
        yield node_id, f"expression {source!r}: {exc}"
        return
    if target is not None and want is None:
        yield node_id, f"computes undeclared variable '{target}': declare it under 'variables'"
    elif want is not None and got is not want:
        what = f"variable '{target}'" if target else "a condition"
        yield node_id, f"expression {source!r} gives {got.value}, but {what} needs {want.value}"
    for name in sorted(parsed.variables - available):
        yield node_id, (f"expression {source!r} reads '{name}', which is not set on every "
                        "path to this node: ask for it earlier or change the branch")
