"""The personal fields of an application: what may arrive in the sealed box, checked.

Values never go into logs or error details: a problem names the field, never its value.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

FIELDS = ("name", "sex", "ethnicity", "birth_date", "id_number", "address", "phone")
SEXES = ("male", "female")
MAX_LEN = {"name": 50, "sex": 10, "ethnicity": 20, "birth_date": 10, "id_number": 18,
           "address": 200, "phone": 20}
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK = "10X98765432"
ID_RE = re.compile(r"^\d{17}[\dX]$")
MOBILE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE = re.compile(r"^0\d{9,11}$")


class PersonInvalid(ValueError):
    """A personal field missing or malformed; `field` names it, the value is never kept."""

    def __init__(self, field: str, detail: str) -> None:
        super().__init__(f"{field}: {detail}")
        self.field = field
        self.detail = detail


def id_check_digit(first17: str) -> str:
    """GB 11643-1999: weighted sum of the first 17 digits, modulo 11, mapped to 1 0 X 9 … 2."""
    return CHECK[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


def id_number_ok(value: str) -> bool:
    if not ID_RE.match(value):
        return False
    try:
        born = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return False
    return dt.date(1890, 1, 1) <= born <= dt.date.today() and id_check_digit(value[:17]) == value[17]


def clean_phone(value: str) -> str:
    return re.sub(r"[\s()-]", "", value)


def phone_ok(value: str) -> bool:
    return bool(MOBILE.match(value) or LANDLINE.match(value))


def check_person(person: Any, declared: Iterable[str], required: Iterable[str]) -> dict[str, str]:
    """The person's fields the kind declares, normalised; PersonInvalid naming the first bad one
    (a required field missing, or a field malformed). Fields the kind does not declare are
    dropped, not stored: collect no more than needed."""
    if not isinstance(person, dict):
        raise PersonInvalid("person", "the sealed box must hold a JSON object")
    wanted = [f for f in declared if f in FIELDS]
    needed = set(required)
    clean: dict[str, str] = {}
    for field in wanted:
        value = person.get(field)
        if value is None or (isinstance(value, str) and not value.strip()):
            if field in needed:
                raise PersonInvalid(field, "missing")
            continue
        if not isinstance(value, str):
            raise PersonInvalid(field, "must be text")
        value = value.strip()
        if len(value) > MAX_LEN[field] or any(ord(c) < 32 for c in value):
            raise PersonInvalid(field, "too long or holds control characters")
        if field == "id_number":
            value = value.upper()
            if not id_number_ok(value):
                raise PersonInvalid(field, "not a valid resident ID number (GB 11643 check digit)")
        elif field == "phone":
            value = clean_phone(value)
            if not phone_ok(value):
                raise PersonInvalid(field, "not a mainland mobile (11 digits) or landline number")
        elif field == "sex":
            if value not in SEXES:
                raise PersonInvalid(field, "male or female")
        elif field == "birth_date":
            try:
                dt.date.fromisoformat(value)
            except ValueError:
                raise PersonInvalid(field, "not a date (YYYY-MM-DD)") from None
        clean[field] = value
    return clean


def mask_name(name: str) -> str:
    """张* / 欧阳** : the first character only."""
    return name[:1] + "*" * max(len(name) - 1, 1) if name else ""


def mask_id(value: str) -> str:
    return f"{value[:3]}{'*' * 11}{value[-4:]}" if len(value) == 18 else "*" * len(value)
