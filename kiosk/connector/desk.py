"""The Desk port backed by the central service (docs/api.md).

Slots are fetched live and a booking is returned only when the server confirmed it:
when the server cannot be reached, `book` raises DeskUnavailable and the screen says so
plainly. A queue ticket never fails for want of a network: offline, the kiosk issues a
provisional `K3-017` from its own daily sequence and queues the report in the outbox, but
only inside the office's opening hours as last heard from the server (the `hours` cached
with the services); outside them, as online, the resident hears OfficeClosed.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kiosk.connector.client import CentralClient, CentralRefused, CentralUnavailable
from kiosk.connector.outbox import Outbox
from kiosk.ports import (
    Booking,
    BookingRefused,
    DeskService,
    DeskUnavailable,
    OfficeClosed,
    Priority,
    Slot,
    SlotFull,
    Ticket,
)
from kiosk.services.office_hours import CoveredHours, Hours

log = logging.getLogger(__name__)

#: How long a "try again" after an unanswered booking reuses the same Idempotency-Key,
#: so a booking the server made but could not confirm is returned, not made twice.
REPLAY_WINDOW_S = 600.0


def _time(value: Any) -> dt.datetime:
    return dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))


def _office(value: Any) -> str:
    if isinstance(value, dict):
        name = value.get("name")
        if isinstance(name, dict):
            return str(name.get("zh-CN") or next(iter(name.values()), ""))
        return str(name or value.get("id") or "")
    return str(value or "")


def parse_booking(data: dict[str, Any]) -> Booking:
    return Booking(code=str(data["code"]), service=str(data["service"]), start=_time(data["start"]),
                   end=_time(data["end"]), phone_masked=str(data.get("phone_masked", "")),
                   office=_office(data.get("office")), status=str(data.get("status", "booked")))


def parse_ticket(data: dict[str, Any]) -> Ticket:
    priority = str(data.get("priority", "none"))
    return Ticket(
        id=str(data["id"]), number=str(data["number"]), service=str(data["service"]),
        issued_at=_time(data["issued_at"]),
        priority=priority if priority in ("none", "elderly", "disabled", "appointment") else "none",  # type: ignore[arg-type]
        people_ahead=data.get("people_ahead"), wait_minutes=data.get("wait_minutes"),
    )


class CentralDesk:
    """A Desk talking to the central service; thread-safe (calls come off the UI thread)."""

    def __init__(self, client: CentralClient, outbox: Outbox, *, ticket_prefix: str, cache_dir: Path,
                 now: Callable[[], dt.datetime] = lambda: dt.datetime.now().astimezone(),
                 wake: Callable[[], None] | None = None) -> None:
        self.client = client
        self.outbox = outbox
        self.ticket_prefix = ticket_prefix
        self.cache_dir = cache_dir
        self.now = now
        self.wake = wake or (lambda: None)
        self._lock = threading.Lock()
        self._replay: dict[tuple[str, str, str], tuple[str, float]] = {}
        #: Last time the server answered, and why it last did not (for the health report).
        self.last_ok: float | None = None
        self.last_problem: str = ""

    # --- helpers --------------------------------------------------------------------------

    def _call(self, fn: Callable[[], Any]) -> Any:
        try:
            result = fn()
        except CentralUnavailable as exc:
            self.last_problem = exc.reason
            raise DeskUnavailable(exc.reason) from exc
        except CentralRefused as exc:
            if exc.status in (401, 403):
                self.last_problem = f"{exc.status} {exc.code}"
                log.error("central service refused this kiosk's token (%s)", exc.code)
                raise DeskUnavailable(f"not authorised: {exc.code}") from exc
            self.last_ok = time.time()
            raise
        self.last_ok = time.time()
        self.last_problem = ""
        return result

    @staticmethod
    def _refusal(exc: CentralRefused) -> Exception:
        if exc.code == "slot_full":
            return SlotFull(exc.detail or exc.code)
        if exc.code == "office_closed":
            opens = exc.body.get("opens_at")
            try:
                return OfficeClosed(_time(opens) if opens else None)
            except ValueError:
                return OfficeClosed(None)
        return BookingRefused(exc.code, exc.detail)

    def cached_hours(self, service: str) -> Hours | None:
        """The service's opening hours from the last services answer (None: not known)."""
        try:
            data = json.loads((self.cache_dir / "services.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        for entry in data if isinstance(data, list) else []:
            if isinstance(entry, dict) and entry.get("id") == service:
                covered = CoveredHours.from_api(entry.get("hours"))
                return Hours(covered) if covered else None
        return None

    # --- the port -------------------------------------------------------------------------

    def services(self) -> list[DeskService]:
        cache = self.cache_dir / "services.json"
        try:
            try:
                data = self._call(lambda: self.client.get("/api/v1/services"))
            except CentralRefused as exc:
                raise DeskUnavailable(f"services refused: {exc.code}") from exc
        except DeskUnavailable:
            if cache.is_file():  # the catalogue changes rarely; tickets still need it offline
                return self._parse_services(json.loads(cache.read_text(encoding="utf-8")))
            raise
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        tmp.replace(cache)
        return self._parse_services(data)

    @staticmethod
    def _parse_services(data: list[dict[str, Any]]) -> list[DeskService]:
        return [DeskService(id=str(s["id"]), name={str(k): str(v) for k, v in dict(s["name"]).items()}
                            if isinstance(s.get("name"), dict) else {"zh-CN": str(s.get("name", ""))},
                            prefix=str(s.get("prefix", "")), bookable=bool(s.get("bookable", True)))
                for s in data]

    def slots(self, service: str, day: dt.date | None = None) -> list[Slot]:
        params = {"service": service}
        if day is not None:
            params["date"] = day.isoformat()
        try:
            data = self._call(lambda: self.client.get("/api/v1/slots", params))
        except CentralRefused as exc:  # 404 unknown_service: not offered in this county
            raise BookingRefused(exc.code, exc.detail) from exc
        return [Slot(id=str(s["id"]), service=str(s.get("service", service)), start=_time(s["start"]),
                     end=_time(s["end"]), capacity=int(s["capacity"]), booked=int(s["booked"]))
                for s in data]

    def book(self, slot: str, service: str, phone: str) -> Booking:
        wish = (slot, service, phone)
        with self._lock:
            stamp = time.monotonic()
            self._replay = {k: v for k, v in self._replay.items() if stamp - v[1] < REPLAY_WINDOW_S}
            key = self._replay.get(wish, (str(uuid.uuid4()), stamp))[0]
            self._replay[wish] = (key, stamp)
        payload = {"slot": slot, "service": service, "phone": phone}
        try:
            data = self._call(lambda: self.client.post("/api/v1/bookings", payload, key))
        except CentralRefused as exc:
            self._forget(wish)
            raise self._refusal(exc) from exc
        self._forget(wish)
        return parse_booking(data)

    def _forget(self, wish: tuple[str, str, str]) -> None:
        with self._lock:
            self._replay.pop(wish, None)

    def forget_session(self) -> None:
        """Idle reset: drop the phone numbers kept for a resident's "try again"."""
        with self._lock:
            self._replay.clear()

    def cancel(self, code: str) -> Booking:
        try:
            data = self._call(lambda: self.client.post(f"/api/v1/bookings/{code}/cancel", {}))
        except CentralRefused as exc:
            raise self._refusal(exc) from exc
        return parse_booking(data)

    def check_in(self, code: str) -> Ticket:
        # Offline a booking code cannot be checked: DeskUnavailable, and the screen offers a
        # plain queue ticket instead of promising appointment priority it cannot verify.
        try:
            data = self._call(lambda: self.client.post(f"/api/v1/bookings/{code}/checkin", {}))
        except CentralRefused as exc:
            raise self._refusal(exc) from exc
        return parse_ticket(data)

    def take_ticket(self, service: str, priority: Priority = "none") -> Ticket:
        try:
            data = self._call(lambda: self.client.post("/api/v1/tickets",
                                                       {"service": service, "priority": priority}))
            return parse_ticket(data)
        except CentralRefused as exc:
            raise self._refusal(exc) from exc
        except DeskUnavailable as exc:
            hours = self.cached_hours(service)
            moment = self.now()
            if hours is not None and not hours.is_open(moment):
                log.info("central unreachable (%s) and the office closed: no provisional ticket", exc)
                raise OfficeClosed(hours.next_opening(moment)) from exc
            log.info("central unreachable (%s): issuing a provisional ticket", exc)
            return self.local_ticket(service, priority)

    def local_ticket(self, service: str, priority: Priority = "none") -> Ticket:
        """A provisional ticket from this kiosk's own sequence, reported when the line returns."""
        issued = self.now().replace(microsecond=0)
        if priority == "appointment":
            priority = "none"

        def payload(number: str) -> dict[str, Any]:
            return {"service": service, "priority": priority, "local_number": number,
                    "issued_at": issued.isoformat()}

        number, key = self.outbox.issue_local_ticket(self.ticket_prefix, issued.date().isoformat(), payload)
        self.wake()
        return Ticket(id=f"local:{key}", number=number, service=service, issued_at=issued,
                      priority=priority, provisional=True)
