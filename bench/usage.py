"""Benchmark: the usage-event recorder (issue 15, kiosk side). Prints:
  - recorder cost per event (µs): `record()` in memory, and including the outbox commits
    of its batches (SQLite WAL, synchronous=FULL: one fsync per batch of 200);
  - outbox bytes per 1,000 events (the stored JSON bodies, as they go on the wire);
  - bytes per typical visit (15 events) and the scrubber's cost per query.
Run: .venv/bin/python bench/usage.py [--events 20000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kiosk.connector.outbox import Outbox  # noqa: E402
from kiosk.insight.scrub import scrub_query  # noqa: E402
from kiosk.insight.usage import UsageBounds, UsageRecorder  # noqa: E402


def _typical_visit(rec: UsageRecorder, n: int) -> None:
    """About what a resident does: a search, a flow of ten questions, an outcome, a print."""
    rec.start_visit("zh-CN", "normal")
    rec.search("touch", "legal-aid", 1, 3, "wu qian")
    rec.record("flow_started", flow="legal-aid", via="search")
    for step in range(10):
        rec.node("legal-aid", f"q{step}")
    rec.node("legal-aid", "eligible", outcome=True)
    rec.record("print", what="summary")
    rec.end_visit("finished")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=20000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        memory = UsageRecorder(None, bounds=UsageBounds(batch_max=10**9))
        memory.start_visit("zh-CN", "normal")
        start = time.perf_counter()
        for n in range(args.events):
            memory.record("node_reached", flow="legal-aid", node=f"q{n % 12}")
        in_memory = (time.perf_counter() - start) / args.events * 1e6

        box = Outbox(Path(tmp) / "outbox.sqlite3")
        rec = UsageRecorder(box)
        rec.start_visit("zh-CN", "normal")
        start = time.perf_counter()
        for n in range(args.events):
            rec.record("node_reached", flow="legal-aid", node=f"q{n % 12}")
        rec.end_visit("finished")
        with_outbox = (time.perf_counter() - start) / args.events * 1e6
        items, size = box.queued_bytes("usage")
        per_1000 = size / (args.events + 2) * 1000

        visits = Outbox(Path(tmp) / "visits.sqlite3")
        vrec = UsageRecorder(visits)
        for n in range(100):
            _typical_visit(vrec, n)
        v_items, v_size = visits.queued_bytes("usage")

        queries = ["张伟 13812345678 欠了3个月工资", "离婚 孩子抚养", "My name is Li Lei divorce"] * 1000
        start = time.perf_counter()
        for q in queries:
            scrub_query(q)
        scrub_us = (time.perf_counter() - start) / len(queries) * 1e6

    print(f"recorder, in memory:            {in_memory:8.1f} µs/event")
    print(f"recorder, with outbox commits:  {with_outbox:8.1f} µs/event  "
          f"({items} batches for {args.events} events)")
    print(f"outbox bytes per 1,000 events:  {per_1000:8.0f} B")
    print(f"bytes per typical visit:        {v_size / 100:8.0f} B  "
          f"(15 events, one batch a visit: {v_items} items for 100 visits)")
    print(f"query scrubber:                 {scrub_us:8.1f} µs/query")


if __name__ == "__main__":
    main()
