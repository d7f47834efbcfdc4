"""Resident ID numbers (GB 11643-1999): the check digit, and whether a number is well formed.

Used by the ID card reader (a decoded number that fails its check digit is a misread card)
and by anything that takes a number typed on the keypad. No personal data is logged here.
"""

from __future__ import annotations

import datetime as dt

#: Weights of the first 17 digits: 2^(17-i) mod 11, as the standard tabulates them.
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
#: Check character for (weighted sum mod 11).
CHECK = "10X98765432"


def check_digit(first17: str) -> str:
    """The 18th character for the first 17 digits ("0"-"9" or "X")."""
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise ValueError("an ID number's check digit needs exactly 17 digits")
    return CHECK[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


def problem(number: str) -> str | None:
    """Why `number` is not a valid 18-character ID number (a short code), or None when it is:
    length, digits, birth_date (not a real date, or in the future), check_digit."""
    number = number.strip().upper()
    if len(number) != 18:
        return "length"
    if not number[:17].isascii() or not number[:17].isdigit() or number[17] not in "0123456789X":
        return "digits"
    try:
        born = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return "birth_date"
    if born > dt.date.today() or born.year < 1850:
        return "birth_date"
    if check_digit(number[:17]) != number[17]:
        return "check_digit"
    return None


def valid(number: str) -> bool:
    return problem(number) is None
