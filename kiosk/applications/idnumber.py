"""Resident ID numbers (GB 11643-1999): check digit, birth date, region code.

A number typed on a keypad is checked before anything else is asked, so a slip of one
finger is caught while the resident is still at the kiosk rather than when the legal aid
centre rejects the application a week later. The checks are what the standard fixes:
6 digits of region, 8 of birth date, 3 of sequence (odd for men), and an ISO 7064
MOD 11-2 check character (0-9 or X).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from kiosk.applications.errors import FieldError

FIELD = "id_number"
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
#: First two digits of the region code (GB/T 2260 provinces; 71 台湾, 81 香港, 82 澳门,
#: 83 for residence permits of Taiwan residents).
PROVINCES = frozenset({
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
    "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64",
    "65", "71", "81", "82", "83",
})
EARLIEST = dt.date(1900, 1, 1)


@dataclass(frozen=True)
class IdNumber:
    value: str
    birth_date: dt.date
    #: "male" or "female", from the parity of the 17th digit.
    sex: str

    def __repr__(self) -> str:  # never the number itself
        return "IdNumber(<hidden>)"


def check_char(first17: str) -> str:
    return CHECK_CHARS[sum(int(c) * w for c, w in zip(first17, WEIGHTS, strict=True)) % 11]


def normalize(text: str) -> str:
    """Spaces and dashes out, a lower-case x up (keypads and card readers differ)."""
    return re.sub(r"[\s-]", "", text).upper()


def parse_id_number(text: str, today: dt.date | None = None) -> IdNumber:
    """The checked number, or FieldError('id_number', ...) saying in plain words what is wrong."""
    value = normalize(text)
    if not value:
        raise FieldError(FIELD, "missing", "请输入身份证号。", "Please enter the ID number.")
    if len(value) != 18:
        raise FieldError(FIELD, "length",
                         f"身份证号应该是18位（最后一位可能是X），现在是{len(value)}位。",
                         f"An ID number has 18 characters (the last may be X); this has {len(value)}.")
    if not re.fullmatch(r"\d{17}[\dX]", value):
        raise FieldError(FIELD, "characters", "身份证号只能是数字，最后一位可以是X。",
                         "An ID number has only digits; the last one may be X.")
    if value[:2] not in PROVINCES or value[2:6] == "0000":
        raise FieldError(FIELD, "region", "身份证号的前6位（地区）不对，请核对。",
                         "The first 6 digits (the region) of the ID number are wrong; please check.")
    try:
        born = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        born = None
    if born is None or born < EARLIEST:
        raise FieldError(FIELD, "birth_date", "身份证号第7到14位的出生日期不对，请核对。",
                         "The date of birth in the ID number (digits 7 to 14) is not a real date; "
                         "please check.")
    if born > (today or dt.date.today()):
        raise FieldError(FIELD, "birth_future", "身份证号里的出生日期在今天之后，请核对。",
                         "The date of birth in the ID number is after today; please check.")
    if check_char(value[:17]) != value[17]:
        raise FieldError(FIELD, "check_digit", "身份证号有一位不对（最后一位对不上），请一位一位核对。",
                         "One digit of the ID number is wrong (the last one does not match); "
                         "please check it digit by digit.")
    return IdNumber(value, born, "male" if int(value[16]) % 2 else "female")
