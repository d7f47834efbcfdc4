"""Application codes (Crockford base32) and decision deadlines (calendar and working days)."""

from __future__ import annotations

import datetime as dt

import pytest

from kiosk.applications.codes import ALPHABET, code_bits, display, new_code, parse_code
from kiosk.applications.deadline import CHINA, add_days, decision_due
from kiosk.applications.errors import FieldError
from kiosk.applications.model import Decision
from kiosk.flows.model import LegalBasis


def test_codes_carry_40_bits_in_8_crockford_characters() -> None:
    for bits in (0, 1, 2**40 - 1, 0x123456789A):
        code = new_code(bits)
        assert len(code) == 8 and set(code) <= set(ALPHABET)
        assert code_bits(code) == bits
    assert new_code(0) == "00000000" and new_code(2**40 - 1) == "ZZZZZZZZ"
    assert not set("ILOU") & set(ALPHABET)
    with pytest.raises(ValueError):
        new_code(2**40)


def test_random_codes_differ_and_display_with_a_dash() -> None:
    codes = {new_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert display("7K3M9Q2P") == "7K3M-9Q2P"


@pytest.mark.parametrize("typed", ["7K3M-9Q2P", "7k3m9q2p", " 7K3M 9Q2P ", "7k3m-9q2p"])
def test_parse_is_lenient_about_case_dash_and_spaces(typed: str) -> None:
    assert parse_code(typed) == "7K3M9Q2P"


def test_lookalikes_read_as_digits_and_bad_codes_are_refused() -> None:
    assert parse_code("ioL0-0000") == "1010" + "0000"
    for bad in ("7K3M-9Q2", "7K3M-9Q2PX", "7K3M-9Q2U", "", "7K3M_9Q2P"):
        with pytest.raises(FieldError) as info:
            parse_code(bad)
        assert info.value.field == "code"


def _decision(days: int, working: bool) -> Decision:
    text = {"zh-CN": "x", "en": "x"}
    return Decision(days=days, working_days=working, what=text,
                    basis=LegalBasis(law=text, article=text))


def test_calendar_days_count_weekends() -> None:
    # Friday 2026-11-20, 7 calendar days (法律援助法 第四十三条) -> Friday 2026-11-27
    created = dt.datetime(2026, 11, 20, 16, 0, tzinfo=CHINA)
    assert decision_due(_decision(7, False), created) == dt.date(2026, 11, 27)


def test_working_days_skip_the_weekend() -> None:
    # Thursday 2026-11-19 + 5 working days (行政复议法 第三十条, 第八十八条): Fri, Mon-Thu -> 26th
    created = dt.datetime(2026, 11, 19, 10, 0, tzinfo=CHINA)
    assert decision_due(_decision(5, True), created) == dt.date(2026, 11, 26)
    # submitted on a Saturday: the count starts Monday -> Friday 27th
    assert add_days(dt.date(2026, 11, 21), 5, True) == dt.date(2026, 11, 27)
    # Friday + 1 working day -> Monday
    assert add_days(dt.date(2026, 11, 20), 1, True) == dt.date(2026, 11, 23)


def test_holidays_are_skipped_when_known() -> None:
    assert add_days(dt.date(2026, 9, 30), 3, True, frozenset({dt.date(2026, 10, d) for d in range(1, 8)})) \
        == dt.date(2026, 10, 12)


def test_the_date_is_china_time_not_utc() -> None:
    # 17:30 UTC on the 20th is already 01:30 on the 21st in China
    created = dt.datetime(2026, 11, 20, 17, 30, tzinfo=dt.UTC)
    assert decision_due(_decision(7, False), created) == dt.date(2026, 11, 28)
    assert decision_due(None, created) is None
    with pytest.raises(ValueError):
        decision_due(_decision(7, False), dt.datetime(2026, 11, 20))
