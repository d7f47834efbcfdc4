"""Mobile numbers: the same rule the booking desk applies (kiosk.services.local_desk.PHONE)."""

from __future__ import annotations

import re

from kiosk.applications.errors import FieldError
from kiosk.services.local_desk import PHONE

FIELD = "phone"


def parse_phone(text: str) -> str:
    """11 digits starting 13-19, with spaces, dashes and a +86 prefix taken off."""
    digits = re.sub(r"[\s()-]", "", text)
    if digits.startswith("+86"):
        digits = digits[3:]
    if not digits:
        raise FieldError(FIELD, "missing", "请输入手机号。", "Please enter a mobile number.")
    if not PHONE.match(digits):
        raise FieldError(FIELD, "bad_phone", "手机号应该是1开头的11位数字，请核对。",
                         "A mobile number has 11 digits and starts with 1; please check.")
    return digits


def last4(phone: str) -> str:
    return phone[-4:]
