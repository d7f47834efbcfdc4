"""Imports point inward: nothing outside kiosk/ui and kiosk/app.py may import Kivy."""

from __future__ import annotations

import ast
from pathlib import Path

KIOSK = Path(__file__).resolve().parents[2] / "kiosk"


def kivy_importers(root: Path = KIOSK) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        if rel.startswith("ui/") or rel == "app.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(n == "kivy" or n.startswith("kivy.") for n in names):
                found.append(rel)
    return found


def test_no_kivy_outside_the_ui() -> None:
    assert list(KIOSK.rglob("*.py")), "no sources found: wrong path"
    assert kivy_importers() == []


def test_the_scan_catches_an_import_outside_the_ui(tmp_path: Path) -> None:
    (tmp_path / "ui").mkdir()
    (tmp_path / "ui" / "home.py").write_text("from kivy.uix.button import Button\n")
    (tmp_path / "app.py").write_text("import kivy\n")
    (tmp_path / "flows.py").write_text("def f():\n    import kivy.clock\n")
    assert kivy_importers(tmp_path) == ["flows.py"]
