"""Small Protocols the core owns; each device adapter implements one (fakes live beside them)."""

from __future__ import annotations

from typing import Literal, Protocol

import msgspec

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
