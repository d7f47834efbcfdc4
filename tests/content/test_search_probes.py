"""Search on the team's probe sets (bench/data), against the jieba + rank_bm25 baseline.

Floors sit a little below the figures measured when they were written (bench/search.py
prints them); the point of each set is that ours stays ahead of the baseline at top-1.
"""

from __future__ import annotations

import pytest

from kiosk.content.bundle import Bundle
from kiosk.search.baseline import Baseline
from kiosk.search.evaluate import accuracy, load_out_of_scope, load_phrasings, rejection
from kiosk.search.service import SearchService
from tests.conftest import REPO

DATA = REPO / "bench" / "data"
#: Set -> top-1 floor, a little below what was measured (bench/search.py). Lexical engine, once
#: the search scope and keywords were tuned on these sets: natural 100, asr 100, long 87.1,
#: pinyin 100, en 95.7, tuned 100, fresh 97.0; -heldout 95.0, 100, 93.3, 100 (measured once
#: before tuning on them: 73.3, 100, 90.0, 96.7); -heldout2 96.7, 96.7, 100 (before: 75.0,
#: 96.7, 100). With the classifier learned from content/search/examples (kiosk/search/intent.py,
#: thresholds from cross-validation on the examples and these sets): natural 100, asr 97.8,
#: long 100, pinyin 100, en 95.7, tuned 100, fresh 97.0; -heldout 100, 100, 96.7, 100;
#: -heldout2 96.7, 96.7, 100. The baseline: 85.4, 82.6, 74.2, 0, 87.2, 74.6, 77.6; 88.3, 88.1,
#: 70.0, 0; 81.7, 66.7, 0. The third and fourth held-out sets are not held to here: they stay
#: unseen (bench/search.py prints them).
TOP1 = {"natural": 0.97, "asr": 0.95, "long": 0.96, "pinyin": 0.97, "en": 0.93, "tuned": 0.97, "fresh": 0.94,
        "natural-heldout": 0.97, "asr-heldout": 0.97, "long-heldout": 0.93, "pinyin-heldout": 0.97,
        "natural-heldout2": 0.95, "asr-heldout2": 0.93, "pinyin-heldout2": 0.97}
#: Set -> (rejected floor, referred-to-the-right-body floor). Lexical engine: oos 100 / 100
#: (looked at while writing content/referrals.yaml), oos-fresh 92.9 / 88.9, oos-heldout 97.5 /
#: 100 (measured once before tuning on it: 85.0 / 91.7), oos-heldout2 93.3 / 100 (76.7 / 66.7).
#: With the classifier: 100 / 100, 100 / 100, 100 / 100, 96.7 / 94.4; after example lines that
#: (nearly) repeated a probe were dropped (tests/content/test_search_examples_apart.py):
#: 97.8 / 93.5, 100 / 100, 100 / 100, 100 / 88.9.
OUT_OF_SCOPE = {"oos": (0.95, 0.92), "oos-fresh": (0.96, 0.94), "oos-heldout": (0.97, 0.95),
                "oos-heldout2": (0.93, 0.87)}
#: In-scope questions refused ("not here") over every set above: at most this share.
REFUSED = 0.01


@pytest.fixture(scope="module")
def service(bundle: Bundle) -> SearchService:
    return SearchService.for_bundle(bundle)


@pytest.fixture(scope="module")
def baseline(bundle: Bundle) -> Baseline:
    return Baseline(bundle)


@pytest.mark.parametrize("name", sorted(TOP1))
def test_probe_set_top1_floor_and_ahead_of_the_baseline(name: str, service: SearchService,
                                                        baseline: Baseline) -> None:
    rows = load_phrasings(DATA / f"probe-{name}.tsv")
    assert len(rows) >= 30
    ours, base = accuracy(service, rows), accuracy(baseline, rows)
    assert ours.top1 >= TOP1[name], ours.misses
    assert ours.top1 >= base.top1, (ours.top1, base.top1)


def test_in_scope_questions_are_rarely_refused(service: SearchService) -> None:
    rows = [row for name in TOP1 for row in load_phrasings(DATA / f"probe-{name}.tsv")]
    refused = [q for q, _ in rows if not service.search(q)]
    assert len(refused) <= REFUSED * len(rows), refused


def test_new_probe_sets_cover_every_flow(bundle: Bundle) -> None:
    for name in ("natural", "asr", "pinyin", "en", "long", "natural-heldout", "asr-heldout", "long-heldout",
                 "pinyin-heldout", "natural-heldout2", "asr-heldout2", "pinyin-heldout2", "natural-heldout3"):
        covered = {flow for _, flow in load_phrasings(DATA / f"probe-{name}.tsv")}
        assert covered == set(bundle.flows), (name, set(bundle.flows) - covered)


@pytest.mark.parametrize("name", sorted(OUT_OF_SCOPE))
def test_out_of_scope_is_answered_not_here_with_the_right_body(name: str, service: SearchService) -> None:
    rows = load_out_of_scope(DATA / f"probe-{name}.tsv")
    rejected_floor, referred_floor = OUT_OF_SCOPE[name]
    rejected = rejection(service, [q for q, _ in rows])
    assert rejected.rate >= rejected_floor, rejected.misses
    named = [(q, body) for q, body in rows if body]
    wrong = [(q, body, service.find(q).referral_body) for q, body in named
             if service.find(q).referral_body != body]
    assert 1 - len(wrong) / len(named) >= referred_floor, wrong


@pytest.mark.parametrize(("query", "body"), [
    ("身份证丢了去哪补", "police"), ("how do I renew my driving licence", "police"),
    ("低保怎么申请", "civil_affairs"), ("社保卡丢了怎么补", "human_resources"), ("我家停水了", "government"),
    ("退税去哪里办", "tax"), ("住房公积金贷款", "housing_fund"), ("how do I withdraw my housing fund", "housing_fund"),
])
def test_other_bodies_matters_name_the_body_and_12348(query: str, body: str, service: SearchService) -> None:
    result = service.find(query)
    assert result.out_of_scope and result.hits == []
    assert result.referral is not None and result.referral.body == body
    assert "12348" in result.referral.text and result.referral.hotlines[-1].number == "12348"


def test_the_office_comes_from_the_locality(service: SearchService) -> None:
    result = service.find("结婚登记要带什么")
    assert result.referral is not None and result.referral.body == "civil_affairs"
    assert "示范县民政局婚姻登记处" in result.referral.text and "0000-1234509" in result.referral.text


@pytest.mark.parametrize("query", ["明天会下雨吗", "今天天气怎么样", "hello", "谢谢", "附近有什么好吃的", "手机没信号了怎么办"])
def test_nothing_legal_gets_no_flows(query: str, service: SearchService) -> None:
    result = service.find(query)
    assert result.out_of_scope and result.hits == [] and result.referral is not None
    assert result.referral.body is None


@pytest.mark.parametrize("query", ["", "   ", "😀😀😀", "？！。，、……", "工伤" * 250, "abc工伤xyz 😀 gongshang",
                                   "嗯嗯啊啊呃呃那个那个"])
def test_bad_input_never_raises(query: str, service: SearchService) -> None:
    result = service.find(query)
    assert len(result.hits) <= 3
    assert result.hits or result.out_of_scope


def test_a_long_question_still_finds_its_flow(service: SearchService) -> None:
    assert service.search("工伤" * 250)[0].flow == "work-injury"
