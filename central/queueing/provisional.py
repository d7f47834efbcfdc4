"""Rules for tickets a kiosk issued offline (`local_number`), checked before they are queued.

A kiosk may only report numbers in its own series (`<its prefix>-017`, the prefix kept on the
server), so it can neither take a server number (A002, which would stop the service's normal
tickets for the day) nor reach another kiosk's tickets; and only with an issue time that a
kiosk offline for a while could honestly have (not days ago, to jump the queue).
"""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone

from central.errors import ApiError
from central.fleet.models import Kiosk

EARLIEST = dt.timedelta(hours=24)  # a kiosk offline longer reports tickets for a finished day
LATEST = dt.timedelta(minutes=5)   # clock drift


def check(kiosk: Kiosk, local_number: str | None, issued_at: dt.datetime | None,
          now: dt.datetime | None = None) -> None:
    """Raise a 422 ApiError unless this offline ticket may be accepted from this kiosk."""
    if local_number is None:
        return  # an online ticket: the server's own time, issued_at is ignored
    prefix = kiosk.ticket_prefix
    if not prefix or not re.fullmatch(rf"{re.escape(prefix)}-\d{{3}}", local_number):
        raise ApiError(422, "bad_local_number",
                       f"offline ticket numbers from this kiosk look like {prefix or 'K1'}-001")
    if issued_at is not None:
        now = now or timezone.now()
        if not now - EARLIEST <= issued_at <= now + LATEST:
            raise ApiError(422, "bad_issued_at",
                           "issued_at must be within the last 24 hours (and not in the future)")
