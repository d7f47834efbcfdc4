"""The applicant screens' words and the small pure helpers behind them (no Kivy): which
field comes next, how a value is shown masked, what a printer fault means to a resident.

Field names are spoken and shown; field values are shown (masked once entered) and never
spoken.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection

from kiosk.applications.draft import Draft
from kiosk.applications.model import ApplicationKind, PersonField
from kiosk.slips.data import mask_phone
from kiosk.ui.i18n import N_

#: What a resident enters by hand, in this order (sex and birth date follow from the ID
#: number; the ethnic group is only ever optional and comes from the card).
MANUAL = (PersonField.NAME, PersonField.ID_NUMBER, PersonField.ADDRESS, PersonField.PHONE)
#: What a card gives.
FROM_CARD = (PersonField.NAME, PersonField.SEX, PersonField.ETHNICITY, PersonField.BIRTH_DATE,
             PersonField.ID_NUMBER, PersonField.ADDRESS)
FIELD_NAMES = {
    PersonField.NAME: N_("Name"), PersonField.ID_NUMBER: N_("ID number"),
    PersonField.ADDRESS: N_("Address"), PersonField.PHONE: N_("Mobile number"),
}
PROMPTS = {
    PersonField.NAME: N_("Your name: write it one character at a time, then tap the right character."),
    PersonField.ID_NUMBER: N_("Your ID number: 18 characters, the last may be X."),
    PersonField.ADDRESS: N_("Your address: write it one character at a time, then tap the right character."),
    PersonField.PHONE: N_("Your mobile number, so that staff can reach you."),
}
APPLY_LABELS = {
    "legal-aid": N_("Apply for legal aid here"),
    "callback": N_("Ask staff to call me back"),
    "mediation": N_("Ask for mediation here"),
    "labour-arbitration": N_("Prepare a labour arbitration application here"),
    "admin-reconsideration": N_("Apply for administrative reconsideration here"),
}
A4_FAULTS = {
    "no_a4_printer": N_(
        "There is no A4 printer here: scan the code to keep your application on your phone."),
    "cups_down": N_("The A4 printer is not working, so the form was not printed. Scan the code instead, "
                    "or ask staff."),
    "unknown_printer": N_("The A4 printer is not set up, so the form was not printed. Please ask staff."),
    "disabled": N_("The A4 printer is switched off, so the form was not printed. Please ask staff."),
    "not_accepting": N_(
        "The A4 printer is not taking work now, so the form was not printed. Please ask staff."),
    "job_failed": N_("The A4 printer could not print the form. Scan the code instead, or ask staff."),
    "timeout": N_("The A4 printer did not answer in time. The form may still come out; "
                  "if not, please ask staff."),
}
A4_PRINTED = N_("Please take your A4 form from the printer.")


def next_field(kind_fields: Collection[PersonField], required: Collection[PersonField], draft: Draft,
               skipped: Collection[PersonField]) -> PersonField | None:
    """The next field to ask by hand: a missing required one first, then an optional one
    the resident has not skipped."""
    for field in MANUAL:
        if field in required and not draft.has(field):
            return field
    for field in MANUAL:
        if field in kind_fields and field not in required and not draft.has(field) and field not in skipped:
            return field
    return None


def mask_name(name: str) -> str:
    return name[:1] + "*" * (len(name) - 1) if name else ""


def mask_id(number: str) -> str:
    return number[:3] + "*" * (len(number) - 7) + number[-4:] if len(number) > 7 else "*" * len(number)


def masked(field: str, value: str, t: Callable[[str], str]) -> str:
    """A value as the review shows it: never in full."""
    if field == PersonField.NAME:
        return mask_name(value)
    if field == PersonField.ID_NUMBER:
        return mask_id(value)
    if field == PersonField.PHONE:
        return mask_phone(value)
    return t("(entered)")


def group_id(typed: str) -> str:
    """An ID number as typed, in groups a resident can check against the card: 6 8 4."""
    return " ".join(part for part in (typed[:6], typed[6:14], typed[14:]) if part)


def card_value(card: object, field: PersonField) -> str:
    value = getattr(card, field.value, "")
    return value.isoformat() if isinstance(value, dt.date) else str(value or "")


def apply_label(kind: ApplicationKind, t: Callable[[str], str], chain: list[str]) -> str:
    """"在这里申请法律援助": the outcome's button for a kind."""
    if kind.id in APPLY_LABELS:
        return t(APPLY_LABELS[kind.id])
    return next((kind.title[c] for c in chain if c in kind.title), kind.id)
