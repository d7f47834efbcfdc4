"""Search on real residents' phrasings (../shared/eval), and every flow findable by name."""

from __future__ import annotations

import json

import pytest

from kiosk.content.bundle import Bundle, load_bundle
from kiosk.search.pinyin import phrase_syllables
from kiosk.search.service import SearchService
from tests.conftest import CONTENT, LOCALITY, REPO

DEV = REPO.parent / "shared" / "eval" / "dev_questions.jsonl"


@pytest.fixture(scope="module")
def bundle() -> Bundle:
    loaded, problems = load_bundle(CONTENT, LOCALITY)
    assert loaded is not None and not problems
    return loaded


@pytest.fixture(scope="module")
def service(bundle: Bundle) -> SearchService:
    return SearchService.for_bundle(bundle)


def test_dev_phrasings_find_their_flow(service: SearchService) -> None:
    if not DEV.exists():
        pytest.skip(f"dev question set not found at {DEV}")
    rows = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]
    top1 = top3 = 0
    misses = []
    for row in rows:
        found = [hit.flow for hit in service.search(row["q"], top=3)]
        top1 += bool(found) and found[0] == row["flow"]
        top3 += row["flow"] in found
        if not found or found[0] != row["flow"]:
            misses.append(f"{row['q']} -> {found} (want {row['flow']})")
    assert top3 / len(rows) >= 0.95, misses
    assert top1 / len(rows) >= 0.80, misses


def test_every_flow_is_found_by_its_title_and_its_pinyin(bundle: Bundle, service: SearchService) -> None:
    for flow in bundle.flows.values():
        for locale, title in flow.title.items():
            assert service.search(title, top=1, locale=locale)[0].flow == flow.id, title
        typed = " ".join("".join(phrase_syllables(word)) for word in flow.keywords["zh-CN"][:1])
        assert flow.id in [h.flow for h in service.search(typed, top=3)], typed
