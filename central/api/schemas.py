"""Request and response shapes of the kiosk API (docs/api.md); ids are strings."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Field, Schema


class ErrorOut(Schema):
    error: str
    detail: Any = ""


class ServiceOut(Schema):
    id: str
    name: dict[str, str]
    prefix: str
    bookable: bool


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
    issued_at: dt.datetime | None = None


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
    printer: PrinterIn = PrinterIn()
    mic: str | bool | None = None
    speaker: str | bool | None = None
    speech_model: str | bool | None = None
    disk_free_mb: float | None = None
    uptime_s: float | None = None
    clock: dt.datetime | None = None


class HeartbeatOut(Schema):
    poll_interval: int
    server_time: dt.datetime


class EventIn(Schema):
    kind: Literal["paper_out", "paper_near_end", "printer_offline", "content_verification_failed",
                  "content_stale", "crash_restart", "usage"]
    at: dt.datetime
    detail: dict[str, Any] = {}


class EventOut(Schema):
    id: str


class AnnouncementOut(Schema):
    text: dict[str, str]
    starts: dt.datetime
    ends: dt.datetime
