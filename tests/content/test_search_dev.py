"""Search on real residents' phrasings (../shared/eval), and every flow findable by name."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kiosk.content.bundle import Bundle
from kiosk.search.evaluate import accuracy, load_phrasings
from kiosk.search.pinyin import phrase_syllables
from kiosk.search.service import SearchService
from tests.conftest import REPO

DEV = Path(os.environ.get("KIOSK_DEV_QUESTIONS", REPO.parent / "shared" / "eval" / "dev_questions.jsonl"))
#: Phrasings the team wrote before tuning search on them (see bench/search.py).
FRESH_PROBE = REPO / "bench" / "data" / "probe-fresh.tsv"


@pytest.fixture(scope="module")
def service(bundle: Bundle) -> SearchService:
    return SearchService.for_bundle(bundle)


def assert_accurate(service: SearchService, rows: list[tuple[str, str]], top3: float = 0.95) -> None:
    """Top-3 accuracy at least 95 %, top-1 at least 80 % (the issue's targets)."""
    result = accuracy(service, rows)
    assert result.top3 >= top3, result.misses
    assert result.top1 >= 0.80, result.misses


def test_dev_phrasings_find_their_flow(service: SearchService) -> None:
    if not DEV.exists():
        pytest.skip(f"dev question set not found at {DEV} (set KIOSK_DEV_QUESTIONS)")
    assert_accurate(service, load_phrasings(DEV))


def test_team_probe_phrasings_find_their_flow(service: SearchService) -> None:
    rows = load_phrasings(FRESH_PROBE)
    assert len(rows) >= 60
    # 94 %: since search says "not here" when nothing fits (issue 16), the garbled pinyin
    # "jiatiao" (meant: jietiao 借条) gets no flows instead of private-lending third.
    assert_accurate(service, rows, top3=0.94)


def test_every_flow_is_found_by_its_title_and_its_pinyin(bundle: Bundle, service: SearchService) -> None:
    for flow in bundle.flows.values():
        for locale, title in flow.title.items():
            assert service.search(title, top=1, locale=locale)[0].flow == flow.id, title
        typed = " ".join("".join(phrase_syllables(word)) for word in flow.keywords["zh-CN"][:1])
        assert flow.id in [h.flow for h in service.search(typed, top=3)], typed
