"""What goes on each slip, independent of paper and printer.

Phone numbers arrive already masked: a slip lies on a counter and leaves with the
resident, so the full number never reaches the layout.
"""

from __future__ import annotations

import datetime as dt
import re

import msgspec

from kiosk.flows.views import OutcomeView


def mask_phone(phone: str) -> str:
    """138****5678: first three and last four digits, as Chinese services print them."""
    digits = re.sub(r"\D", "", phone)
    if len(digits) == 13 and digits.startswith("86"):  # +86 country code
        digits = digits[2:]
    if len(digits) < 8:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


class TicketData(msgspec.Struct, frozen=True, kw_only=True):
    office: str
    service: str
    number: str
    issued_at: dt.datetime
    #: People ahead in the queue, and the estimated wait, when the queue service knows them.
    waiting_ahead: int | None = None
    wait_minutes: int | None = None
    qr: str
    #: Issued by this kiosk while the queue service was unreachable: the slip says so.
    provisional: bool = False


class AppointmentData(msgspec.Struct, frozen=True, kw_only=True):
    service: str
    starts_at: dt.datetime
    office: str
    address: str
    code: str
    phone_masked: str
    documents: tuple[str, ...] = ()
    qr: str


class SummaryData(msgspec.Struct, frozen=True, kw_only=True):
    outcome: OutcomeView
    printed_at: dt.datetime
    qr: str


class ReceiptData(msgspec.Struct, frozen=True, kw_only=True):
    """An application's receipt: who received it, its code, when a decision is due.
    No name and no ID number; the phone only masked."""

    title: str
    body: str
    body_phone: str = ""
    code: str
    submitted_at: dt.datetime
    #: None when no law sets a deadline (a callback, a mediation request).
    decision_due: dt.date | None = None
    decision_what: str = ""
    basis: str = ""
    phone_masked: str = ""
    #: Kept on the kiosk until the line is back: the receipt says it is sent automatically.
    queued: bool = False
    qr: str


SlipData = TicketData | AppointmentData | SummaryData | ReceiptData
