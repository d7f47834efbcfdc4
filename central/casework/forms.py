"""An application's A4 form as a PDF for staff, made by the kiosk's own form code (kiosk.forms,
WeasyPrint) from the published template, so staff see the paper the resident would have signed.

Optional: a tree without the kiosk's form code (or a kind without a form) simply has no PDF.
The kiosk modules are imported by name: they are not needed to run casework.
"""

from __future__ import annotations

import datetime as dt
import importlib
import logging
from types import SimpleNamespace
from typing import Any

from django.utils import timezone

from central.casework.kinds import latest_publication, load_yaml, published_text
from central.casework.models import Application
from central.casework.texts import body_names

log = logging.getLogger(__name__)
_SEX = {"male": "男", "female": "女"}


def _printed(person: dict[str, str]) -> dict[str, str]:
    """As the paper form prints them: 男/女, 1985年3月7日."""
    shown = dict(person)
    if "sex" in shown:
        shown["sex"] = _SEX.get(shown["sex"], shown["sex"])
    if "birth_date" in shown:
        try:
            day = dt.date.fromisoformat(shown["birth_date"])
            shown["birth_date"] = f"{day.year}年{day.month}月{day.day}日"
        except ValueError:
            pass
    return shown


def _published_form(kind_id: str) -> tuple[Any, Any, dict[str, str], int] | None:
    """(kiosk.applications.form, the kind, the form templates, publication version) from the
    latest publication, or None when there is no form to make (no form code, kind or template)."""
    try:
        form = importlib.import_module("kiosk.applications.form")
        model = importlib.import_module("kiosk.applications.model")
        import msgspec
    except ImportError:
        return None
    publication = latest_publication()
    text = published_text(f"applications/{kind_id}.yaml", publication)
    if publication is None or text is None:
        return None
    try:
        kind: Any = msgspec.convert(load_yaml(text), model.ApplicationKind, strict=True)
    except Exception as exc:  # content of another version or shape: no PDF, never a 500
        log.warning("kind %s not usable for a form: %s", kind_id, type(exc).__name__)
        return None
    if not kind.form:
        return None
    templates = {name.split("/", 1)[1]: published_text(name, publication) or ""
                 for name in publication.files if name.startswith("forms/")}
    return form, kind, templates, publication.version


_BLANK: dict[tuple[str, int], bytes] = {}


def blank_form_pdf(kind_id: str) -> bytes | None:
    """The kind's form with nothing filled in (a resident who did not consent, or a kiosk
    without an A4 printer, takes it home by QR). No personal data: public, made once per
    publication."""
    found = _published_form(kind_id)
    if found is None:
        return None
    form, kind, templates, version = found
    if (kind_id, version) not in _BLANK:
        try:
            _BLANK[(kind_id, version)] = bytes(form.application_pdf(templates, kind).pdf)
        except Exception as exc:  # FormError and whatever WeasyPrint raises: a 404 page, not a 500
            log.warning("blank form for %s not made: %s", kind_id, type(exc).__name__)
            return None
    return _BLANK[(kind_id, version)]


def form_pdf(app: Application, person: dict[str, str], case: dict[str, str], status_url: str) -> bytes | None:
    """The filled form, or None when there is none to make (no form code, kind or template)."""
    found = _published_form(app.kind)
    if found is None:
        return None
    form, kind, templates, _version = found
    created = timezone.localtime(app.created_at)
    receipt = SimpleNamespace(
        created_at=created, decision_due=app.decision_due, body=body_names(app),
        decision_what=dict(kind.decision.what) if kind.decision is not None else {},
        basis={"zh-CN": app.decision_basis}, code_display=app.shown_code, url=status_url)
    fields = form.FormFields(person=_printed(person), case=dict(case), answers=dict(app.answers))
    try:
        return bytes(form.application_pdf(templates, kind, fields, receipt).pdf)
    except Exception as exc:  # FormError and whatever WeasyPrint raises: a page, not a 500
        log.warning("form for %s not made: %s", app.kind, type(exc).__name__)
        return None
    finally:
        fields.clear()
