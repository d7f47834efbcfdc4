"""One resident at the kiosk: what they entered, and the idle clock that forgets it.

A public kiosk forgets. Everything a resident typed, chose or booked lives in one
`ResidentSession`; `wipe()` drops all of it at once (the idle reset and "finish" both call
it). The idle clock is plain arithmetic on a monotonic clock, so it is tested without a
window; the app polls it once a second.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from kiosk.flows.engine import FlowSession
from kiosk.ports import Booking, Priority, Slot, Ticket
from kiosk.services.application_session import ApplicationSession


@dataclass
class BookingDraft:
    service: str | None = None
    day: dt.date | None = None
    slot: Slot | None = None
    #: The digits typed on the keypad: personal data, dropped by wipe().
    phone: str = ""
    result: Booking | None = None


@dataclass
class TicketDraft:
    service: str | None = None
    priority: Priority = "none"
    result: Ticket | None = None


@dataclass
class ResidentSession:
    flow: FlowSession | None = None
    search_text: str = ""
    booking: BookingDraft = field(default_factory=BookingDraft)
    ticket: TicketDraft = field(default_factory=TicketDraft)
    #: Where the resident came from into booking/ticket (the outcome's service, if any).
    offered_service: str | None = None
    #: An application in progress (issue 13): draft, card, form, receipt.
    application: ApplicationSession = field(default_factory=ApplicationSession)

    def wipe(self) -> None:
        """Forget everything about this resident."""
        self.flow = None
        self.search_text = ""
        self.booking = BookingDraft()
        self.ticket = TicketDraft()
        self.offered_service = None
        self.application.wipe()

    @property
    def empty(self) -> bool:
        return (self.flow is None and not self.search_text and self.booking == BookingDraft()
                and self.ticket == TicketDraft() and self.offered_service is None
                and self.application.empty)


IdleState = Literal["active", "warn", "wipe"]


class IdleClock:
    """After `idle_s` without a touch: warn; `warn_s` later without a touch: wipe."""

    def __init__(self, idle_s: float, warn_s: float, now: Callable[[], float]) -> None:
        if warn_s < 20:
            raise ValueError("the idle warning must give a resident at least 20 seconds")
        self.idle_s = idle_s
        self.warn_s = warn_s
        self.now = now
        self.last = now()

    def touched(self) -> None:
        self.last = self.now()

    def state(self) -> IdleState:
        quiet = self.now() - self.last
        if quiet >= self.idle_s + self.warn_s:
            return "wipe"
        if quiet >= self.idle_s:
            return "warn"
        return "active"

    def seconds_left(self) -> int:
        """Seconds until the wipe, for the warning's countdown."""
        return max(0, round(self.idle_s + self.warn_s - (self.now() - self.last)))
