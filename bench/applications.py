"""Benchmark: the kiosk side of applications (issue 13).

Against the real central service (`central serve` on SQLite in a temporary folder, as the
dev set-up runs it; `--fake` uses the loopback fake of tests/connector instead). Prints:
  - submission: request body bytes (and of it the sealed box), time from "submit" to the
    server's 201 (median and max of N, sealing + outbox commit + POST + acknowledge);
  - queued: time to seal and commit to the outbox when the line is down;
  - checks: ID number (GB 11643) per number; receipt slip bytes and print time at 9600 baud.
Then it runs the benches of the parts an application uses, each in its own process (so
one's imports do not warm another's): bench/forms.py (A4 form render, goal ≤ 1 s),
bench/idcard.py (ID-card read at 115200 baud) and bench/handwriting.py (top-1/top-5 and
time per character; needs the npm stroke data).
Run: .venv/bin/python bench/applications.py [--n 50] [--only-submission]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kiosk.applications.deadline import CHINA  # noqa: E402
from kiosk.applications.idnumber import parse_id_number  # noqa: E402
from kiosk.applications.receipt import receipt_slip  # noqa: E402
from kiosk.applications.submit import Applications  # noqa: E402
from kiosk.connector.client import CentralClient, build_session  # noqa: E402
from kiosk.connector.outbox import Outbox  # noqa: E402
from kiosk.connector.settings import CentralSettings  # noqa: E402
from kiosk.content.bundle import load_bundle  # noqa: E402
from kiosk.slips.profiles import load_profiles  # noqa: E402
from kiosk.slips.render import render_slip  # noqa: E402
from tests.connector.conftest import closed_port_url  # noqa: E402
from tests.connector.fake_central import TOKEN, FakeCentral  # noqa: E402

PERSON = {"name": "王小明", "id_number": "11010519491231002X", "phone": "13812345678",
          "address": "示范县城关镇幸福路1号"}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=50)
    parser.add_argument("--only-submission", action="store_true")
    parser.add_argument("--fake", action="store_true", help="the loopback fake instead of the real service")
    args = parser.parse_args()
    bundle, problems = load_bundle(ROOT / "content", ROOT / "config" / "localities" / "demo.yaml")
    assert bundle is not None and not problems
    with tempfile.TemporaryDirectory() as tmp:
        central: Any
        if args.fake:
            central = FakeCentral().start()
            url, token = central.url, TOKEN
        else:
            from central.testing.servers import start_central

            central = start_central(None, Path(tmp) / "central", workers=1, threads=4)
            central.command("publish")  # the kinds travel with the published pack
            url, token = central.url, central.demo["kiosk_token"]
        try:
            state = Path(tmp) / "kiosk"
            state.mkdir()
            settings = CentralSettings(url=url, token=token, tuf_root=None, ticket_prefix="K1",
                                       state_dir=state)
            session = build_session(settings)
            sent: list[int] = []
            session.hooks["response"].append(lambda r, *a, **k: sent.append(len(r.request.body or b"")))
            outbox = Outbox(state / "outbox.sqlite3")
            app = Applications(bundle, outbox, state, client=CentralClient(settings, session))

            def draft() -> object:
                d = app.start("legal-aid", flow="legal-aid", outcome="o_apply", answers={"matter": "labour"})
                d.agree(dt.datetime.now(CHINA), id_number=True)
                for field in ("name", "id_number", "phone", "address"):
                    d.set_person(field, PERSON[field])
                d.set_case("facts", "老板欠了三个月工资，一共一万二千元。")
                return d

            app.seal_config()
            times = []
            for _ in range(args.n):
                d = draft()
                start = time.perf_counter()
                receipt = app.submit(d)  # type: ignore[arg-type]
                times.append(time.perf_counter() - start)
                assert not receipt.queued
            where = "the loopback fake" if args.fake else "the real central service (SQLite, 1 worker)"
            print(f"submission to {where}: {sent[-1]} B request body; "
                  f"submit -> 201 median {statistics.median(times) * 1000:.1f} ms, "
                  f"p95 {sorted(times)[int(0.95 * (len(times) - 1))] * 1000:.1f} ms, "
                  f"max {max(times) * 1000:.1f} ms over {args.n}")
            settings_down = CentralSettings(url=closed_port_url(), token=token, tuf_root=None,
                                            ticket_prefix="K1", state_dir=state, retries=0)
            app.client = CentralClient(settings_down, build_session(settings_down))
            queued = []
            for _ in range(args.n):
                d = draft()
                start = time.perf_counter()
                assert app.submit(d).queued  # type: ignore[arg-type]
                queued.append(time.perf_counter() - start)
            print(f"queued (line down): median {statistics.median(queued) * 1000:.1f} ms to seal and commit")
            outbox.close()
        finally:
            central.stop()
    start = time.perf_counter()
    for _ in range(10000):
        parse_id_number(PERSON["id_number"])
    print(f"ID number check: {(time.perf_counter() - start) / 10000 * 1e6:.1f} us each")
    profiles = load_profiles(ROOT / "config" / "printers.toml")
    for name in ("58mm", "80mm"):
        slip = render_slip(receipt_slip(receipt, ["zh-CN"]), profiles[name], "zh-CN")
        print(f"receipt slip {name}: {len(slip.data)} B, {len(slip.data) * 10 / 9600:.2f} s at 9600 baud")
    if not args.only_submission:
        for part in ("forms.py", "idcard.py", "handwriting.py"):
            print(f"\n--- bench/{part}", flush=True)
            subprocess.run([sys.executable, str(ROOT / "bench" / part)], check=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
