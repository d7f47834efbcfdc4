"""POST /api/v1/events (a batch of usage events, or one device event as before) and
POST /api/v1/rating-callbacks (docs/api.md). Mounted on the kiosk API in central/api/views.py."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any, Literal

import pydantic
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import ValidationError
from pydantic import Field

from central.api import schemas as s
from central.api.strict_json import NonFiniteNumber, loads
from central.errors import ApiError
from central.fleet.models import Kiosk, KioskEvent
from central.insight import followup
from central.insight.ingest import MAX_EVENTS, BatchTooLarge, ingest
from central.insight.kinds import REASONS

router = Router(tags=["insight"])


class RejectedOut(Schema):
    index: int
    error: str


class BatchOut(Schema):
    accepted: int
    duplicates: int
    rejected: list[RejectedOut]


class CallbackIn(Schema):
    rating: uuid.UUID
    level: Literal[1, 2]
    reasons: Annotated[list[Literal[REASONS]], Field(max_length=len(REASONS))] = []  # type: ignore[valid-type]
    phone: Annotated[str, Field(max_length=20)]
    consent: bool
    at: s.KioskTime


class CallbackOut(Schema):
    id: str


def _device_event(kiosk: Kiosk, payload: Any) -> tuple[int, dict[str, Any]]:
    try:
        body = s.EventIn.model_validate(payload)
    except pydantic.ValidationError as exc:
        raise ValidationError([dict(e) for e in exc.errors()]) from None
    created = KioskEvent.objects.create(kiosk=kiosk, kind=body.kind, at=body.at, detail=body.detail)
    if body.kind in ("paper_out", "paper_near_end"):
        Kiosk.objects.filter(pk=kiosk.pk).update(paper=body.kind.removeprefix("paper_"))
    return 201, {"id": str(created.pk)}


def events(request: HttpRequest, kiosk: Kiosk) -> tuple[int, dict[str, Any]]:
    """A body with `events` is a batch (200); any other body is one device event (201)."""
    try:
        payload = loads(request.body)
    except NonFiniteNumber as exc:
        raise ApiError(422, "non_finite_number", str(exc)) from None
    except ValueError:
        raise ApiError(422, "invalid", "the body is not JSON (请求内容不是 JSON)") from None
    if not (isinstance(payload, dict) and "events" in payload):
        return _device_event(kiosk, payload)
    if set(payload) - {"events"}:
        raise ApiError(422, "invalid", "a batch holds only `events` (批量只含 events)")
    try:
        return 200, ingest(kiosk, payload["events"])
    except BatchTooLarge as exc:
        raise ApiError(413, "too_many_events",
                       f"{exc} (每批最多 {MAX_EVENTS} 条；请分批发送)") from None
    except ValueError:
        raise ApiError(422, "invalid", "events must be a list (events 须为列表)") from None


@router.post("/rating-callbacks", response={201: CallbackOut, 401: s.ErrorOut, 422: s.ErrorOut})
def rating_callback(request: HttpRequest, body: CallbackIn) -> Any:
    kiosk = getattr(request, "auth", None)
    assert isinstance(kiosk, Kiosk)
    if body.consent is not True:
        raise ApiError(422, "no_consent", "a call back needs the resident's consent (回访须经本人同意)")
    phone = body.phone.replace(" ", "").replace("-", "")
    if not followup.MOBILE.match(phone):
        raise ApiError(422, "bad_phone", "not a mainland mobile number (不是有效的手机号码)")
    if body.at < dt.datetime.now(dt.UTC) - dt.timedelta(days=90):
        raise ApiError(422, "too_old", "the rating is older than 90 days (评价已超过 90 天)")
    task = followup.create(kiosk, body.rating, body.level, list(body.reasons), phone, body.at)
    return 201, {"id": str(task.pk)}
