"""The compiled bundle cache: same content back, rebuilt when damaged or stale, never
written from content with problems."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import msgspec

from kiosk.content.bundle import load_bundle
from kiosk.content.compiled import load_serving_bundle
from tests.conftest import FIXTURES, LOCALITY

FLOW = FIXTURES / "flows" / "every-kind.yaml"


def cached_files(cache: Path) -> list[Path]:
    return sorted(cache.glob("bundle-*.json"))


def test_round_trip_gives_the_same_bundle(make_content: Callable[..., Path], tmp_path: Path) -> None:
    content = make_content(FLOW)
    cache = tmp_path / "cache"
    fresh, problems = load_serving_bundle(content, LOCALITY, cache)
    assert fresh is not None and not problems
    assert len(cached_files(cache)) == 1
    again, problems = load_serving_bundle(content, LOCALITY, cache)
    assert again is not None and not problems
    direct, _ = load_bundle(content, LOCALITY)
    assert direct is not None
    assert again.version == direct.version
    # Compared as JSON: scenario answers (typed Any) come back as their JSON form.
    assert msgspec.json.encode(again.flows) == msgspec.json.encode(direct.flows)
    assert again.pack == direct.pack and again.locality == direct.locality


def test_damaged_cache_is_rebuilt(make_content: Callable[..., Path], tmp_path: Path) -> None:
    content = make_content(FLOW)
    cache = tmp_path / "cache"
    load_serving_bundle(content, LOCALITY, cache)
    [path] = cached_files(cache)
    path.write_bytes(path.read_bytes()[:100])  # cut short, as by a power cut
    bundle, problems = load_serving_bundle(content, LOCALITY, cache)
    assert bundle is not None and not problems
    assert path.read_bytes().endswith(b"}")
    assert load_serving_bundle(content, LOCALITY, cache)[0] is not None


def test_editing_a_flow_invalidates_the_cache(make_content: Callable[..., Path], tmp_path: Path) -> None:
    content = make_content(FLOW)
    cache = tmp_path / "cache"
    first, _ = load_serving_bundle(content, LOCALITY, cache)
    flow_file = content / "flows" / FLOW.name
    flow_file.write_text(flow_file.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    second, problems = load_serving_bundle(content, LOCALITY, cache)
    assert first is not None and second is not None and not problems
    assert second.version != first.version
    assert len(cached_files(cache)) == 1  # the stale one is gone


def test_content_with_problems_is_never_cached(make_content: Callable[..., Path], tmp_path: Path) -> None:
    broken = FLOW.read_text(encoding="utf-8").replace("goto: o_", "goto: nowhere_", 1)
    content = make_content((FLOW.name, broken))
    cache = tmp_path / "cache"
    bundle, problems = load_serving_bundle(content, LOCALITY, cache)
    assert any("nowhere_" in p.message for p in problems)
    assert bundle is not None and "every-kind" not in bundle.flows  # the broken flow is not served
    assert cached_files(cache) == []
