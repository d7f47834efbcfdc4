"""Request and response shapes of the kiosk API (docs/api.md); ids are strings."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import AfterValidator

from central.api.bounded import Detail, DeviceState


def _sane_time(value: dt.datetime) -> dt.datetime:
    """A time from a kiosk: real offsets only (PostgreSQL refuses beyond +-15:59), stored as UTC;
    a time without offset is the bureau's local time."""
    if value.tzinfo is None:
        from django.utils import timezone

        value = value.replace(tzinfo=timezone.get_current_timezone())
    offset = value.utcoffset() or dt.timedelta()
    if abs(offset) > dt.timedelta(hours=14):
        raise ValueError("time zone offset out of range")
    if not 2000 <= value.year <= 2200:
        raise ValueError("year out of range")
    return value.astimezone(dt.UTC)


KioskTime = Annotated[dt.datetime, AfterValidator(_sane_time)]


class ErrorOut(Schema):
    error: str
    detail: Any = ""


class IntervalOut(Schema):
    opens: dt.datetime
    closes: dt.datetime


class HoursOut(Schema):
    #: Days from <= day < until (the bureau's dates); outside the intervals the office is closed.
    from_: dt.date = Field(alias="from")
    until: dt.date
    intervals: list[IntervalOut]


class ServiceOut(Schema):
    id: str
    name: dict[str, str]
    prefix: str
    bookable: bool
    #: None: the office has no working plan, its hours are unknown and limit nothing.
    hours: HoursOut | None = None


class SlotOut(Schema):
    id: str
    service: str
    office: str
    start: dt.datetime
    end: dt.datetime
    capacity: int
    booked: int


class BookingIn(Schema):
    slot: str | int
    service: str = Field(max_length=50)
    phone: str = Field(max_length=30)


class BookingOut(Schema):
    code: str
    service: str
    slot: str
    start: dt.datetime
    end: dt.datetime
    phone_masked: str
    office: str
    status: str


class Empty(Schema):
    pass


class TicketIn(Schema):
    service: str = Field(max_length=50)
    priority: Literal["none", "elderly", "disabled"] = "none"
    local_number: str | None = Field(None, max_length=16, pattern=r"^[A-Za-z0-9-]{1,16}$")
    issued_at: KioskTime | None = None


class TicketOut(Schema):
    id: str
    number: str
    service: str
    priority: str
    issued_at: dt.datetime
    people_ahead: int
    wait_minutes: int
    url: str
    status: str
    counter: int | None = None


class PrinterIn(Schema):
    status: str = Field("", max_length=40)
    paper: str = Field("", max_length=20)


class HeartbeatIn(Schema):
    state: str = Field("", max_length=40)
    content_version: str = Field("", max_length=80)
    app_version: str = Field("", max_length=40)
    printer: PrinterIn | None = None
    # Device health as the kiosk reports it: a short word ("ok", "unavailable: ...") or a flag.
    mic: DeviceState = None
    speaker: DeviceState = None
    speech_model: DeviceState = None
    disk_free_mb: float | None = Field(None, allow_inf_nan=False, ge=-1, le=10**10)
    uptime_s: float | None = Field(None, allow_inf_nan=False, ge=0, le=10**10)
    clock: KioskTime | None = None


class CommandOut(Schema):
    id: str
    kind: str


class HeartbeatOut(Schema):
    poll_interval: int
    server_time: dt.datetime
    commands: list[CommandOut] = []


class CommandResultIn(Schema):
    status: Literal["done", "failed", "deferred"]
    detail: str = Field("", max_length=500)
    attachment: str | None = Field(None, max_length=1_400_000)  # base64 of at most 1 MB


class CommandResultOut(Schema):
    id: str
    status: str


class EventIn(Schema):
    kind: Literal["paper_out", "paper_near_end", "printer_offline", "content_verification_failed",
                  "content_stale", "crash_restart", "usage"]
    at: KioskTime
    detail: Detail = {}


class EventOut(Schema):
    id: str


class AnnouncementOut(Schema):
    text: dict[str, str]
    starts: dt.datetime
    ends: dt.datetime
