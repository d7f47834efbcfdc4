"""Booking: service → day → slot → phone (12-key keypad) → confirm → booked.

Every desk call runs off the UI thread. The screen never shows a confirmation the desk did
not give: DeskUnavailable says nothing was booked and offers a ticket and the office phone,
SlotFull offers the other slots, BookingRefused says why in plain words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial
from typing import Any

from kivy.factory import Factory
from kivy.properties import ObjectProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout

from kiosk.flows.texts import pick
from kiosk.flows.views import OfficeView, OutcomeView
from kiosk.ports import Booking, BookingRefused, DeskService, DeskUnavailable, Slot, SlotFull
from kiosk.services.public_urls import public_base_url
from kiosk.slips.data import AppointmentData, SummaryData, mask_phone
from kiosk.ui.dates import day_label, group_phone, time_range, when
from kiosk.ui.i18n import N_
from kiosk.ui.screens.base import DeskScreen
from kiosk.ui.widgets.inputs import BACKSPACE, CLEAR
from kiosk.ui.widgets.paged import list_columns
from kiosk.ui.worker import run_async
from kiosk.voice.spoken import spoken_field

STEPS = ("service", "day", "slot", "phone", "confirm", "done", "error")
#: Steps that list like choices: two columns of them in landscape.
LIST_STEPS = ("service", "day", "slot")
REFUSALS = {
    "phone_limit": N_("This phone number already has the most bookings allowed. Please ask staff."),
    "bad_phone": N_("That is not a mobile number. Please check it: 11 digits, starting with 1."),
    "slot_past": N_("That time has already passed. Please choose another time."),
}
REFUSED = N_("The booking was not accepted. Please ask staff for help.")


class PhoneEntry(BoxLayout):
    """What was typed (grouped, for checking), Next, and the 12-key keypad."""

    screen = ObjectProperty(None)


class BookingScreen(DeskScreen):
    step = StringProperty("service")
    heading = StringProperty("")
    prompt = StringProperty("")
    shown_phone = StringProperty("")

    def __init__(self, ctx: Any, **kwargs: Any) -> None:
        super().__init__(ctx, **kwargs)
        self._services: list[DeskService] = []
        self._slots: list[Slot] = []

    @property
    def draft(self) -> Any:
        return self.ctx.session.booking

    # --- steps ------------------------------------------------------------------------------

    def enter(self, fresh: bool = False, service: str | None = None, **kwargs: Any) -> None:
        if fresh:
            self.ctx.session.booking = type(self.draft)()
            self.message = ""
            self._call(self.ctx.services.desk.services, lambda found: self.got_services(found, service))

    def relabel(self) -> None:
        self.show(self.step)

    def _name(self, service: str | None) -> str:
        for s in self._services:
            if s.id == service:
                return pick(s.name, self.ctx.services.cfg.fallback_chain(self.ctx.nav.locale))
        return service or ""

    def got_services(self, found: list[DeskService], wanted: str | None) -> None:
        self._services = [s for s in found if s.bookable]
        if wanted and any(s.id == wanted for s in self._services):
            self.pick_service(wanted)
        else:
            self.show("service")

    def pick_service(self, service: str) -> None:
        self.draft.service = service
        self._call(lambda: self.ctx.services.desk.slots(service), self.got_slots)

    def got_slots(self, slots: list[Slot]) -> None:
        self._slots = [s for s in slots if s.free > 0]
        self.show("day")

    def pick_day(self, day: str) -> None:
        self.draft.day = dt.date.fromisoformat(day)
        self.show("slot")

    def pick_slot(self, slot_id: str) -> None:
        self.draft.slot = next(s for s in self._slots if s.id == slot_id)
        self.show("phone")

    def key(self, key: str) -> None:
        if key == CLEAR:
            self.draft.phone = ""
        elif key == BACKSPACE:
            self.draft.phone = self.draft.phone[:-1]
        elif len(self.draft.phone) < 11:
            self.draft.phone += key
        self.shown_phone = group_phone(self.draft.phone)
        self.message = ""

    def phone_done(self) -> None:
        phone = self.draft.phone
        if len(phone) != 11 or not phone.startswith("1"):
            self.tone, self.message = "warn", self.ctx.nav.t(REFUSALS["bad_phone"])
            return
        self.show("confirm")

    def confirm(self) -> None:
        d = self.draft
        desk = self.ctx.services.desk
        slot, service, phone = d.slot.id, d.service, d.phone
        self._call(lambda: desk.book(slot, service, phone), self.booked)

    def booked(self, booking: Booking) -> None:
        self.draft.result = booking
        self.note_usage("booking", service=str(self.draft.service or ""))
        self.draft.phone = ""  # the desk has it; the kiosk forgets it at once
        self.shown_phone = ""
        self.show("done")

    def back(self) -> None:
        order = ["service", "day", "slot", "phone", "confirm"]
        if self.step in order and order.index(self.step) > 0:
            self.message = ""
            self.show(order[order.index(self.step) - 1])
        else:
            self.ctx.nav.go("home")

    # --- desk calls and their failures -------------------------------------------------------------

    def failed(self, error: BaseException) -> None:
        t = self.ctx.nav.t
        self.tone = "warn"
        if isinstance(error, SlotFull):
            sorry = t("Sorry, that time was just taken. Please choose another time.")
            desk, service = self.ctx.services.desk, self.draft.service

            def again(slots: list[Slot]) -> None:
                self.got_slots(slots)
                self.tone, self.message = "warn", sorry

            self._call(lambda: desk.slots(service), again)
            return
        if isinstance(error, BookingRefused):
            self.message = t(REFUSALS.get(error.reason, REFUSED))
            self.show("phone" if error.reason == "bad_phone" else "slot" if error.reason == "slot_past"
                      else "error")
            return
        if isinstance(error, DeskUnavailable):
            self.message = t("The booking service cannot be reached right now. Nothing was booked.")
        else:
            self.message = t(REFUSED)
        self.show("error")

    # --- drawing ---------------------------------------------------------------------------

    def show(self, step: str) -> None:
        self.step = step
        t, loc = self.ctx.nav.t, self.ctx.nav.locale
        d = self.draft
        self.heading = t("Book an appointment")
        paged = self.ids.paged
        paged.clear_items()
        paged.cols = list_columns(self.ctx.nav.landscape, step in LIST_STEPS)
        add = paged.add_item

        def button(text: str, on: Callable[[], None], icon: str = "next", style: str = "choice") -> None:
            b = Factory.ChoiceButton(text=text, icon=icon, style=style)
            b.bind(on_release=lambda _b: on())
            add(b)

        if step == "service":
            self.prompt = t("Which service do you need?")
            for svc in self._services:
                button(self._name(svc.id), partial(self.pick_service, svc.id), "calendar")
        elif step == "day":
            self.prompt = t("Which day?")
            days = sorted({s.start.date() for s in self._slots})
            if not days:
                self.tone, self.message = "warn", t("There are no free times in the coming days.")
            for day in days:
                free = sum(s.free for s in self._slots if s.start.date() == day)
                button(f"{day_label(day, loc)}   ({t('{n} places free', n=free)})",
                       partial(self.pick_day, day.isoformat()), "calendar")
        elif step == "slot":
            self.prompt = t("Which time?")
            for slot in self._slots:
                if slot.start.date() == d.day:
                    button(f"{time_range(slot.start, slot.end)}   ({t('{n} places free', n=slot.free)})",
                           partial(self.pick_slot, slot.id), "clock")
        elif step == "phone":
            self.prompt = t("Your mobile number, for a reminder (it is not printed in full).")
            self.shown_phone = group_phone(d.phone)
            add(PhoneEntry(screen=self))
        elif step == "confirm":
            self.prompt = t("Please check, then confirm.")
            chosen = d.slot
            offices = self.ctx.services.bundle.offices_for(d.service) if d.service else []
            chain = self.ctx.services.cfg.fallback_chain(loc)
            lines = [f"{t('Service')}: {self._name(d.service)}",
                     f"{t('Time')}: {when(chosen.start, chosen.end, loc)}",
                     *([f"{t('Office')}: {pick(offices[0].name, chain)}"] if offices else []),
                     f"{t('Phone')}: {mask_phone(d.phone)}"]
            add(Factory.Section(title=t("Your appointment"), text="\n".join(lines)))
            button(t("Confirm booking"), self.confirm, "check", "primary")
        elif step == "done":
            self.show_done()
        elif step == "error":
            self.prompt = t("Nothing was booked.")
            office = self._office_phone()
            if office:
                add(Factory.Section(title=t("You can call the office"), text=office))
            button(t("Take a queue number"), lambda: self.ctx.nav.go(
                "ticket", fresh=True, service=d.service), "ticket", "primary")
            button(t("Print the office phone numbers"), self.print_note, "print", "secondary")
            button(t("Back to the start"), lambda: self.ctx.nav.go("home"), "home", "secondary")
        self.ctx.nav.step_shown(self.name)

    def show_done(self) -> None:
        t, loc = self.ctx.nav.t, self.ctx.nav.locale
        booking = self.draft.result
        self.step = "done"
        self.prompt = t("Your appointment is booked.")
        paged = self.ids.paged
        paged.clear_items()
        paged.cols = 1
        if booking is None:
            return
        lines = [f"{t('Booking code')}: {booking.code}", f"{t('Service')}: {self._name(booking.service)}",
                 f"{t('Time')}: {when(booking.start, booking.end, loc)}",
                 f"{t('Office')}: {booking.office}", f"{t('Phone')}: {booking.phone_masked}"]
        paged.add_item(Factory.Section(title=t("Your appointment"), text="\n".join(lines)))
        b = Factory.ChoiceButton(text=t("Print appointment slip"), icon="print", style="primary")
        b.bind(on_release=lambda _b: self.print_slip())
        paged.add_item(b)

    def _office_phone(self) -> str:
        service = self.draft.service or self.ctx.session.offered_service
        offices = self.ctx.services.bundle.offices_for(service) if service else []
        offices = offices or list(self.ctx.services.bundle.locality.offices[:1])
        chain = self.ctx.services.cfg.fallback_chain(self.ctx.nav.locale)
        return "\n".join(f"{pick(o.name, chain)}  {o.phone}" for o in offices)

    def print_note(self) -> None:
        """A printed note to book by phone later: the offices for the service, no personal data."""
        t = self.ctx.nav.t
        chain = self.ctx.services.cfg.fallback_chain(self.ctx.nav.locale)
        service = self.draft.service or self.ctx.session.offered_service
        offices = self.ctx.services.bundle.offices_for(service) if service else []
        offices = offices or list(self.ctx.services.bundle.locality.offices[:1])
        where = tuple(OfficeView(pick(o.name, chain), pick(o.address, chain), pick(o.hours, chain),
                                 o.phone, "") for o in offices)
        locale = self.ctx.nav.locale
        note = OutcomeView(
            flow_id="booking", node_id="call", flow_title=t("Book an appointment"),
            title=t("Please call to book"), summary=t(
                "The booking service could not be reached, so nothing was booked. "
                "Call one of these offices in opening hours to book."),
            speak="", steps=(), documents=(), where=where, deadlines=(), basis=(), hotlines=(),
            offer=(), service=service, locale=locale, content_version=self.ctx.services.bundle.version)
        data = SummaryData(outcome=note, printed_at=self.ctx.services.clock(),
                           qr=public_base_url(self.ctx.services.cfg))
        printing = self.ctx.services.printing
        run_async(lambda: printing.print(data, locale), self._printed_note)

    def _printed_note(self, result: Any, _error: BaseException | None) -> None:
        ok = result is not None and result.printed
        self.tone = "info" if ok else "warn"
        self.message = self.ctx.nav.t("Please take your slip.") if ok else self.ctx.nav.t(
            "The printer is not working. Please note the phone number on the screen.")

    def print_slip(self) -> None:
        booking = self.draft.result
        if booking is None:
            return
        chain = self.ctx.services.cfg.fallback_chain(self.ctx.nav.locale)
        offices = self.ctx.services.bundle.offices_for(booking.service)
        base = public_base_url(self.ctx.services.cfg).rstrip("/")
        data = AppointmentData(
            service=self._name(booking.service), starts_at=booking.start, office=booking.office,
            address=pick(offices[0].address, chain) if offices else "", code=booking.code,
            phone_masked=booking.phone_masked, qr=f"{base}/b/{booking.code}")
        locale = self.ctx.nav.locale
        printing = self.ctx.services.printing
        run_async(lambda: printing.print(data, locale), self._printed)

    def _printed(self, result: Any, _error: BaseException | None) -> None:
        ok = result is not None and result.printed
        self.tone = "info" if ok else "warn"
        self.message = (self.ctx.nav.t("Please take your slip.") if ok else self.ctx.nav.t(
            "The printer is not working, so nothing was printed. Please note your booking code."))

    def spoken(self) -> str:
        """The step's prompt and message; on the confirm and done steps the appointment too,
        with the phone number and the booking code announced as hidden, never read."""
        t, loc = self.ctx.nav.t, self.ctx.nav.locale
        parts = [self.prompt, self.message]
        d = self.draft
        booking = d.result if self.step == "done" else None
        slot = d.slot if self.step == "confirm" else None
        timed = booking if booking is not None else slot
        if timed is not None:
            service = booking.service if booking is not None else d.service
            start, end = timed.start, timed.end
            parts += [spoken_field(t("Service"), self._name(service), loc, private=False),
                      spoken_field(t("Time"), when(start, end, loc), loc, private=False)]
            if booking is not None:
                parts += [spoken_field(t("Office"), booking.office, loc, private=False),
                          spoken_field(t("Booking code"), "", loc, private=True)]
            parts.append(spoken_field(t("Phone"), "", loc, private=True))
        end_mark = "。" if loc.startswith("zh") else ". "
        return end_mark.join(p.rstrip("。. ") for p in parts if p).strip()

    def wipe(self) -> None:
        self._slots = []
        self.shown_phone = ""
        self.message = self.prompt = ""
        self.step = "service"
        self.ids.paged.clear_items()
