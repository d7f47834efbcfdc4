"""Typed pinyin to name characters: parsing (tones, ü, boundaries) and candidate order."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.applications.pinyin_input import (
    Syllable,
    candidates,
    gb2312_level1,
    load_name_characters,
    name_candidates,
    name_characters,
    parse,
)


@pytest.mark.parametrize(("typed", "expected"), [
    ("wang", [("wang", None)]),
    ("guifang", [("gui", None), ("fang", None)]),
    ("Gui Fang", [("gui", None), ("fang", None)]),
    ("gui4fang1", [("gui", 4), ("fang", 1)]),
    ("guìfāng", [("gui", 4), ("fang", 1)]),
    ("lǚ", [("lv", 3)]),
    ("lv", [("lv", None)]),
    ("lu:3", [("lv", 3)]),
    ("xian", [("xian", None)]),
    ("xi'an", [("xi", None), ("an", None)]),
    ("zhangxiaoming", [("zhang", None), ("xiao", None), ("ming", None)]),
])
def test_typed_pinyin_is_split_into_syllables_with_tones(typed: str, expected: list[tuple[str, int | None]]) -> None:
    assert parse(typed) == tuple(Syllable(text, tone) for text, tone in expected)


@pytest.mark.parametrize("typed", ["", "   ", "xyz", "wang!", "123", "王"])
def test_text_that_is_not_pinyin_gives_nothing(typed: str) -> None:
    assert parse(typed) is None
    assert name_candidates(typed) == []


def test_a_surname_syllable_offers_the_commonest_surname_first() -> None:
    assert candidates("wang", surname=True)[0] == "王"
    assert candidates("zhang", surname=True)[0] == "张"
    assert candidates("chen", surname=True)[0] == "陈"


def test_a_given_name_syllable_puts_given_name_characters_before_surnames() -> None:
    wei = candidates("wei", surname=False)
    assert wei.index("伟") < wei.index("魏")
    assert candidates("wei", surname=True).index("魏") < candidates("wei", surname=True).index("伟")


def test_name_candidates_treat_the_first_syllable_as_the_surname() -> None:
    (s1, first), (s2, second) = name_candidates("zeng guifang")[:1] + name_candidates("zeng guifang")[1:2]
    assert (s1.text, first[0]) == ("zeng", "曾")
    assert s2.text == "gui" and second[0] in "桂贵"


def test_a_typed_tone_filters_the_candidates() -> None:
    assert "李" in candidates("li")
    assert "李" not in candidates("li4") and "丽" in candidates("li4")
    assert candidates("lv3")[0] == "吕" and "绿" not in candidates("lv3")


def test_characters_outside_names_follow_in_order_of_general_use() -> None:
    shi = candidates("shi", surname=True, limit=None)
    # 是 and 事 are in countless words, 虱 (louse) and 噬 in few; none is a name character.
    assert max(shi.index("是"), shi.index("事")) < min(shi.index("虱"), shi.index("噬"))
    # pypinyin's archaic readings (方 read wang, 郝 read shi) come after every live one.
    wang = candidates("wang", surname=True, limit=None)
    assert wang.index("枉") < wang.index("方") and shi.index("噬") < shi.index("郝")


def test_the_limit_caps_the_list() -> None:
    assert len(candidates("shi", limit=5)) == 5
    assert len(candidates("shi", limit=None)) > 30


def test_gb2312_level1_has_its_3755_characters() -> None:
    chars = gb2312_level1()
    assert len(chars) == 3755 == len(set(chars))
    assert (chars[0], chars[-1]) == ("啊", "座")


def test_the_shipped_name_list_is_large_clean_and_in_gb2312() -> None:
    names = name_characters()
    everything = [*names.surnames, *names.given]
    assert len(names.surnames) >= 200 and len(set(everything)) >= 500
    assert len(everything) == len(set(everything)), "a character is listed twice"
    assert names.surnames[:3] == ("王", "李", "张")
    for ch in everything:
        ch.encode("gb2312")  # the handwriting model knows exactly GB2312


def test_a_list_without_a_section_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "names.txt"
    bad.write_text("# comment\n王李\n", encoding="utf-8")
    with pytest.raises(ValueError, match="before a"):
        load_name_characters(bad)
