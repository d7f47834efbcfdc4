"""The search query scrubber: digits become #, numbers and names go, 40 characters at most."""

from __future__ import annotations

import pytest

from kiosk.insight.scrub import MAX_CHARS, looks_like_name, scrub_query


@pytest.mark.parametrize(("query", "kept"), [
    ("老板欠我3个月工资", "老板欠我#个月工资"),
    ("divorce 2 kids", "divorce # kids"),
    ("13812345678 离婚", "离婚"),
    ("身份证110101199003071234补办", "身份证 补办"),
    ("１３８１２３４５６７８ 工伤", "工伤"),  # full-width digits
    ("幺三八一二三四五六七八 借钱", "借钱"),  # a phone said aloud
    ("张伟 欠工资", "欠工资"),
    ("我叫王小明 工伤", "工伤"),
    ("王先生借钱不还", "借钱不还"),
    ("My name is Li Lei divorce", "divorce"),
    ("Zhang Wei unpaid wages", "unpaid wages"),
    ("高利贷", "高利贷"),  # 高 is a surname, 贷 is not a name character
    ("赡养费", "赡养费"),
])
def test_scrub_keeps_the_matter_and_drops_names_and_numbers(query: str, kept: str) -> None:
    assert scrub_query(query) == kept


@pytest.mark.parametrize("query", ["", "   ", "13812345678", "张伟", "１２３４５", "2"])
def test_nothing_worth_keeping_is_none(query: str) -> None:
    assert scrub_query(query) is None


def test_at_most_forty_characters() -> None:
    kept = scrub_query("劳动合同" * 30)
    assert kept is not None and len(kept) == MAX_CHARS


def test_a_word_the_content_knows_is_not_taken_for_a_name() -> None:
    assert looks_like_name("王丽") and scrub_query("王丽") is None
    assert scrub_query("王丽", known=lambda word: word == "王丽") == "王丽"
