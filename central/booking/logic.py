"""Booking, cancelling and checking in. The database keeps capacity and the per-phone limit:
every guard is a conditional UPDATE whose row count decides, never a count read in Python."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from central.booking.models import Booking, PhoneDay, Slot
from central.conf import conf
from central.errors import ApiError
from central.fleet.models import Kiosk
from central.queueing.logic import issue_ticket
from central.queueing.models import Ticket

PHONE = re.compile(r"^1[3-9]\d{9}$")
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read aloud and typed by elders


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))


def _phone_digest(phone: str) -> str:
    return hashlib.sha256(f"{settings.SECRET_KEY}:{phone}".encode()).hexdigest()


def _windows() -> tuple[dt.timedelta, dt.timedelta]:
    return dt.timedelta(minutes=conf("CHECKIN_EARLY_MIN")), dt.timedelta(minutes=conf("CHECKIN_LATE_MIN"))


def book(kiosk: Kiosk | None, slot_id: int, service_slug: str, phone: str) -> Booking:
    phone = re.sub(r"[\s-]", "", phone)
    if not PHONE.match(phone):
        raise ApiError(422, "bad_phone", "a mainland mobile number has 11 digits and starts with 1")
    slots = Slot.objects.select_related("service", "office")
    if kiosk is not None:
        slots = slots.filter(office__county_id=kiosk.county_id)
    slot = slots.filter(pk=slot_id).first()
    if slot is None:
        raise ApiError(404, "unknown_slot", "no such slot")
    if slot.service.slug != service_slug:
        raise ApiError(422, "invalid", "the slot is for another service")
    if slot.start <= timezone.now():
        raise ApiError(422, "slot_past", "the slot has started already")
    day = timezone.localtime(slot.start).date()
    digest = _phone_digest(phone)
    limit = conf("PHONE_BOOKINGS_PER_DAY")
    with transaction.atomic():
        PhoneDay.objects.bulk_create([PhoneDay(phone_digest=digest, day=day)], ignore_conflicts=True)
        if not PhoneDay.objects.filter(phone_digest=digest, day=day, count__lt=limit).update(
                count=F("count") + 1):
            raise ApiError(409, "phone_limit", f"at most {limit} bookings a day for one phone number")
        if not Slot.objects.filter(pk=slot.pk, booked__lt=F("capacity")).update(booked=F("booked") + 1):
            raise ApiError(409, "slot_full", "the slot was just taken")
        for _attempt in range(5):
            try:
                with transaction.atomic():
                    return Booking.objects.create(code=new_code(), slot=slot, service=slot.service,
                                                  office=slot.office, phone=phone, kiosk=kiosk)
            except IntegrityError:
                continue  # a code collision (1 in 10^12): draw again
    raise ApiError(503, "busy", "could not draw a booking code")


def find(code: str, kiosk: Kiosk | None = None) -> Booking:
    qs = Booking.objects.select_related("slot", "service", "office")
    if kiosk is not None:
        qs = qs.filter(office__county_id=kiosk.county_id)
    booking = qs.filter(code=code.strip().upper()).first()
    if booking is None:
        raise ApiError(404, "unknown_code", "no booking with this code")
    _expire_one(booking)
    return booking


def _expire_one(booking: Booking) -> None:
    _early, late = _windows()
    if booking.status == Booking.BOOKED and booking.slot.start + late < timezone.now():
        Booking.objects.filter(pk=booking.pk, status=Booking.BOOKED).update(status=Booking.NO_SHOW)
        booking.status = Booking.NO_SHOW


def expire_no_shows() -> int:
    """Bookings whose check-in window closed become no-shows (housekeeping)."""
    _early, late = _windows()
    return Booking.objects.filter(status=Booking.BOOKED,
                                  slot__start__lt=timezone.now() - late).update(status=Booking.NO_SHOW)


def cancel(code: str, kiosk: Kiosk | None = None) -> Booking:
    booking = find(code, kiosk)
    if booking.status == Booking.CANCELLED:
        return booking
    if booking.status != Booking.BOOKED:
        raise ApiError(409, booking.status, f"the booking is {booking.status}")
    with transaction.atomic():
        if Booking.objects.filter(pk=booking.pk, status=Booking.BOOKED).update(status=Booking.CANCELLED):
            Slot.objects.filter(pk=booking.slot_id, booked__gt=0).update(booked=F("booked") - 1)
            day = timezone.localtime(booking.slot.start).date()
            PhoneDay.objects.filter(phone_digest=_phone_digest(booking.phone), day=day,
                                    count__gt=0).update(count=F("count") - 1)
    booking.refresh_from_db()
    return booking


def check_in(code: str, kiosk: Kiosk | None = None) -> Ticket:
    booking = find(code, kiosk)
    if booking.status == Booking.CANCELLED:
        raise ApiError(409, "cancelled", "the booking was cancelled")
    if booking.status == Booking.NO_SHOW:
        raise ApiError(409, "checkin_window", "the check-in window has closed")
    if booking.status == Booking.CHECKED_IN:
        raise ApiError(409, "checked_in", "the booking was checked in already")
    early, late = _windows()
    now = timezone.now()
    if not booking.slot.start - early <= now <= booking.slot.start + late:
        raise ApiError(409, "checkin_window",
                       f"check in from {early.seconds // 60} min before to {late.seconds // 60} min after "
                       "the appointment")
    with transaction.atomic():
        if not Booking.objects.filter(pk=booking.pk, status=Booking.BOOKED).update(
                status=Booking.CHECKED_IN):
            raise ApiError(409, "checked_in", "the booking was checked in already")
        return issue_ticket(booking.office, booking.service, "appointment", kiosk)
