"""A desk that lives in this kiosk's memory: services, slots, bookings and queue tickets.

It serves until the central service and its connector are configured (bootstrap picks
which). Services come from the content pack's catalogue, offered where the locality has an
office for them; slots are cut from the configured office hours; capacity and the
per-phone limit are enforced under one lock; ticket numbers count per service prefix and
per day (A001, A002...), and only within those hours (OfficeClosed outside them; checking
in a booking is not refused for hours). Nothing survives a restart: it is a stand-in, not a
record. It keeps no phone number: a keyed digest counts bookings per phone, the booking
holds it masked.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

import msgspec

from kiosk.content.bundle import Bundle
from kiosk.ports import Booking, BookingRefused, DeskService, OfficeClosed, Priority, Slot, SlotFull, Ticket
from kiosk.services.office_hours import Hours, WeeklyHours
from kiosk.slips.data import mask_phone

PHONE = re.compile(r"^1[3-9]\d{9}$")
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


@dataclass(frozen=True)
class DeskHours:
    """`[desk]` in the config: when slots are offered and how many people each takes."""

    periods: tuple[tuple[dt.time, dt.time], ...] = (
        (dt.time(9, 0), dt.time(12, 0)), (dt.time(14, 0), dt.time(17, 0)))
    weekdays: frozenset[int] = frozenset({0, 1, 2, 3, 4})  # Monday = 0
    slot_minutes: int = 30
    capacity: int = 2
    days_ahead: int = 7
    phone_limit: int = 2

    @classmethod
    def from_config(cls, raw: dict[str, object]) -> DeskHours:
        def period(text: str) -> tuple[dt.time, dt.time]:
            start, end = text.split("-")
            return dt.time.fromisoformat(start.strip()), dt.time.fromisoformat(end.strip())

        base = cls()
        periods = raw.get("hours")
        days = raw.get("weekdays")
        return cls(
            periods=tuple(period(str(p)) for p in periods) if isinstance(periods, list) else base.periods,
            weekdays=frozenset(int(d) - 1 for d in days) if isinstance(days, list) else base.weekdays,
            slot_minutes=int(str(raw.get("slot_minutes", base.slot_minutes))),
            capacity=int(str(raw.get("capacity", base.capacity))),
            days_ahead=int(str(raw.get("days_ahead", base.days_ahead))),
            phone_limit=int(str(raw.get("phone_limit", base.phone_limit))),
        )


@dataclass
class _State:
    booked: dict[str, int] = field(default_factory=dict)  # slot id -> people
    bookings: dict[str, tuple[Booking, str]] = field(default_factory=dict)  # code -> (booking, slot)
    #: keyed phone digest -> codes: enough for the per-phone limit, never the number itself.
    phones: dict[str, list[str]] = field(default_factory=dict)
    counters: dict[tuple[str, dt.date], int] = field(default_factory=dict)  # (prefix, day) -> n


class LocalDesk:
    def __init__(self, bundle: Bundle, hours: DeskHours, now: Callable[[], dt.datetime],
                 locale: str = "zh-CN") -> None:
        self.hours = hours
        self.now = now
        offered = {s for o in bundle.locality.offices for s in o.services}
        self._services = [
            DeskService(id=s.id, name=dict(s.title), prefix=s.queue_prefix, bookable=s.bookable)
            for s in bundle.pack.services if s.id in offered
        ]
        self._office = {s.id: bundle.offices_for(s.id)[0].name.get(locale, "") for s in self._services}
        self._state = _State()
        self._lock = threading.Lock()
        self._phone_key = secrets.token_bytes(16)  # per process: digests cannot be looked up

    def services(self) -> list[DeskService]:
        return list(self._services)

    def _service(self, service: str) -> DeskService:
        for s in self._services:
            if s.id == service:
                return s
        raise BookingRefused("unknown_service", service)

    def _day_slots(self, service: str, day: dt.date) -> list[Slot]:
        if day.weekday() not in self.hours.weekdays:
            return []
        step = dt.timedelta(minutes=self.hours.slot_minutes)
        slots = []
        for start_t, end_t in self.hours.periods:
            start = dt.datetime.combine(day, start_t)
            while start + step <= dt.datetime.combine(day, end_t):
                sid = f"{service}@{start:%Y%m%dT%H%M}"
                slots.append(Slot(id=sid, service=service, start=start, end=start + step,
                                  capacity=self.hours.capacity, booked=self._state.booked.get(sid, 0)))
                start += step
        return slots

    def slots(self, service: str, day: dt.date | None = None) -> list[Slot]:
        """Future slots of one day, or of the coming `days_ahead` days."""
        self._service(service)
        now = self.now()
        days = [day] if day else [now.date() + dt.timedelta(days=i) for i in range(self.hours.days_ahead)]
        with self._lock:
            return [s for d in days for s in self._day_slots(service, d) if s.start > now]

    def book(self, slot: str, service: str, phone: str) -> Booking:
        svc = self._service(service)
        if not svc.bookable:
            raise BookingRefused("not_bookable", service)
        digits = re.sub(r"\D", "", phone)
        if not PHONE.match(digits):
            raise BookingRefused("bad_phone")
        try:
            start = dt.datetime.strptime(slot.split("@", 1)[1], "%Y%m%dT%H%M")
        except (IndexError, ValueError):
            raise BookingRefused("unknown_slot") from None
        with self._lock:
            match = [s for s in self._day_slots(service, start.date()) if s.id == slot]
            if not match:
                raise BookingRefused("unknown_slot")
            if match[0].start <= self.now():
                raise BookingRefused("slot_past")
            if match[0].free <= 0:
                raise SlotFull(slot)
            key = hmac.new(self._phone_key, digits.encode(), hashlib.sha256).hexdigest()
            active = [c for c in self._state.phones.get(key, [])
                      if self._state.bookings[c][0].status == "booked"
                      and self._state.bookings[c][0].start > self.now()]
            if len(active) >= self.hours.phone_limit:
                raise BookingRefused("phone_limit")
            code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))
            booking = Booking(code=code, service=service, start=match[0].start, end=match[0].end,
                              phone_masked=mask_phone(digits), office=self._office.get(service, ""))
            self._state.booked[slot] = self._state.booked.get(slot, 0) + 1
            self._state.bookings[code] = (booking, slot)
            self._state.phones.setdefault(key, []).append(code)
            return booking

    def cancel(self, code: str) -> Booking:
        with self._lock:
            if code not in self._state.bookings:
                raise BookingRefused("unknown_code")
            booking, slot = self._state.bookings[code]
            if booking.status == "cancelled":
                return booking
            cancelled = msgspec.structs.replace(booking, status="cancelled")
            self._state.bookings[code] = (cancelled, slot)
            self._state.booked[slot] -= 1
            return cancelled

    def check_in(self, code: str) -> Ticket:
        with self._lock:
            if code not in self._state.bookings:
                raise BookingRefused("unknown_code")
            booking, _ = self._state.bookings[code]
        if booking.status == "cancelled":
            raise BookingRefused("cancelled")
        if abs((booking.start - self.now()).total_seconds()) > 3600:
            raise BookingRefused("checkin_window")
        return self._issue(booking.service, "appointment")

    @property
    def opening_hours(self) -> Hours:
        return Hours(WeeklyHours(self.hours.periods, self.hours.weekdays))

    def take_ticket(self, service: str, priority: Priority = "none") -> Ticket:
        self._service(service)
        hours, now = self.opening_hours, self.now()
        if not hours.is_open(now):
            raise OfficeClosed(hours.next_opening(now))
        return self._issue(service, priority)

    def _issue(self, service: str, priority: Priority) -> Ticket:
        svc = self._service(service)
        now = self.now()
        with self._lock:
            key = (svc.prefix, now.date())
            n = self._state.counters.get(key, 0) + 1
            self._state.counters[key] = n
        return Ticket(id=f"local-{svc.prefix}{now:%Y%m%d}-{n:03d}", number=f"{svc.prefix}{n:03d}",
                      service=service, issued_at=now, priority=priority)
