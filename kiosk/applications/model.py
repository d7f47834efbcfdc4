"""The typed model of an application kind (`content/applications/<kind>.yaml`).

A kind is content, signed and published with the pack like flows, so it is strict in
the same way (unknown keys are errors, objects immutable). It declares everything the
kiosk and the central service must agree on: the receiving service, the personal fields,
the flow variables taken over, the free-text case fields, the statutory decision clock
and the consent the resident gives before anything personal is collected.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from msgspec import Meta, field

from kiosk.flows.model import FlowId, Identifier, LegalBasis, Strict, Text


class PersonField(StrEnum):
    NAME = "name"
    SEX = "sex"
    ETHNICITY = "ethnicity"
    BIRTH_DATE = "birth_date"
    ID_NUMBER = "id_number"
    ADDRESS = "address"
    PHONE = "phone"


#: A person field, or the same with a trailing "?" when the kind can do without it.
PersonEntry = Annotated[str, Meta(pattern=r"^(name|sex|ethnicity|birth_date|id_number|address|phone)\??$")]

#: Personal data that needs the resident's separate consent (个人信息保护法 第二十九条).
SENSITIVE = frozenset({PersonField.ID_NUMBER})


class Decision(Strict, frozen=True, kw_only=True):
    """How long the receiving body has to decide (accept, examine, give aid or not)."""

    days: Annotated[int, Meta(ge=1, le=365)]
    #: Only Monday to Friday count (行政复议法 第八十八条); the central service also skips holidays.
    working_days: bool = False
    basis: LegalBasis
    #: What the body decides in that time, in plain words ("决定是否给予法律援助").
    what: Text


class Consent(Strict, frozen=True, kw_only=True):
    """What the resident is told before agreeing (个人信息保护法 第十四条, 第十七条).

    `version` changes whenever a text changes: a consent record names the text agreed to.
    `id_number` is the separate consent for the ID number (第二十九条, 第三十条: why it
    is needed and what it means for the resident); required when the kind asks for it.
    """

    version: Annotated[str, Meta(pattern=r"^[A-Za-z0-9._-]{1,32}$")]
    what: Text
    whom: Text
    why: Text
    how_long: Text
    rights: Text
    id_number: Text | None = None


class ApplicationKind(Strict, frozen=True, kw_only=True):
    id: FlowId
    title: Text
    #: The receiving service id from the pack's catalogue; the body is the locality's
    #: office offering it.
    service: str
    person: Annotated[list[PersonEntry], Meta(min_length=1)]
    #: Flow variables copied into the case, by name.
    takes: list[Identifier] = field(default_factory=list)
    #: Free-text case fields the form uses, with the question the kiosk asks for each.
    case: dict[Identifier, Text] = field(default_factory=dict)
    #: None for a kind no law puts a clock on (a callback, a mediation request).
    decision: Decision | None = None
    consent: Consent
    #: Days personal data is kept after the application is closed, then purged.
    retention_days: Annotated[int, Meta(ge=1, le=3650)]
    #: The A4 template, relative to the content folder (forms/<kind>.html).
    form: str | None = None

    def __post_init__(self) -> None:
        names = [p.rstrip("?") for p in self.person]
        if len(set(names)) != len(names):
            raise ValueError("a person field is listed twice")
        if PersonField.ID_NUMBER in names and self.consent.id_number is None:
            raise ValueError("the kind asks for the ID number: consent.id_number (the separate "
                             "consent, 个人信息保护法 第二十九条) is required")

    @property
    def required(self) -> tuple[PersonField, ...]:
        return tuple(PersonField(p) for p in self.person if not p.endswith("?"))

    @property
    def optional(self) -> tuple[PersonField, ...]:
        return tuple(PersonField(p[:-1]) for p in self.person if p.endswith("?"))

    @property
    def fields(self) -> tuple[PersonField, ...]:
        return self.required + self.optional

    @property
    def sensitive(self) -> bool:
        return any(f in SENSITIVE for f in self.fields)
