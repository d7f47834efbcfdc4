"""Receiving an application from a kiosk: unseal, check, re-encrypt at rest, store, answer.

Nothing is stored unless every step succeeded. Errors carry the field's name, never a
personal value.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from nacl.exceptions import CryptoError

from central.casework import keys
from central.casework.codes import normalise
from central.casework.deadlines import due_date
from central.casework.kinds import Kind, find_kind
from central.casework.models import Application, AuditEntry
from central.casework.personal import PersonInvalid, check_person
from central.errors import ApiError
from central.fleet.models import Kiosk
from central.org.models import Office


def receiving_body(kiosk: Kiosk, kind: Kind) -> Office:
    """The office in the kiosk's county offering the kind's service (the kiosk's own first)."""
    offices = list(Office.objects.filter(county_id=kiosk.county_id, services__slug=kind.service)
                   .select_related("county").order_by("pk"))
    if not offices:
        raise ApiError(422, "unknown_kind", f"no office in this county takes '{kind.id}' applications")
    offices.sort(key=lambda o: o.pk != kiosk.office_id)
    return offices[0]


def unseal_person(key_id: str, sealed: str) -> Any:
    """The box's JSON. `key_id` only helps to explain a failure: a box that opens was sealed to
    this key whatever id came with it (a kiosk provisioned with the key alone sends "k1")."""
    try:
        plain = keys.unseal(base64.b64decode(sealed, validate=True))
    except (binascii.Error, ValueError, CryptoError):
        why = ("sealed to another key: fetch /api/v1/config and seal again" if key_id != keys.seal_key_id()
               else "the sealed box is damaged or not for this service")
        raise ApiError(422, "unsealable", why) from None
    try:
        return json.loads(plain.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise ApiError(422, "invalid", [{"loc": ["person"], "msg": "the sealed box holds no JSON"}]) from None


def _digest(body: dict[str, Any], person: dict[str, str]) -> str:
    what = {k: v for k, v in body.items() if k not in ("sealed", "key_id")}
    what["person"] = person
    return hashlib.sha256(json.dumps(what, sort_keys=True, default=str).encode()).hexdigest()


def _seal_at_rest(value: dict[str, Any]) -> bytes:
    return keys.encrypt_at_rest(json.dumps(value, ensure_ascii=False).encode())


def receive(kiosk: Kiosk, body: dict[str, Any]) -> Application:
    """Store the application, or return the one already stored under this code from this
    very submission (a resend under a new Idempotency-Key); ApiError otherwise."""
    code = normalise(str(body["code"]))
    if code is None:
        raise ApiError(422, "invalid", [{"loc": ["code"], "msg": "8 characters of Crockford base32"}])
    kind = find_kind(str(body["kind"]))
    if kind is None:
        raise ApiError(422, "unknown_kind", "no such application kind in the published content")
    office = receiving_body(kiosk, kind)
    raw_person = unseal_person(str(body["key_id"]), str(body["sealed"]))
    try:
        person = check_person(raw_person, kind.person, kind.required)
    except PersonInvalid as exc:
        raise ApiError(422, "invalid", [{"loc": ["person", exc.field], "msg": exc.detail}]) from None
    digest = _digest(body, person)
    existing = Application.objects.select_related("office").filter(code=code).first()
    if existing is not None:
        return _same(existing, kiosk, digest)
    created = body["created_at"]
    due = None
    if kind.days is not None:
        start = timezone.localtime(created).date()
        due = due_date(start, kind.days, kind.working_days, office.county)
    app = Application(
        code=code, kind=kind.id, flow=body.get("flow") or "", outcome=body.get("outcome") or "",
        content_version=body.get("content_version") or "", locale=body.get("locale") or "",
        answers=body.get("answers") or {}, consent=body["consent"], kiosk=kiosk, office=office,
        status=Application.WAITING if kind.is_callback else Application.RECEIVED,
        created_at=created, decision_due=due, decision_basis=kind.basis.get("zh-CN", "")[:200],
        retention_days=kind.retention_days, personal=_seal_at_rest(person),
        case_fields=_seal_at_rest(body.get("case") or {}), digest=digest)
    try:
        with transaction.atomic():
            app.save()
            AuditEntry.objects.create(application=app, action="received",
                                      detail={"kiosk": kiosk.code, "fields": sorted(person)})
    except IntegrityError:  # the same code arrived at the same moment on another worker
        existing = Application.objects.select_related("office").filter(code=code).first()
        if existing is None:
            raise
        return _same(existing, kiosk, digest)
    return app


def _same(existing: Application, kiosk: Kiosk, digest: str) -> Application:
    if existing.kiosk_id != kiosk.pk or existing.digest != digest:
        raise ApiError(409, "code_taken", "this code belongs to another application: make a new code")
    return existing
