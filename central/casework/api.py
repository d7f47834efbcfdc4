"""The applications part of the kiosk API (docs/api.md, "Applications (issue 13)")."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema
from pydantic import AfterValidator

from central.api.schemas import ErrorOut, KioskTime
from central.casework import keys
from central.casework.codes import normalise
from central.casework.intake import receive
from central.casework.models import Application, LookupMiss
from central.casework.texts import body_names, next_step, status_text
from central.conf import conf
from central.errors import ApiError
from central.fleet.models import Kiosk

router = Router()
ERRORS: dict[int | str, Any] = {401: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut, 429: ErrorOut}
MISSES_PER_HOUR = 10
Name = Annotated[str, Field(max_length=48, pattern=r"^[A-Za-z0-9_.-]+$")]
Scalar = Annotated[str, Field(max_length=500)] | int | float | bool | None


def _at_most(n: int) -> Any:
    def check(value: dict[str, Any]) -> dict[str, Any]:
        if len(value) > n:
            raise ValueError(f"at most {n} entries")
        return value
    return AfterValidator(check)


class ConsentIn(Schema):
    version: str = Field(max_length=40)
    at: KioskTime


class ApplicationIn(Schema):
    code: str = Field(max_length=12)
    kind: str = Field(max_length=48)
    flow: str = Field("", max_length=48)
    outcome: str = Field("", max_length=48)
    content_version: str = Field("", max_length=80)
    locale: str = Field("", max_length=10)
    answers: Annotated[dict[Name, Scalar], _at_most(100)] = {}
    case: Annotated[dict[Name, Annotated[str, Field(max_length=4000)]], _at_most(20)] = {}
    consent: ConsentIn
    created_at: KioskTime
    key_id: str = Field(max_length=40)
    #: A sealed box of the person's fields: a few hundred bytes; 16 KB is plenty.
    sealed: str = Field(max_length=16384)


class ApplicationOut(Schema):
    code: str
    kind: str
    status: str
    received_at: dt.datetime
    decision_due: dt.date | None
    body: dict[str, str]
    url: str


class StatusOut(Schema):
    code: str
    kind: str
    status: str
    status_text: dict[str, str]
    next_step: dict[str, str]
    decision_due: dt.date | None
    body: dict[str, str]
    updated_at: dt.datetime


class ConfigOut(Schema):
    public_base_url: str
    seal_public_key: str
    seal_key_id: str
    server_time: dt.datetime


def public_base_url(request: HttpRequest) -> str:
    """CENTRAL_PUBLIC_URL when set, else the scheme and host the request came in on."""
    base = conf("PUBLIC_URL") or ""
    return base.rstrip("/") if base else request.build_absolute_uri("/").rstrip("/")


def _kiosk(request: HttpRequest) -> Kiosk:
    kiosk = getattr(request, "auth", None)
    assert isinstance(kiosk, Kiosk)
    return kiosk


@router.get("/config", response={200: ConfigOut}, auth=None)
def config(request: HttpRequest) -> Any:
    return {"public_base_url": public_base_url(request), "seal_public_key": keys.seal_public_b64(),
            "seal_key_id": keys.seal_key_id(), "server_time": timezone.localtime()}


@router.post("/applications", response={201: ApplicationOut, **ERRORS})
def submit(request: HttpRequest, body: ApplicationIn) -> Any:
    data = json.loads(body.model_dump_json())
    data["created_at"] = body.created_at
    app = receive(_kiosk(request), data)
    return 201, {"code": app.code, "kind": app.kind, "status": app.status,
                 "received_at": timezone.localtime(app.received_at), "decision_due": app.decision_due,
                 "body": body_names(app), "url": f"{public_base_url(request)}/a/{app.code}"}


def _hour() -> dt.datetime:
    return timezone.now().replace(minute=0, second=0, microsecond=0)


def _missed(kiosk: Kiosk) -> None:
    hour = _hour()
    with transaction.atomic():
        try:
            with transaction.atomic():
                LookupMiss.objects.create(kiosk=kiosk, hour=hour, count=1)
        except IntegrityError:
            LookupMiss.objects.filter(kiosk=kiosk, hour=hour).update(count=F("count") + 1)


def _phone_matches(app: Application, last4: str) -> bool:
    from central.casework.logic import person_of  # decrypts; no person sees it, so not audited

    phone = person_of(app).get("phone", "")
    return len(last4) == 4 and last4.isdigit() and phone[-4:] == last4


@router.get("/applications/{code}", response={200: StatusOut, **ERRORS})
def status(request: HttpRequest, code: str, phone_last4: str = "") -> Any:
    kiosk = _kiosk(request)
    if LookupMiss.objects.filter(kiosk=kiosk, hour=_hour(), count__gte=MISSES_PER_HOUR).exists():
        raise ApiError(429, "rate_limited", "too many unknown codes from this kiosk: try again in an hour")
    wanted = normalise(code)
    app = (Application.objects.select_related("office").filter(code=wanted).first()
           if wanted else None)
    if app is None or not _phone_matches(app, phone_last4[:8]):
        _missed(kiosk)
        raise ApiError(404, "unknown_code", "no application with this code and phone number")
    return 200, {"code": app.code, "kind": app.kind, "status": app.status, "status_text": status_text(app),
                 "next_step": next_step(app), "decision_due": app.decision_due, "body": body_names(app),
                 "updated_at": timezone.localtime(app.updated_at)}
