"""Fixtures: the real pack with its application kinds, in a folder a test may change."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from kiosk.content.bundle import Bundle, load_bundle
from tests.conftest import CONTENT, LOCALITY


@pytest.fixture
def kinds_content(tmp_path: Path) -> Callable[..., Path]:
    """Pack + every kind + the legal-aid flow, with `apply` added to outcomes as given."""

    def make(apply: dict[str, list[str]] | None = None) -> Path:
        root = tmp_path / "content"
        (root / "flows").mkdir(parents=True, exist_ok=True)
        shutil.copy(CONTENT / "pack.yaml", root / "pack.yaml")
        shutil.copytree(CONTENT / "applications", root / "applications", dirs_exist_ok=True)
        flow = yaml.safe_load((CONTENT / "flows" / "legal-aid.yaml").read_text(encoding="utf-8"))
        for node in flow["nodes"]:
            if node["id"] in (apply or {}):
                node["apply"] = (apply or {})[node["id"]]
        (root / "flows" / "legal-aid.yaml").write_text(yaml.safe_dump(flow, allow_unicode=True),
                                                       encoding="utf-8")
        return root

    return make


@pytest.fixture
def bundle(kinds_content: Callable[..., Path]) -> Bundle:
    loaded, problems = load_bundle(kinds_content({"o_apply": ["legal-aid", "callback"]}), LOCALITY)
    assert loaded is not None and not problems, problems
    return loaded
