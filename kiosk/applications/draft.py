"""What one resident has entered for one application: in memory only, behind consent.

Nothing personal is accepted before a consent record exists (个人信息保护法 第十四条),
the ID number not before its separate consent (第二十九条), and withdrawing consent
drops everything collected so far, flow answers included. The draft never shows its
values in a repr or an error, so it cannot leak into a log.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kiosk.applications.errors import ConsentMissing, FieldError
from kiosk.applications.idnumber import parse_id_number
from kiosk.applications.model import ApplicationKind, PersonField
from kiosk.applications.phone import parse_phone

_SEX = {"male": "male", "男": "male", "m": "male", "female": "female", "女": "female", "f": "female"}
_PLAIN_LIMITS = {PersonField.NAME: 50, PersonField.ETHNICITY: 20, PersonField.ADDRESS: 200}
CASE_LIMIT = 2000


@dataclass(frozen=True)
class ConsentRecord:
    version: str
    at: dt.datetime
    #: The separate consent for the ID number (个人信息保护法 第二十九条).
    id_number: bool = False

    def as_json(self) -> dict[str, str]:
        return {"version": self.version, "at": self.at.isoformat(timespec="seconds")}


def _field_name(field: PersonField) -> tuple[str, str]:
    return {
        PersonField.NAME: ("姓名", "name"), PersonField.SEX: ("性别", "sex"),
        PersonField.ETHNICITY: ("民族", "ethnic group"),
        PersonField.BIRTH_DATE: ("出生日期", "date of birth"),
        PersonField.ID_NUMBER: ("身份证号", "ID number"), PersonField.ADDRESS: ("住址", "address"),
        PersonField.PHONE: ("手机号", "mobile number"),
    }[field]


def clean_field(field: PersonField, value: str, today: dt.date | None = None) -> str:
    """The value as it travels (normalised), or FieldError naming the field."""
    text = value.strip() if isinstance(value, str) else ""
    zh, en = _field_name(field)
    if field is PersonField.ID_NUMBER:
        return parse_id_number(text, today).value
    if field is PersonField.PHONE:
        return parse_phone(text)
    if not text:
        raise FieldError(field.value, "missing", f"请填写{zh}。", f"Please give your {en}.")
    if field is PersonField.SEX:
        if text.lower() not in _SEX:
            raise FieldError(field.value, "invalid", "性别请选“男”或“女”。", "Please choose male or female.")
        return _SEX[text.lower()]
    if field is PersonField.BIRTH_DATE:
        try:
            born = dt.date.fromisoformat(text)
        except ValueError:
            born = None
        if born is None or born > (today or dt.date.today()) or born.year < 1900:
            raise FieldError(field.value, "invalid", "出生日期不对，请核对。",
                             "The date of birth is not right; please check.")
        return born.isoformat()
    if len(text) > _PLAIN_LIMITS[field] or re.search(r"[\x00-\x1f]", text):
        raise FieldError(field.value, "invalid", f"{zh}太长或有不能用的字符，请核对。",
                         f"The {en} is too long or has characters that cannot be used; please check.")
    return text


class Draft:
    """One application being filled in; the UI owns one per resident and drops it at idle."""

    def __init__(self, kind: ApplicationKind, *, flow: str = "", outcome: str = "", locale: str = "zh-CN",
                 content_version: str = "", answers: Mapping[str, Any] | None = None) -> None:
        self.kind = kind
        self.flow = flow
        self.outcome = outcome
        self.locale = locale
        self.content_version = content_version
        self._offered = {k: v for k, v in (answers or {}).items() if k in kind.takes}
        self.answers: dict[str, Any] = {}
        self.consent: ConsentRecord | None = None
        self._person: dict[PersonField, str] = {}
        self.case: dict[str, str] = {}

    def __repr__(self) -> str:
        return (f"Draft(kind={self.kind.id!r}, consent={self.consent is not None}, "
                f"fields={sorted(f.value for f in self._person)})")

    # --- consent ----------------------------------------------------------------------------

    def agree(self, at: dt.datetime, *, id_number: bool = False) -> ConsentRecord:
        """The resident agreed to the kind's consent text (and, separately, to the ID number)."""
        if at.tzinfo is None:
            raise ValueError("consent time needs a time zone")
        self.consent = ConsentRecord(self.kind.consent.version, at, id_number)
        self.answers = dict(self._offered)  # flow answers travel only with consent
        return self.consent

    def withdraw(self) -> None:
        """Consent withdrawn: everything collected so far is dropped."""
        self.consent = None
        self.wipe()
        self._offered.clear()

    def wipe(self) -> None:
        self._person.clear()
        self.case.clear()
        self.answers.clear()

    # --- collecting -------------------------------------------------------------------------

    def set_person(self, field: str | PersonField, value: str, today: dt.date | None = None) -> None:
        which = PersonField(field)
        if which not in self.kind.fields:
            raise FieldError(which.value, "not_asked", "这一项这个申请不需要。",
                             "This application does not ask for that.")
        if self.consent is None:
            raise ConsentMissing(which.value)
        if which is PersonField.ID_NUMBER and not self.consent.id_number:
            raise ConsentMissing("id_number (separate consent)")
        self._person[which] = clean_field(which, value, today)
        if which is PersonField.ID_NUMBER:  # sex and birth date follow from the number
            parsed = parse_id_number(self._person[which], today)
            for derived, text in ((PersonField.SEX, parsed.sex),
                                  (PersonField.BIRTH_DATE, parsed.birth_date.isoformat())):
                if derived in self.kind.fields:
                    self._person[derived] = text

    def set_case(self, name: str, text: str) -> None:
        if name not in self.kind.case:
            raise FieldError(name, "not_asked", "这一项这个申请不需要。",
                             "This application does not ask for that.")
        if self.consent is None:
            raise ConsentMissing(name)
        text = text.strip()
        if len(text) > CASE_LIMIT or "\x00" in text:
            raise FieldError(name, "invalid", "内容太长或有不能用的字符。",
                             "Too long, or has characters that cannot be used.")
        if text:
            self.case[name] = text
        else:
            self.case.pop(name, None)

    def has(self, field: PersonField) -> bool:
        return field in self._person

    def missing(self) -> list[PersonField]:
        return [f for f in self.kind.required if f not in self._person]

    def phone(self) -> str | None:
        return self._person.get(PersonField.PHONE)

    def person(self) -> dict[str, str]:
        """The JSON that goes inside the sealed box: only the fields the kind declares."""
        if self.consent is None:
            raise ConsentMissing("person")
        missing = self.missing()
        if missing:
            zh, en = _field_name(missing[0])
            raise FieldError(missing[0].value, "missing", f"还缺{zh}。", f"The {en} is still missing.")
        return {f.value: v for f, v in self._person.items() if f in self.kind.fields}
