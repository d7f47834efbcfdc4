"""The kiosk never depends on the central service (it may run without it installed)."""

from __future__ import annotations

import re
from pathlib import Path

KIOSK = Path(__file__).resolve().parents[2] / "kiosk"


def test_kiosk_never_imports_central() -> None:
    offenders = [str(p) for p in KIOSK.rglob("*.py")
                 if re.search(r"^\s*(from|import)\s+central\b", p.read_text(encoding="utf-8"), re.M)]
    assert not offenders
    assert len(list(KIOSK.rglob("*.py"))) > 10, "the scan looked at the kiosk's modules"
