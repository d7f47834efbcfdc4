"""ID numbers (GB 11643-1999): check digits (X included), birth dates, region codes."""

from __future__ import annotations

import datetime as dt

import pytest

from kiosk.applications.errors import FieldError
from kiosk.applications.idnumber import check_char, parse_id_number

TODAY = dt.date(2026, 11, 22)


def with_check(first17: str) -> str:
    return first17 + check_char(first17)


def test_a_published_sample_with_x_passes_and_gives_sex_and_birth_date() -> None:
    parsed = parse_id_number("11010519491231002x", TODAY)  # lower-case x as a keypad may give it
    assert parsed.value == "11010519491231002X"
    assert parsed.birth_date == dt.date(1949, 12, 31)
    assert parsed.sex == "female"  # 17th digit 2 is even
    assert "1101" not in repr(parsed)


def test_check_digits_computed_match_the_standard() -> None:
    # ISO 7064 MOD 11-2 by hand for 44052419800101001: weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2
    first17 = "44052419800101001"
    total = sum(int(c) * w for c, w in zip(first17, (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2),
                                        strict=True))
    assert check_char(first17) == "10X98765432"[total % 11]
    assert parse_id_number(with_check(first17), TODAY).sex == "male"


@pytest.mark.parametrize("wrong", range(10))
def test_every_wrong_check_digit_is_refused_naming_the_field(wrong: int) -> None:
    good = with_check("32010219900307123")
    bad = good[:17] + str(wrong)
    if bad == good:
        return
    with pytest.raises(FieldError) as info:
        parse_id_number(bad, TODAY)
    assert info.value.field == "id_number" and info.value.code == "check_digit"
    assert "id_number" in str(info.value) and bad not in str(info.value)
    assert "最后一位" in info.value.message("zh-CN")


def test_x_where_a_digit_belongs_is_refused() -> None:
    good = "11010519491231002X"
    first17 = "11010519491231003"
    assert check_char(first17) != "X"
    with pytest.raises(FieldError, match="id_number"):
        parse_id_number(first17 + "X", TODAY)
    assert parse_id_number(good, TODAY)


def test_a_swapped_pair_of_digits_is_caught() -> None:
    good = with_check("51010619850612431")
    swapped = good[:10] + good[11] + good[10] + good[12:]
    with pytest.raises(FieldError):
        parse_id_number(swapped, TODAY)


@pytest.mark.parametrize(("first17", "code"), [
    ("11010519490231002", "birth_date"),  # 1949-02-31 does not exist
    ("11010518991231002", "birth_date"),  # before 1900
    ("11010520301231002", "birth_future"),
    ("99010519491231002", "region"),
    ("11000019491231002", "region"),
])
def test_impossible_birth_dates_and_regions(first17: str, code: str) -> None:
    with pytest.raises(FieldError) as info:
        parse_id_number(with_check(first17), TODAY)
    assert info.value.code == code and info.value.field == "id_number"


@pytest.mark.parametrize(("text", "code"), [("", "missing"), ("1101051949123100", "length"),
                                            ("11010519491231002XX", "length"),
                                            ("1101051949123100A2", "characters")])
def test_length_and_characters(text: str, code: str) -> None:
    with pytest.raises(FieldError) as info:
        parse_id_number(text, TODAY)
    assert info.value.code == code


def test_spaces_and_dashes_from_a_keypad_are_ignored() -> None:
    assert parse_id_number("110105 1949-1231 002X", TODAY).value == "11010519491231002X"
