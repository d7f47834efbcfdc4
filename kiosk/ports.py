"""Small Protocols the core owns; each device adapter implements one (fakes live beside them)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Literal, Protocol

import msgspec

if TYPE_CHECKING:  # escpos is slow to import; the CLI and connector start without it
    from kiosk.slips.render import RenderedSlip

Paper = Literal["ok", "near_end", "out", "unknown"]


class PrinterStatus(msgspec.Struct, frozen=True, kw_only=True):
    #: False when the printer did not answer, or answered garbage: nothing else is known then.
    answered: bool
    online: bool = False
    paper: Paper = "unknown"
    cover_open: bool = False
    cutter_error: bool = False
    detail: str = ""

    @property
    def fault(self) -> str | None:
        """Why a slip cannot be printed now, or None when it can."""
        if not self.answered:
            return self.detail or "no_answer"
        if self.cover_open:
            return "cover_open"
        if self.paper == "out":
            return "paper_out"
        if self.cutter_error:
            return "cutter_error"
        if not self.online:
            return "offline"
        return None


class PrintResult(msgspec.Struct, frozen=True, kw_only=True):
    printed: bool
    #: Fault code when not printed: no_answer, garbage, paper_out, cover_open, cutter_error,
    #: offline, disconnected, stalled, no_port.
    fault: str | None = None
    #: Printed, but staff should look: paper_near_end.
    warning: str | None = None
    #: Where a virtual printer put the slip.
    path: str | None = None


class Printer(Protocol):
    def status(self) -> PrinterStatus: ...

    def print_slip(self, slip: RenderedSlip) -> PrintResult: ...


# --- Desk: services, slots, bookings and queue tickets -----------------------------------
# The touchscreen's booking and ticket screens talk to this port only. A local in-memory
# desk serves until the central service is reachable; the connector implements the same
# port against the central API (docs/api.md).


class DeskUnavailable(Exception):
    """The desk cannot answer now (central unreachable, timed out, 5xx). Nothing was promised."""


class SlotFull(Exception):
    """The slot was taken while the resident was choosing: offer the other slots."""


class BookingRefused(Exception):
    """The desk answered no for a reason the resident can act on (`reason` is a code:
    phone_limit, slot_past, bad_phone, unknown_code, checkin_window, cancelled)."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(reason, detail)
        self.reason = reason
        self.detail = detail


class DeskService(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    #: Locale map, e.g. {"zh-CN": "法律援助", "en": "Legal aid"}.
    name: dict[str, str]
    #: Queue number prefix, e.g. "A".
    prefix: str = ""
    bookable: bool = True


class Slot(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    service: str
    start: dt.datetime
    end: dt.datetime
    capacity: int
    booked: int

    @property
    def free(self) -> int:
        return max(0, self.capacity - self.booked)


class Booking(msgspec.Struct, frozen=True, kw_only=True):
    code: str
    service: str
    start: dt.datetime
    end: dt.datetime
    #: 138****5678: the full number never comes back from the desk.
    phone_masked: str
    office: str = ""
    status: str = "booked"  # booked | cancelled | checked_in | no_show


Priority = Literal["none", "elderly", "disabled", "appointment"]


class Ticket(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    number: str  # A001, or K3-017 when issued offline by this kiosk
    service: str
    issued_at: dt.datetime
    priority: Priority = "none"
    people_ahead: int | None = None
    wait_minutes: int | None = None
    #: True when the kiosk issued it without the central service (reported later).
    provisional: bool = False


class Desk(Protocol):
    """Services, slots, bookings and tickets. Every method may raise DeskUnavailable."""

    def services(self) -> list[DeskService]: ...

    def slots(self, service: str, day: dt.date | None = None) -> list[Slot]: ...

    def book(self, slot: str, service: str, phone: str) -> Booking:
        """Raises SlotFull or BookingRefused; returns only a booking the desk confirmed."""
        ...

    def cancel(self, code: str) -> Booking: ...

    def check_in(self, code: str) -> Ticket: ...

    def take_ticket(self, service: str, priority: Priority = "none") -> Ticket: ...


# --- Speech ------------------------------------------------------------------------------


class Speaker(Protocol):
    """Speech output. `say` returns at once; a new `say` or `stop` cuts what is playing."""

    def say(self, text: str, locale: str) -> None: ...

    def stop(self) -> None: ...

    def reset(self) -> None:
        """Back to the default rate and volume, for the next resident."""
        ...

    def unavailable(self) -> str | None:
        """Why speech output cannot work here (a plain reason), or None when it can."""
        ...


class Recognizer(Protocol):
    """Push-to-talk speech input. Results arrive through the callback, off the UI thread."""

    def listen(self, phrases: list[str] | None, locale: str, on_text: Callable[[str], None]) -> None:
        """Start listening; `phrases` constrains recognition (None = free dictation).
        Calls `on_text` once with the recognised text ("" for nothing heard)."""
        ...

    def stop(self) -> None: ...

    def unavailable(self) -> str | None:
        """Why speech input cannot work here (no model, no microphone), or None when it can."""
        ...
