"""The classifier learned from the shipped examples (kiosk/search/intent.py), on behaviour
that does not depend on any probe phrasing: the examples themselves, their pinyin, their
words, the not-ours table, danger words, and input that says nothing."""

from __future__ import annotations

import pytest

from kiosk.content.bundle import Bundle
from kiosk.search import intent, pinyin, words
from kiosk.search.service import SearchService
from kiosk.search.terms import is_pinyin


@pytest.fixture(scope="module")
def service(bundle: Bundle) -> SearchService:
    found = SearchService.for_bundle(bundle)
    assert found.intent is not None, "the shipped content has examples: search must learn from them"
    return found


def _typed(text: str) -> str:
    """How a resident types a Han phrase on a Latin keyboard: pinyin per word, spaced."""
    return " ".join("".join(pinyin.phrase_syllables(w)) for w in words.cut(text) if w.strip("，。？！ "))


def test_a_flows_own_example_words_find_it_first(bundle: Bundle, service: SearchService) -> None:
    """GIVEN each flow's first five examples, reordered as bags of their jieba words
    THEN that flow comes first (the words, not the exact string, carry the matter)."""
    assert bundle.examples is not None
    wrong = []
    for flow_id, examples in bundle.examples.flows.items():
        for text in examples.texts("zh-CN")[:5]:
            bag = " ".join(sorted(set(words.cut(text)) - {"，", "。", "？"}))
            hits = service.search(bag)
            if not hits or hits[0].flow != flow_id:
                wrong.append((flow_id, bag, [h.flow for h in hits]))
    assert len(wrong) <= 3, wrong  # 75 bags; a bag of danger words goes to domestic violence first


def test_a_pinyin_rendering_of_an_example_still_finds_its_flow(bundle: Bundle, service: SearchService) -> None:
    assert bundle.examples is not None
    missed = []
    for flow_id, examples in bundle.examples.flows.items():
        for text in examples.texts("zh-CN")[:4]:
            typed = _typed(text)
            assert is_pinyin(typed), typed
            if flow_id not in [h.flow for h in service.search(typed)]:
                missed.append((flow_id, typed))
    assert len(missed) <= 3, missed  # of 60


def test_typed_pinyin_and_a_homophone_meet_the_han_example_on_sound() -> None:
    han = set(intent.features("工伤认定"))
    assert "pp:gong_shang" in han
    assert "pp:gong_shang" in intent.features("gongshang rending")
    assert "pp:gong_shang" in intent.features("工商认定")  # a recogniser's homophone
    assert "pp:lu_shi" in intent.features("律师") and "pp:lu_shi" in intent.features("lvshi")


def test_not_ours_examples_with_a_body_are_referred_to_it(bundle: Bundle, service: SearchService) -> None:
    assert bundle.examples is not None and bundle.examples.not_ours is not None
    named = [(t, body) for t, body in bundle.examples.not_ours.labelled() if body][::4]
    wrong = [(t, body, service.find(t).referral_body) for t, body in named
             if service.find(t).hits or service.find(t).referral_body != body]
    assert len(named) >= 30 and len(wrong) <= 0.05 * len(named), wrong


def test_nobodys_matter_names_no_body(bundle: Bundle, service: SearchService) -> None:
    assert bundle.examples is not None and bundle.examples.not_ours is not None
    nobody = [t for t, body in bundle.examples.not_ours.labelled() if body is None][::3]
    named = [(t, service.find(t).referral_body) for t in nobody]
    assert len(nobody) >= 20 and sum(b is not None for _, b in named) <= 0.05 * len(nobody), named


@pytest.mark.parametrize("body", ["police", "civil_affairs", "human_resources"])
def test_danger_words_win_over_a_matter_that_is_not_ours(bundle: Bundle, service: SearchService,
                                                          body: str) -> None:
    """GIVEN a not-ours example of another body's matter, plus "他还打我"
    THEN domestic violence comes first, never "not here"."""
    assert bundle.examples is not None and bundle.examples.not_ours is not None
    text = next(t for t, b in bundle.examples.not_ours.labelled() if b == body and not t.isascii())
    assert service.find(text).referral_body == body
    result = service.find(text + "，他还打我")
    assert not result.out_of_scope and result.hits[0].flow == "domestic-violence"


@pytest.mark.parametrize("query", ["", "😀😀😀", "？！。，、……", "我", "的的的的", "嗯嗯那个那个",
                                   "啊" * 500, "asdfgh qwerty"])
def test_input_that_says_nothing_gets_no_flows(query: str, service: SearchService) -> None:
    assert service.search(query) == []


def test_is_pinyin_tells_typed_pinyin_from_english_and_han() -> None:
    assert is_pinyin("gongshang") and is_pinyin("lao ban qian gongzi") and is_pinyin("gs")
    assert not is_pinyin("my boss will not pay me") and not is_pinyin("工伤 gongshang") and not is_pinyin("")


def test_no_flow_is_offered_with_a_near_zero_share_of_the_best(bundle: Bundle, service: SearchService) -> None:
    """GIVEN each flow's first examples and top 5 THEN every flow offered scores at least
    blend.SHOWN_SHARE of the first (the classifier gives every flow some probability; the
    tail is not offered), and some questions are offered fewer than five."""
    from kiosk.search import blend

    assert bundle.examples is not None
    counts = []
    for flow in bundle.examples.flows.values():
        for text in flow.texts("zh-CN")[:3]:
            hits = service.search(text, top=5)
            assert hits, text
            assert all(h.score >= blend.SHOWN_SHARE * hits[0].score for h in hits), (text, hits)
            counts.append(len(hits))
    assert min(counts) < 5 and max(counts) >= 2, counts
