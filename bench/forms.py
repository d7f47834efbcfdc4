"""Benchmark: the A4 application form's render time, against the goal of 1 s (issue 13).

1. Form render: fill a kind's template and typeset it with WeasyPrint, per kind. The first
   render in a process pays WeasyPrint's import and font loading (what a kiosk pays once,
   at start-up if it warms up); the rest are what a resident waits for. Goal ≤ 1 s.
2. Form size: PDF bytes per kind (what goes to CUPS, and what the QR path would serve).
Run: .venv/bin/python bench/forms.py [--n 10] (bench/applications.py runs it too)
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kiosk.forms.context import FormMeta, form_context  # noqa: E402
from kiosk.forms.render import make_form  # noqa: E402
from kiosk.forms.templates import load_templates  # noqa: E402

PERSON = {"name": "王桂芳", "sex": "女", "ethnicity": "汉", "birth_date": "1961年4月2日",
          "id_number": "110101196104020023", "phone": "13912345678", "address": "示范县城关镇幸福村3组"}
CASE = {"matter": "追索劳动报酬", "facts": "在工地干了半年，老板欠工钱一万二。" * 6,
        "request": "支付拖欠工资", "respondent": "示范建筑有限公司", "employer": "示范建筑有限公司",
        "evidence": "考勤表、工友证言"}
KINDS = {"legal-aid.html": "法律援助申请表", "labour-arbitration.html": "劳动人事争议仲裁申请书",
         "admin-reconsideration.html": "行政复议申请书", "mediation.html": "人民调解申请书"}


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=10, help="renders per kind after the first")
    args = parser.parse_args()
    templates = load_templates(ROOT / "content")
    meta = FormMeta(title="", body="示范县公共法律服务中心", code_display="7K3M-9Q2P", date="2026年12月6日",
                    status_url="http://127.0.0.1:8700/a/7K3M9Q2P", decision="7日内作出决定。")
    started = time.perf_counter()
    make_form(templates, "legal-aid.html", form_context(meta, PERSON, CASE))
    first_ms = 1000 * (time.perf_counter() - started)
    print(f"first form in this process (WeasyPrint import + fonts): {first_ms:.0f} ms")
    print(f"{'form':<28}{'median ms':>10}{'p95 ms':>9}{'max ms':>9}{'pages':>7}{'PDF KB':>8}")
    for name, title in KINDS.items():
        times, size, pages = [], 0, 0
        context = form_context(FormMeta(**{**meta.__dict__, "title": title}), PERSON, CASE)
        for _ in range(args.n):
            t0 = time.perf_counter()
            form = make_form(templates, name, context)
            times.append(1000 * (time.perf_counter() - t0))
            size, pages = len(form.pdf), form.pages
        print(f"{name:<28}{statistics.median(times):>10.0f}{pct(times, 0.95):>9.0f}{max(times):>9.0f}"
              f"{pages:>7}{size / 1024:>8.0f}")
    print("goal: a form rendered in ≤ 1000 ms")


if __name__ == "__main__":
    main()
