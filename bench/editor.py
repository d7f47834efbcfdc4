"""Benchmark: the flow editor at scale (issue 17 item 5): goal under 1 s each.

For the largest shipped flow and a generated 200-node flow (central/editing/synthetic.py):
1. open: the flow's page (kiosk validation + Graphviz layout of the map + HTML), cold caches;
2. layout: drawing the map alone (dot source + `dot -Tsvg`);
3. form: one node's form with its kiosk preview;
4. save: a changed wording through the node form, then saving the flow (validation,
   conflict check, reversion revision).
In-process Django on a throwaway SQLite database, through Django's test client. Each figure
is the median wall time, with the CPU seconds it cost (this process and `dot`) beside it:
on a shared machine the wall time also counts waiting for a core.
Run: .venv/bin/python bench/editor.py [--n 3]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = tempfile.mkdtemp(prefix="bench-editor-")
os.environ["DJANGO_SETTINGS_MODULE"] = "central.settings"
os.environ["CENTRAL_DATA_DIR"] = DATA
os.environ["DATABASE_URL"] = f"sqlite:///{DATA}/bench.sqlite3"


def _cpu() -> float:
    """CPU seconds of this process and its children (dot): what the work costs, whatever
    else the machine is doing (the wall time also counts waiting for a core)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def timed(fn: Callable[[], object], n: int, before: Callable[[], None] = lambda: None) -> tuple[float, float]:
    """Median wall and CPU seconds of `fn` over `n` runs."""
    walls, cpus = [], []
    for _ in range(n):
        before()
        start, cpu = time.perf_counter(), _cpu()
        fn()
        walls.append(time.perf_counter() - start)
        cpus.append(_cpu() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=3)
    args = parser.parse_args()
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test client's host name, as in the tests

    call_command("migrate", verbosity=0)
    from central.demo import ensure_demo
    from central.editing import checks, preview
    from central.editing.doc import FlowDoc
    from central.editing.synthetic import synthetic_flow
    from central.publishing.models import Flow

    demo = ensure_demo()
    Flow.objects.create(flow_id="synthetic-large", text=synthetic_flow(200))
    largest = max(Flow.objects.exclude(flow_id="synthetic-large"),
                  key=lambda f: len(FlowDoc.read(f.text).node_ids()))
    client = Client()
    client.login(username=demo["editor_user"], password=demo["editor_password"])

    def cold() -> None:
        checks._cache.clear()
        preview._cache.clear()

    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; "
          f"median of {args.n}, seconds, wall (CPU)")
    print(f"{'flow':<20}{'nodes':>6}{'open':>15}{'layout':>15}{'form':>15}{'save':>15}")
    for flow_id in (largest.flow_id, "synthetic-large"):
        measure(client, flow_id, args.n, cold)
    shutil.rmtree(DATA, ignore_errors=True)


def measure(client: Any, flow_id: str, n: int, cold: Callable[[], None]) -> None:
    """Print one row: open, layout, form and save times for `flow_id`."""
    from central.editing import graph
    from central.editing.doc import FlowDoc
    from central.publishing.models import Flow

    text = Flow.objects.get(flow_id=flow_id).text
    doc = FlowDoc.read(text)
    node = doc.node_ids()[0]
    url = f"/admin/flows/{flow_id}/"

    def open_page() -> None:
        r = client.get(url)
        assert r.status_code == 200, (r.status_code, r.content[:300])

    def layout() -> None:
        graph.render_svg(graph.dot_source(doc, {}, "zh-CN", lambda n: f"/{n}"))

    def form() -> None:
        assert client.get(f"{url}nodes/{node}/").status_code == 200

    counter = iter(range(10_000))

    def save() -> None:
        from central.editing.nodeform import read_fields

        current = Flow.objects.get(flow_id=flow_id).text
        fields = read_fields(current, node, ["zh-CN", "en"])
        fields["text.en"] = f"Is this so? ({next(counter)})"
        assert client.post(f"{url}nodes/{node}/", fields).status_code == 302
        assert client.post(f"{url}save").status_code == 302
        assert Flow.objects.get(flow_id=flow_id).text != current, "not saved"

    row = [timed(open_page, n, cold), timed(layout, n), timed(form, n, cold),
           timed(save, n, cold)]
    print(f"{flow_id:<20}{len(doc.node_ids()):>6}" + "".join(f"{w:>8.3f} ({c:.2f})" for w, c in row))


if __name__ == "__main__":
    main()
