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
#: Set -> top-1 floor (measured: natural 89.6, asr 97.8, long 83.9, pinyin 100, en 95.7,
#: tuned 95.8, fresh 94.0; the baseline: 72.9, 84.8, 67.7, 0, 85.1, 73.2, 74.6).
TOP1 = {"natural": 0.87, "asr": 0.95, "long": 0.80, "pinyin": 0.97, "en": 0.93, "tuned": 0.93, "fresh": 0.92}
#: Set -> (rejected floor, referred-to-the-right-body floor). Measured: oos 91.1 / 93.5
#: (looked at while writing content/referrals.yaml), oos-fresh 67.9 / 77.8 (written before
#: the referral keywords; its misses were looked at once, for the words of asking).
OUT_OF_SCOPE = {"oos": (0.88, 0.90), "oos-fresh": (0.62, 0.72)}


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


def test_new_probe_sets_cover_every_flow(bundle: Bundle) -> None:
    for name in ("natural", "asr", "pinyin", "en", "long"):
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


@pytest.mark.parametrize("query", ["明天会下雨吗", "今天天气怎么样", "hello", "谢谢"])
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
