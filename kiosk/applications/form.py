"""An application's A4 form: what the resident gave, in the words the paper form uses.

The draft is wiped as soon as it is sealed, and the form should carry the application's
code and due date, which exist only after submission: so the form's fields are captured
from the draft first (`capture`), the application submitted, and the form rendered from
the capture and the receipt (`application_pdf`); the caller drops the capture after. A
resident who did not consent gets the blank form: no capture, no receipt.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kiosk.applications.draft import Draft
from kiosk.applications.model import ApplicationKind

if TYPE_CHECKING:  # WeasyPrint loads only when a form is made
    from kiosk.applications.submit import Receipt
    from kiosk.forms.render import RenderedForm

_SEX = {"male": "男", "female": "女"}


@dataclass
class FormFields:
    """The form's values, for one render; `clear()` when done (it holds personal data)."""

    person: dict[str, str] = field(default_factory=dict)
    case: dict[str, str] = field(default_factory=dict)
    answers: dict[str, Any] = field(default_factory=dict)

    def __repr__(self) -> str:
        return f"FormFields(person={sorted(self.person)}, case={sorted(self.case)})"

    def clear(self) -> None:
        self.person.clear()
        self.case.clear()
        self.answers.clear()


def _chinese_date(value: str) -> str:
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return value
    return f"{day.year}年{day.month}月{day.day}日"


def capture(draft: Draft) -> FormFields:
    """The draft's values as the paper form prints them (男/女, 1961年4月2日)."""
    person = dict(draft.person())
    if "sex" in person:
        person["sex"] = _SEX.get(person["sex"], person["sex"])
    if "birth_date" in person:
        person["birth_date"] = _chinese_date(person["birth_date"])
    return FormFields(person=person, case=dict(draft.case), answers=dict(draft.answers))


def application_pdf(templates: Mapping[str, str], kind: ApplicationKind, fields: FormFields | None = None,
                    receipt: Receipt | None = None) -> RenderedForm:
    """The kind's form, filled (with its code, body and due date) or blank."""
    from kiosk.forms.context import FormMeta, chinese_date, form_context
    from kiosk.forms.render import FormError, make_form

    if not kind.form:
        raise FormError("no_template", f"application kind {kind.id!r} has no form")
    meta = FormMeta(title=kind.title.get("zh-CN", kind.id))
    if receipt is not None:
        created = receipt.created_at
        due = receipt.decision_due
        decision = (f"{receipt.body.get('zh-CN', '')}{receipt.decision_what.get('zh-CN', '')}，"
                    f"期限到{due.year}年{due.month}月{due.day}日（{receipt.basis.get('zh-CN', '')}）。"
                    if due else "")
        meta = FormMeta(title=meta.title, body=receipt.body.get("zh-CN", ""),
                        code_display=receipt.code_display, status_url=receipt.url, decision=decision,
                        date=chinese_date(created.year, created.month, created.day))
    fields = fields or FormFields()
    context = form_context(meta, fields.person, fields.case, fields.answers)
    return make_form(templates, kind.form.rsplit("/", 1)[-1], context)
