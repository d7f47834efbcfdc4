"""The kiosk API, /api/v1/ (docs/api.md). Thin: the rules live in booking/ and queueing/."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from typing import Any

from django.db import OperationalError, connection
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from central import guesses
from central.api import schemas as s
from central.api.auth import KioskBearer
from central.api.idempotency import busy, is_busy
from central.api.strict_json import NonFiniteNumber, StrictParser
from central.booking import hours as office_hours
from central.booking import logic as booking_logic
from central.booking.models import Booking, Slot, WorkingPlan
from central.booking.slots import ensure_slots
from central.casework.api import router as casework_router
from central.conf import conf
from central.errors import ApiError
from central.fleet import commands as fleet_commands
from central.fleet.models import Kiosk
from central.insight import api as insight_api
from central.insight import uptime
from central.org.models import Office, Service
from central.org.scope import mask_phone
from central.publishing.models import Announcement
from central.queueing import logic as queue_logic
from central.queueing import provisional
from central.queueing.models import Ticket

api = NinjaAPI(title="legal-kiosk central", version="1", urls_namespace="kiosk-api",
               auth=KioskBearer(), docs_url=None, parser=StrictParser())
api.add_router("/", casework_router)  # /config and /applications (central/casework/api.py)
api.add_router("/", insight_api.router)  # /rating-callbacks (central/insight/api.py)
ERRORS: dict[int | str, Any] = {401: s.ErrorOut, 404: s.ErrorOut, 409: s.ErrorOut, 422: s.ErrorOut}


def _json_error(request: HttpRequest, status: int, code: str, detail: Any = "", **extra: Any) -> HttpResponse:
    return api.create_response(request, {"error": code, "detail": detail, **extra}, status=status)


@api.exception_handler(ApiError)
def _api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    response = _json_error(request, exc.status, exc.code, exc.detail, **exc.extra)
    if isinstance(exc, guesses.TooManyGuesses):
        response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(AuthenticationError)
def _unauthorized(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _json_error(request, 401, "unauthorized", "missing, unknown or revoked kiosk token")


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    detail = [{"loc": list(e.get("loc", ())), "msg": str(e.get("msg", ""))} for e in exc.errors]
    return _json_error(request, 422, "invalid", detail)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc.__cause__, NonFiniteNumber):
        return _json_error(request, 422, "non_finite_number", str(exc.__cause__))
    if exc.status_code == 400:  # an unparsable body is bad input like any other
        return _json_error(request, 422, "invalid", str(exc))
    return _json_error(request, exc.status_code, "http_error", str(exc))


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _json_error(request, 404, "not_found", "no such thing")


@api.exception_handler(OperationalError)
def _database(request: HttpRequest, exc: OperationalError) -> HttpResponse:
    if is_busy(exc):
        return busy()
    raise exc


def _kiosk(request: HttpRequest) -> Kiosk:
    kiosk = getattr(request, "auth", None)
    assert isinstance(kiosk, Kiosk)
    return kiosk


def _local(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value)


def _offices(kiosk: Kiosk, service: Service) -> list[Office]:
    offices = list(Office.objects.filter(county_id=kiosk.county_id, services=service))
    if kiosk.office_id and any(o.pk == kiosk.office_id for o in offices):
        offices.sort(key=lambda o: o.pk != kiosk.office_id)  # the kiosk's own office first
    return offices


def _service(kiosk: Kiosk, slug: str) -> Service:
    service = Service.objects.filter(slug=slug).first()
    if service is None or not _offices(kiosk, service):
        raise ApiError(404, "unknown_service", "no such service in this county")
    return service


def booking_out(booking: Booking) -> dict[str, Any]:
    return {"code": booking.code, "service": booking.service.slug, "slot": str(booking.slot_id),
            "start": _local(booking.slot.start), "end": _local(booking.slot.end),
            "phone_masked": mask_phone(booking.phone), "office": booking.office.name,
            "status": booking.status}


def public_url(request: HttpRequest, path: str) -> str:
    base = conf("PUBLIC_URL") or ""
    return f"{base.rstrip('/')}{path}" if base else request.build_absolute_uri(path)


def ticket_out(request: HttpRequest, ticket: Ticket) -> dict[str, Any]:
    # A ticket just issued carries its estimate, made before its number was taken.
    estimate = getattr(ticket, "estimate", None)
    if estimate is None:
        ahead = queue_logic.people_ahead(ticket)
        estimate = (ahead, queue_logic.wait_minutes(ticket, ahead))
    return {"id": ticket.public_id, "number": ticket.number, "service": ticket.service.slug,
            "priority": ticket.priority, "issued_at": _local(ticket.issued_at), "people_ahead": estimate[0],
            "wait_minutes": estimate[1],
            "url": public_url(request, f"/q/{ticket.public_id}"), "status": ticket.status,
            "counter": ticket.counter.number if ticket.counter else None}


@api.get("/services", response={200: list[s.ServiceOut], 401: s.ErrorOut}, by_alias=True)
def services(request: HttpRequest) -> Any:
    kiosk = _kiosk(request)
    offered = Service.objects.filter(office__county_id=kiosk.county_id).distinct()
    planned = set(WorkingPlan.objects.filter(office__county_id=kiosk.county_id)
                  .values_list("service_id", flat=True))
    return [{"id": x.slug, "name": x.names(), "prefix": x.prefix,
             "bookable": x.bookable and x.pk in planned,
             "hours": office_hours.kiosk_hours(_offices(kiosk, x)[0], x)} for x in offered]


@api.get("/slots", response={200: list[s.SlotOut], **ERRORS})
def slots(request: HttpRequest, service: str, date: dt.date | None = None) -> Any:
    kiosk = _kiosk(request)
    svc = _service(kiosk, service)
    today = timezone.localdate()
    horizon = conf("BOOKING_DAYS")
    if date is None:
        days = [today + dt.timedelta(days=i) for i in range(horizon)]
    elif today <= date < today + dt.timedelta(days=60):
        days = [date]
    else:
        days = []
    plans = WorkingPlan.objects.filter(office__in=_offices(kiosk, svc), service=svc)
    if not svc.bookable or not days:
        return []
    ensure_slots(plans, days)
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(days[0], dt.time(0), tz)
    end = dt.datetime.combine(days[-1] + dt.timedelta(days=1), dt.time(0), tz)
    found = (Slot.objects.filter(plan__in=plans, start__gte=max(start, timezone.now()), start__lt=end)
             .select_related("office"))
    return [{"id": str(x.pk), "service": svc.slug, "office": x.office.name, "start": _local(x.start),
             "end": _local(x.end), "capacity": x.capacity, "booked": x.booked}
            for x in found.order_by("start", "pk")]


def _slot_id(value: str | int) -> int:
    try:
        number = int(value)
    except ValueError:
        raise ApiError(404, "unknown_slot", "no such slot") from None
    if not 0 < number < 2**62:
        raise ApiError(404, "unknown_slot", "no such slot")
    return number


@api.post("/bookings", response={201: s.BookingOut, **ERRORS})
def book(request: HttpRequest, body: s.BookingIn) -> Any:
    booking = booking_logic.book(_kiosk(request), _slot_id(body.slot), body.service, body.phone)
    return 201, booking_out(booking)


@api.post("/bookings/{code}/cancel", response={200: s.BookingOut, **ERRORS})
def cancel(request: HttpRequest, code: str, body: s.Empty | None = None) -> Any:
    kiosk = _kiosk(request)
    with guesses.guard("kiosk", str(kiosk.pk)):
        return 200, booking_out(booking_logic.cancel(code[:20], kiosk))


@api.post("/bookings/{code}/checkin", response={201: s.TicketOut, **ERRORS})
def checkin(request: HttpRequest, code: str, body: s.Empty | None = None) -> Any:
    kiosk = _kiosk(request)
    with guesses.guard("kiosk", str(kiosk.pk)):
        ticket = booking_logic.check_in(code[:20], kiosk)
    return 201, ticket_out(request, ticket)


@api.post("/tickets", response={201: s.TicketOut, **ERRORS})
def take_ticket(request: HttpRequest, body: s.TicketIn) -> Any:
    kiosk = _kiosk(request)
    provisional.check(kiosk, body.local_number, body.issued_at, now=office_hours.now())
    svc = _service(kiosk, body.service)
    office = _offices(kiosk, svc)[0]
    if office_hours.limited():  # an offline ticket is judged at the time it was issued
        office_hours.require_open(office, svc, body.issued_at if body.local_number and body.issued_at
                                  else office_hours.now())
    ticket = queue_logic.issue_ticket(office, svc, body.priority, kiosk,
                                      local_number=body.local_number, issued_at=body.issued_at)
    return 201, ticket_out(request, ticket)


@api.get("/tickets/{ticket_id}", response={200: s.TicketOut, **ERRORS})
def ticket(request: HttpRequest, ticket_id: str) -> Any:
    kiosk = _kiosk(request)
    found = (Ticket.objects.select_related("service", "counter")
             .filter(public_id=ticket_id[:20], office__county_id=kiosk.county_id).first())
    if found is None:
        raise ApiError(404, "unknown_ticket", "no such ticket")
    return 200, ticket_out(request, found)


@api.post("/heartbeat", response={200: s.HeartbeatOut, **ERRORS})
def heartbeat(request: HttpRequest, body: s.HeartbeatIn) -> Any:
    kiosk = _kiosk(request)
    if connection.vendor == "postgresql":
        # A heartbeat lost in a crash is replaced by the next one a minute later: no need to
        # wait for the disk flush on commit (this transaction only; bookings still wait).
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
    now = timezone.now()
    printer = body.printer or s.PrinterIn(status="", paper="")
    health = body.model_dump(exclude={"state", "content_version", "app_version", "printer"}, mode="json")
    Kiosk.objects.filter(pk=kiosk.pk).update(
        last_heartbeat=now, state=body.state, content_version=body.content_version,
        app_version=body.app_version, printer_status=printer.status, paper=printer.paper,
        health=health)
    uptime.beat(kiosk, now)
    return 200, {"poll_interval": conf("HEARTBEAT_POLL_S"), "server_time": _local(now),
                 "commands": fleet_commands.pending(kiosk)}


@api.post("/commands/{command_id}/result", response={200: s.CommandResultOut, **ERRORS})
def command_result(request: HttpRequest, command_id: str, body: s.CommandResultIn) -> Any:
    attachment = None
    if body.attachment is not None:
        try:
            attachment = base64.b64decode(body.attachment, validate=True)
        except (binascii.Error, ValueError):
            raise ApiError(422, "bad_attachment", "attachment is not base64") from None
    command = fleet_commands.record_result(_kiosk(request), command_id, body.status, body.detail,
                                           attachment)
    return 200, {"id": str(command.id), "status": command.status}


@api.post("/events", response={200: insight_api.BatchOut, 201: s.EventOut, 413: s.ErrorOut, **ERRORS})
def event(request: HttpRequest) -> Any:
    """One device event (201), or a batch of usage events (200; central/insight/api.py)."""
    return insight_api.events(request, _kiosk(request))


@api.get("/announcements", response={200: list[s.AnnouncementOut], 401: s.ErrorOut})
def announcements(request: HttpRequest) -> Any:
    kiosk = _kiosk(request)
    now = timezone.now()
    shown = Announcement.objects.filter(Q(county_id=kiosk.county_id), starts__lte=now, ends__gt=now)
    return [{"text": {"zh-CN": a.text_zh, "en": a.text_en or a.text_zh}, "starts": _local(a.starts),
             "ends": _local(a.ends)} for a in shown]
