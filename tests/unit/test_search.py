"""Search units: folding, pinyin, query terms, and ranking on a small hand-made index."""

from __future__ import annotations

import pytest

from kiosk.search import pinyin
from kiosk.search.index import Entry, Field, SearchIndex
from kiosk.search.normalize import fold, runs
from kiosk.search.terms import expand, query_terms


def entry(id_: str, zh: str, en: str, *keywords: str) -> Entry:
    fields = [Field(zh, 3.0, True), Field(en, 3.0, True)]
    fields += [Field(k, 3.0, True) for k in keywords]
    return Entry(id=id_, title={"zh-CN": zh, "en": en}, fields=fields)


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    return SearchIndex(
        [
            entry("injury", "工伤认定", "Injury at work", "工伤", "干活受伤", "工伤保险"),
            entry("wages", "讨要工资", "Unpaid wages", "拖欠工资", "讨薪"),
            entry("divorce", "离婚", "Divorce", "离婚手续", "冷静期"),
            entry("lending", "借钱不还", "Money lent and not repaid", "借条", "欠条"),
        ],
        synonyms={"工资": ["工钱", "血汗钱"], "怎么": ["咋"]},
    )


def top(index: SearchIndex, query: str) -> str | None:
    hits = index.search(query, top=1)
    return hits[0].flow if hits else None


def test_fold_makes_full_width_and_accents_plain() -> None:
    assert fold("ＡＢＣ１２３") == "abc123"
    assert fold("Lǜshī") == "lvshi"


def test_han_runs_ignore_spaces_but_break_at_punctuation() -> None:
    assert runs("工 伤，认 定!") == [("han", "工伤"), ("han", "认定")]
    assert runs("我要taoxin 123") == [("han", "我要"), ("latin", "taoxin"), ("digit", "123")]


@pytest.mark.parametrize(
    ("typed", "syllables"),
    [("woyaotaoxin", ("wo", "yao", "tao", "xin")), ("xian", ("xian",)), ("gongshang", ("gong", "shang"))],
)
def test_pinyin_is_split_into_syllables(typed: str, syllables: tuple[str, ...]) -> None:
    assert pinyin.segment(typed) == syllables


@pytest.mark.parametrize("word", ["fired", "without", "compensation", "gs"])
def test_english_words_and_initials_are_not_pinyin(word: str) -> None:
    assert pinyin.segment(word) is None


def test_phrase_reading_is_chosen_by_context() -> None:
    assert pinyin.phrase_syllables("银行行长") == ("yin", "hang", "hang", "zhang")


def test_english_queries_get_no_pinyin_terms() -> None:
    terms = query_terms("my employer has not paid my wages", {})
    assert "en:wage" in terms
    assert not [t for t in terms if t.startswith(("s1:", "s2:", "pw:", "pi:"))]


def test_pinyin_queries_get_syllable_terms_across_spaces() -> None:
    terms = query_terms("tao xin", {})
    assert "s2:tao_xin" in terms


def test_synonyms_add_the_standard_word() -> None:
    assert expand("俺的工钱要不回来", {"工资": ["工钱"], "我": ["俺"]}).endswith("我的工资要不回来")
    assert expand("房子", {"工资": ["工钱"]}) == "房子"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("工伤", "injury"),
        ("工 伤 认 定", "injury"),  # speech recognisers may space characters
        ("工商认定", "injury"),  # homophone from speech recognition
        ("gongshang", "injury"),  # pinyin typed on the Latin keyboard
        ("gong shang", "injury"),
        ("gs", "injury"),  # initials
        ("taoxin", "wages"),
        ("俺的工钱咋要", "wages"),  # dialect and colloquial words
        ("I got injured at work", "injury"),  # English stems: injured ~ injury
        ("unpaid wage", "wages"),
        ("lihun", "divorce"),
        ("借给朋友的钱不还", "lending"),
    ],
)
def test_queries_find_the_right_entry(index: SearchIndex, query: str, expected: str) -> None:
    assert top(index, query) == expected


def test_nothing_matching_gives_no_hits(index: SearchIndex) -> None:
    assert index.search("xyzzy", top=3) == []
    assert index.search("", top=3) == []


def test_top_limits_and_orders_hits(index: SearchIndex) -> None:
    hits = index.search("工资 工伤 离婚 借钱", top=2)
    assert len(hits) == 2
    assert hits[0].score >= hits[1].score > 0


def test_title_in_the_requested_locale(index: SearchIndex) -> None:
    assert index.search("divorce", top=1, locale="zh-CN")[0].title == "离婚"
    assert index.search("divorce", top=1, locale="en")[0].title == "Divorce"


def test_u_umlaut_is_typed_as_v() -> None:
    assert pinyin.segment("falvyuanzhu") == ("fa", "lv", "yuan", "zhu")
    assert pinyin.char_readings("女")[0] == "nv"
