"""Noise and scope: what search refuses without guessing, and what it must still find."""

from __future__ import annotations

import random

import pytest

from kiosk.search import scope
from kiosk.search.index import Entry, Field, SearchIndex
from kiosk.search.noise import is_noise
from kiosk.search.terms import query_terms

COMMON = "的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会"


@pytest.mark.parametrize("query", [
    "嗯嗯啊啊", "呃……那个嗯嗯啊", "".join(random.Random(3).choices("哦嗯呃啊哈喂哎呀嘛唉", k=500)),
    "".join(random.Random(5).choices(COMMON, k=60)), "".join(random.Random(9).choices(COMMON, k=500)),
])
def test_hesitation_and_random_character_streams_are_noise(query: str) -> None:
    assert is_noise(query)


@pytest.mark.parametrize("query", [
    "", "😀", "hello", "工伤", "我想离昏", "嗯我想问一下工伤怎么认定",
    "我在工地上干了三个月的活老板一直拖着不给工钱现在人也找不到了我想问问该怎么办",
])
def test_real_questions_short_or_long_are_not_noise(query: str) -> None:
    assert not is_noise(query)


def test_a_lone_letter_or_a_yes_is_no_english_term() -> None:
    terms = query_terms("n v yes ok fired", {})
    assert [t for t in terms if t.startswith("en:")] == ["en:fire"]


def test_a_sound_alike_pair_is_evidence_only_where_it_meets_a_keyword() -> None:
    """Ranking still uses every sound-alike pair; the scope decision only those of titles
    and keywords (k2:), so a chance rhyme with a flow's long text is not evidence."""
    entries = [
        Entry(id="wage", title={"zh-CN": "讨薪"}, fields=[Field("讨薪", 3.0, True)]),
        Entry(id="other", title={"zh-CN": "别的"}, fields=[Field("别的事情说明里有讨薪两个字", 0.5)]),
    ]
    index = SearchIndex(entries)
    terms = index.query_terms("去哪里讨心")  # 讨心 sounds like 讨薪
    assert any(t.startswith("s2:tao_xin") for t in terms)
    evidence = scope.strong_terms(terms)
    assert "k2:tao_xin" in evidence and not any(t.startswith("s2:") for t in evidence)
    scores = index.scores("", evidence)
    assert scores[0] > 0 and scores[1] == 0
    assert index.scores("去哪里讨心")[1] > 0  # the long text still ranks by sound

