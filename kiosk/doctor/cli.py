"""`kiosk doctor [--json]`: every check, a table (or JSON), exit 1 when anything failed."""

from __future__ import annotations

import argparse
import json
import logging
import textwrap
from collections.abc import Callable, Sequence

from kiosk.config import KioskConfig
from kiosk.doctor import central, devices, local
from kiosk.doctor.model import Result, Site, fail

log = logging.getLogger(__name__)

Check = Callable[[Site], Result]

CHECKS: tuple[tuple[str, Check], ...] = (
    ("font", local.font),
    ("display", local.display),
    ("audio out", local.audio_out),
    ("microphone", local.microphone),
    ("speech model", local.speech_model),
    ("printer", devices.printer),
    ("ID card reader", devices.idcard),
    ("A4 printer", devices.a4_printer),
    ("central", central.central),
    ("token", central.token),
    ("TUF root and content", central.content),
    ("clock", central.clock),
    ("disk", local.disk),
    ("maintenance PIN", local.maintenance_pin),
    ("config permissions", local.config_permissions),
)

MARK = {"pass": "ok", "warn": "WARN", "fail": "FAIL"}


def run_checks(site: Site, checks: Sequence[tuple[str, Check]] = CHECKS) -> list[Result]:
    """Every check, each on its own: one that breaks is a failure, never the end of the run."""
    results = []
    for name, check in checks:
        try:
            results.append(check(site))
        except Exception as exc:  # a check must not hide the others
            log.debug("check %s raised", name, exc_info=True)
            results.append(
                fail(
                    name,
                    f"the check itself failed: {type(exc).__name__}: {exc}"[:200],
                    "run `kiosk -v doctor` and report its output",
                )
            )
    return results


def table(results: Sequence[Result], width: int = 100) -> str:
    name_w = max(len(r.check) for r in results)
    lines = []
    for r in results:
        lines.append(f"{MARK[r.status]:<4}  {r.check:<{name_w}}  {r.detail}")
        if r.fix:
            for part in textwrap.wrap("fix: " + r.fix, width - name_w - 8):
                lines.append(" " * (name_w + 8) + part)
    failed = sum(r.status == "fail" for r in results)
    warned = sum(r.status == "warn" for r in results)
    lines.append(
        f"{len(results)} checks: {len(results) - failed - warned} ok, {warned} warning(s), {failed} failed"
    )
    return "\n".join(lines)


def run(args: argparse.Namespace, cfg: KioskConfig, site: Site | None = None) -> int:
    """`site` for tests (system folders of their own); the kiosk itself otherwise."""
    results = run_checks(site or Site(cfg))
    failed = any(r.status == "fail" for r in results)
    if args.json:
        print(
            json.dumps(
                {"ok": not failed, "checks": [r.as_json() for r in results]}, ensure_ascii=False, indent=2
            )
        )
    else:
        print(table(results))
    return 1 if failed else 0
