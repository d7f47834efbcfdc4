"""Sealing (a round trip with a keypair; the kiosk cannot open its own box) and the
consent rules of a draft (nothing personal before consent; withdrawal drops everything)."""

from __future__ import annotations

import datetime as dt

import pytest

from kiosk.applications.deadline import CHINA
from kiosk.applications.draft import Draft
from kiosk.applications.errors import ConsentMissing, FieldError
from kiosk.applications.sealing import SealKeyError, new_keypair, public_key, seal, unseal
from kiosk.content.bundle import Bundle

PERSON = {"name": "王小明", "id_number": "11010519491231002X", "phone": "13812345678",
          "address": "示范县城关镇幸福路1号"}
NOW = dt.datetime(2026, 11, 22, 10, 0, tzinfo=CHINA)


def test_sealed_person_opens_only_with_the_private_key() -> None:
    private, public = new_keypair()
    sealed = seal(PERSON, public)
    assert unseal(sealed, private) == PERSON
    for value in PERSON.values():
        assert value not in sealed
    other, _ = new_keypair()
    with pytest.raises(SealKeyError):
        unseal(sealed, other)  # what the kiosk (without the central key) can do: nothing
    assert seal(PERSON, public) != sealed  # a fresh ephemeral key each time


def test_a_bad_key_is_refused_plainly() -> None:
    with pytest.raises(SealKeyError, match="32"):
        public_key("AAAA")
    with pytest.raises(SealKeyError, match="base64"):
        public_key("not base64!")


def test_nothing_personal_is_accepted_before_consent(bundle: Bundle) -> None:
    draft = Draft(bundle.applications["legal-aid"], answers={"matter": "civil", "secret": 1})
    with pytest.raises(ConsentMissing):
        draft.set_person("phone", PERSON["phone"])
    with pytest.raises(ConsentMissing):
        draft.set_case("facts", "欠薪")
    with pytest.raises(ConsentMissing):
        draft.person()
    assert draft.answers == {}  # flow answers travel only with consent
    draft.agree(NOW)  # the general consent, but not the separate one for the ID number
    assert draft.answers == {"matter": "civil"}  # only what the kind takes
    draft.set_person("phone", PERSON["phone"])
    with pytest.raises(ConsentMissing, match="separate"):
        draft.set_person("id_number", PERSON["id_number"])


def test_the_id_number_fills_sex_and_birth_date_and_repr_shows_no_value(bundle: Bundle) -> None:
    draft = Draft(bundle.applications["legal-aid"])
    draft.agree(NOW, id_number=True)
    for field in ("name", "id_number", "phone", "address"):
        draft.set_person(field, PERSON[field])
    person = draft.person()
    assert person["sex"] == "female" and person["birth_date"] == "1949-12-31"
    assert "ethnicity" not in person  # optional, not given
    for value in PERSON.values():
        assert value not in repr(draft)


def test_a_missing_field_is_named(bundle: Bundle) -> None:
    draft = Draft(bundle.applications["legal-aid"])
    draft.agree(NOW, id_number=True)
    draft.set_person("phone", PERSON["phone"])
    with pytest.raises(FieldError) as info:
        draft.person()
    assert info.value.field == "name"


def test_withdrawing_consent_drops_everything_collected(bundle: Bundle) -> None:
    draft = Draft(bundle.applications["legal-aid"], answers={"matter": "civil"})
    draft.agree(NOW, id_number=True)
    for field in ("name", "id_number", "phone", "address"):
        draft.set_person(field, PERSON[field])
    draft.set_case("facts", "老板欠了三个月工资")
    draft.withdraw()
    assert draft.consent is None and draft.case == {} and draft.answers == {}
    assert draft.missing() == list(draft.kind.required)
    with pytest.raises(ConsentMissing):
        draft.person()
    draft.agree(NOW)  # agreeing again does not bring the old answers back
    assert draft.answers == {}


def test_callback_needs_only_the_phone(bundle: Bundle) -> None:
    kind = bundle.applications["callback"]
    assert [f.value for f in kind.required] == ["phone"] and [f.value for f in kind.optional] == ["name"]
    assert not kind.sensitive and kind.decision is None
    draft = Draft(kind)
    draft.agree(NOW)
    with pytest.raises(FieldError, match="does not ask"):
        draft.set_person("id_number", PERSON["id_number"])
    draft.set_person("phone", "+86 138-1234-5678")
    assert draft.person() == {"phone": "13812345678"}


def test_a_bad_phone_is_named() -> None:
    from kiosk.applications.phone import parse_phone

    for bad in ("12345", "23812345678", "138123456789"):
        with pytest.raises(FieldError) as info:
            parse_phone(bad)
        assert info.value.field == "phone"
