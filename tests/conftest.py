"""Shared fixtures: content folders built from the real pack plus chosen flow files."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk.content.bundle import Bundle, load_bundle
from kiosk.flows.engine import FlowEngine

REPO = Path(__file__).resolve().parent.parent
CONTENT = REPO / "content"
LOCALITY = REPO / "config" / "localities" / "demo.yaml"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
TODAY = dt.date(2026, 11, 22)


@pytest.fixture
def make_content(tmp_path: Path) -> Callable[..., Path]:
    """A content folder with the real pack.yaml and the given flow files (or texts)."""

    def make(*flows: Path | tuple[str, str]) -> Path:
        root = tmp_path / "content"
        (root / "flows").mkdir(parents=True, exist_ok=True)
        shutil.copy(CONTENT / "pack.yaml", root / "pack.yaml")
        for flow in flows:
            if isinstance(flow, Path):
                shutil.copy(flow, root / "flows" / flow.name)
            else:
                name, text = flow
                (root / "flows" / name).write_text(text, encoding="utf-8")
        return root

    return make


@pytest.fixture
def fixture_bundle(make_content: Callable[..., Path]) -> Bundle:
    bundle, problems = load_bundle(make_content(FIXTURES / "flows" / "every-kind.yaml"), LOCALITY)
    assert bundle is not None and not problems, problems
    return bundle


@pytest.fixture
def engine(fixture_bundle: Bundle) -> FlowEngine:
    return FlowEngine(fixture_bundle, clock=lambda: TODAY)
