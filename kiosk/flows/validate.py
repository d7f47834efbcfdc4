"""`kiosk validate`: every check a content pack must pass before any kiosk serves it.

Schema (with file and line), graph, expressions, translations, screen lengths,
references to services, offices and hotlines, and every flow's scenario tests. The
central service runs the same function before publishing, through `--json`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.content.bundle import Bundle, flow_files, load_bundle, load_flows
from kiosk.content.problems import Problem
from kiosk.flows.check_graph import logic_problems, structure_problems
from kiosk.flows.check_texts import node_index, text_problems
from kiosk.flows.model import ActionKind, ActionNode, Flow, OutcomeNode
from kiosk.flows.scenarios import run_scenario

MIN_SCENARIOS = 2


@dataclass
class Report:
    flows: list[Flow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    locales: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_json(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "flows": [
                {"id": f.id, "locales": sorted(set(self.locales) & set(f.title))} for f in self.flows
            ],
            "problems": [
                {"file": p.file, "node": p.node,
                 "message": f"line {p.line}: {p.message}" if p.line else p.message}
                for p in self.problems
            ],
        }


def _reference_problems(flow: Flow, bundle: Bundle) -> Iterable[tuple[str | None, str]]:
    services = {s.id: s for s in bundle.pack.services}
    hotlines = bundle.hotlines()
    if flow.topic not in {t.id for t in bundle.pack.topics}:
        yield None, f"topic '{flow.topic}' is not in pack.yaml topics: use one of those"
    for node in flow.nodes:
        named: list[str] = []
        if isinstance(node, OutcomeNode):
            named = [w.service for w in node.where] + ([node.service] if node.service else [])
            for h in node.hotlines:
                if h not in hotlines:
                    yield node.id, f"hotline '{h}' is unknown: use one of {sorted(hotlines)}"
            for w in node.where:
                if w.service in services and not bundle.offices_for(w.service):
                    yield node.id, (f"no office in locality '{bundle.locality.id}' offers "
                                    f"'{w.service}': add it to an office's services")
            wants = {ActionKind.BOOK, ActionKind.TICKET} & set(node.offer)
            if wants and not node.service:
                yield node.id, "offers book/ticket but names no 'service' to book or queue for"
            offered = services.get(node.service or "")
            if ActionKind.BOOK in node.offer and offered is not None and not offered.bookable:
                yield node.id, f"offers booking, but service '{node.service}' is not bookable"
            for kind in node.apply:
                if kind not in bundle.applications:
                    yield node.id, (f"offers application kind '{kind}', which does not exist: use one "
                                    f"of {sorted(bundle.applications)} (content/applications/)")
        elif isinstance(node, ActionNode) and node.service:
            named = [node.service]
        for service in named:
            if service not in services:
                yield node.id, f"service '{service}' is not in the service catalogue (pack.yaml)"


def check_flow(flow: Flow, bundle: Bundle, locales: Sequence[str], file: str) -> list[Problem]:
    doc = bundle.sources.get(flow.id)
    index = {n.id: i for i, n in enumerate(flow.nodes)}

    def at(node_id: str | None, message: str) -> Problem:
        line = doc.line_of(("nodes", index[node_id])) if doc and node_id in index else None
        return Problem(file, line, node_id, message)

    problems = [at(n, m) for n, m in structure_problems(flow)]
    graph_ok = not problems
    rule_types = {name: rule.type for name, rule in bundle.locality.rules.items()}
    problems += [at(n, m) for n, m in logic_problems(flow, rule_types)] if graph_ok else []
    for loc, message in text_problems(flow, locales, bundle.rule_values(), flow.variables):
        i = node_index(loc)
        node_id = flow.nodes[i].id if i is not None else None
        problems.append(Problem(file, doc.line_of(loc) if doc else None, node_id, message))
    problems += [at(n, m) for n, m in _reference_problems(flow, bundle)]
    if len(flow.scenarios) < MIN_SCENARIOS:
        problems.append(at(None, f"has {len(flow.scenarios)} scenario test(s); write at least "
                                 f"{MIN_SCENARIOS} (answers -> expected outcome)"))
    if problems:
        return problems  # scenarios on a broken flow would only repeat the problems above
    for scenario in flow.scenarios:
        expected = flow.nodes[index[scenario.expect]] if scenario.expect in index else None
        if not isinstance(expected, OutcomeNode):
            problems.append(at(None, f"scenario '{scenario.name}' expects '{scenario.expect}', "
                                     "which is not an outcome of this flow"))
            continue
        result = run_scenario(bundle, flow.id, scenario)
        if not result.ok:
            problems.append(at(result.reached, f"scenario '{scenario.name}' failed: {result.message}"))
    return problems


def validate(
    target: Path, content_dir: Path, locality: Path, locales: Sequence[str]
) -> Report:
    """Validate the flows at `target` (a content folder, a flows folder or one file)."""
    if (target / "pack.yaml").is_file():
        content_dir = target
    bundle, problems = load_bundle(content_dir, locality)
    report = Report(problems=problems, locales=tuple(locales))
    if bundle is None:
        return report
    whole_pack = target.resolve() == content_dir.resolve()
    if not whole_pack:
        problems[:] = [p for p in problems if "flows/" not in p.file]
        flows, sources = load_flows(flow_files(target), target, problems)
        bundle.flows, bundle.sources = flows, sources
    for locale in locales:
        if locale not in bundle.pack.locales:
            problems.append(Problem("pack.yaml", None, None,
                                    f"configured locale {locale} is not in pack.yaml locales"))
    from kiosk.applications.check import application_problems

    problems += application_problems(bundle, locales, content_dir)
    from kiosk.content.referrals import referral_problems

    problems += referral_problems(bundle.referrals, bundle.hotlines(), locales,
                                  bundle.flows.keys() if whole_pack else None)
    from kiosk.content.examples import example_problems

    problems += example_problems(bundle.examples, bundle.flows.keys() if whole_pack else None,
                                 {r.id for r in bundle.referrals.referrals} if bundle.referrals else set(),
                                 locales)
    for flow_id, flow in sorted(bundle.flows.items()):
        report.flows.append(flow)
        problems += check_flow(flow, bundle, locales, bundle.sources[flow_id].file)
    if not bundle.flows and not problems:
        problems.append(Problem(str(target), None, None, "no flow files found (*.yaml)"))
    return report
