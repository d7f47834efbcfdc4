"""Benchmark: how fast flows are ready to serve, and how long one engine step takes.

Prints: content load time, full validation time (with every scenario), time from
process start to the first screen being ready (a fresh interpreter, Kivy excluded), and
per-step engine latency over every scenario of the shipped pack.
Run: .venv/bin/python bench/flows.py
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kiosk.content.bundle import load_bundle  # noqa: E402
from kiosk.flows.engine import FlowEngine  # noqa: E402
from kiosk.flows.validate import validate  # noqa: E402

CONTENT = ROOT / "content"
LOCALITY = ROOT / "config" / "localities" / "demo.yaml"

READY_SCRIPT = f"""
import sys
sys.path.insert(0, {str(ROOT)!r})
from pathlib import Path
from kiosk.content.compiled import load_serving_bundle
from kiosk.flows.engine import FlowEngine
bundle, problems = load_serving_bundle(Path({str(CONTENT)!r}), Path({str(LOCALITY)!r}),
                                       Path(sys.argv[1]))
assert bundle is not None and not problems
engine = FlowEngine(bundle)
for flow_id in bundle.flows:
    engine.start(flow_id, "zh-CN").screen()
print("ready", flush=True)
"""


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def bench_load(repeat: int = 20) -> None:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        bundle, _ = load_bundle(CONTENT, LOCALITY)
        FlowEngine(bundle)  # type: ignore[arg-type]
        times.append(time.perf_counter() - t0)
    print(f"content load + compile ({repeat} runs): median {ms(statistics.median(times))}, "
          f"max {ms(max(times))}")
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        report = validate(CONTENT, CONTENT, LOCALITY, ("zh-CN", "en"))
        times.append(time.perf_counter() - t0)
    status = "clean" if report.ok else f"{len(report.problems)} problems"
    print(f"full validation with scenarios ({len(report.flows)} flows, {status}): "
          f"median {ms(statistics.median(times))}")


def ready_times(repeat: int, fresh_cache: bool) -> list[float]:
    times = []
    with tempfile.TemporaryDirectory() as cache:
        for _ in range(repeat):
            if fresh_cache:
                shutil.rmtree(cache)
            t0 = time.perf_counter()
            out = subprocess.run([sys.executable, "-c", READY_SCRIPT, cache], capture_output=True,
                                 text=True, check=True).stdout
            assert out.strip() == "ready"
            times.append(time.perf_counter() - t0)
    return times


def bench_ready(repeat: int = 9) -> None:
    cold = ready_times(repeat, fresh_cache=True)
    print(f"process start -> every flow's first screen ready, from YAML (no compiled cache): "
          f"median {ms(statistics.median(cold))}, max {ms(max(cold))}")
    times = ready_times(repeat, fresh_cache=False)[1:]
    bare = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        bare.append(time.perf_counter() - t0)
    print(f"process start -> every flow's first screen ready, compiled bundle ({repeat - 1} runs): "
          f"median {ms(statistics.median(times))}, max {ms(max(times))} "
          f"(bare interpreter start: {ms(statistics.median(bare))}); target < 200 ms")


def bench_steps() -> None:
    bundle, _ = load_bundle(CONTENT, LOCALITY)
    assert bundle is not None
    engine = FlowEngine(bundle)
    steps: list[float] = []
    for _ in range(20):
        for flow in bundle.flows.values():
            for scenario in flow.scenarios:
                session = engine.start(flow.id, "zh-CN")
                screen = session.screen()
                while screen.kind == "question":
                    value = scenario.answers.get(screen.node_id)
                    if value is None:
                        break
                    t0 = time.perf_counter()
                    screen = session.answer(value)
                    steps.append(time.perf_counter() - t0)
                    if screen.kind in ("info", "action"):
                        screen = session.advance()
    print(f"engine step (answer -> next screen, {len(steps)} steps): "
          f"p50 {steps and ms(pct(steps, 0.5))}, p95 {ms(pct(steps, 0.95))}, max {ms(max(steps))}")


if __name__ == "__main__":
    bench_load()
    bench_ready()
    bench_steps()
