"""Residents' phone numbers are kept only while a booking can still need them: a number is
removed from a booking PHONE_KEEP_DAYS after its appointment (the booking stays, for the
statistics), and the per-phone daily counts once their day is over."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from central.booking.models import Booking, PhoneDay
from central.conf import conf


def anonymise_old_bookings(now: dt.datetime | None = None) -> int:
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=conf("PHONE_KEEP_DAYS"))
    cleared = Booking.objects.filter(slot__end__lt=cutoff).exclude(phone="").update(phone="")
    PhoneDay.objects.filter(day__lt=timezone.localdate(now) - dt.timedelta(days=1)).delete()
    return cleared
