"""Queue ticket: service → priority (elderly, disabled) → the ticket, printed at once.

A provisional ticket (issued by this kiosk without the central service) says so. When the
desk cannot answer, no number is shown: a number the queue does not know would mislead.
When the office is closed (OfficeClosed), no number either: the screen says in plain words
when it opens and offers what works now (`closed_offers`: booking, home, and whatever other
features add to CLOSED_OFFERS, such as applications and callbacks).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from kivy.factory import Factory
from kivy.properties import BooleanProperty, StringProperty

from kiosk.flows.texts import pick
from kiosk.ports import DeskService, DeskUnavailable, OfficeClosed, Priority, Ticket
from kiosk.services.printing import PrintOutcome
from kiosk.services.public_urls import public_base_url
from kiosk.slips.data import TicketData
from kiosk.ui.dates import opens_when
from kiosk.ui.screens.base import DeskScreen
from kiosk.ui.widgets.paged import list_columns
from kiosk.ui.worker import run_async

#: Steps that list like choices: two columns of them in landscape.
LIST_STEPS = ("service", "priority")


@dataclass(frozen=True)
class Offer:
    """One thing a resident can do while the office is closed: a button on the closed step."""

    text: str
    icon: str
    run: Callable[[], None]
    style: str = "choice"


#: More offers for the closed step, asked in order each time it is shown: a function of the
#: screen and the service id giving an Offer (its text already translated) or None. The
#: application and callback features append theirs here; booking and home are built in.
CLOSED_OFFERS: list[Callable[[TicketScreen, str], Offer | None]] = []


class TicketScreen(DeskScreen):
    step = StringProperty("service")
    heading = StringProperty("")
    prompt = StringProperty("")
    number = StringProperty("")
    provisional = BooleanProperty(False)

    def __init__(self, ctx: Any, **kwargs: Any) -> None:
        super().__init__(ctx, **kwargs)
        self._services: list[DeskService] = []
        #: The office's next opening after a refusal for hours (None: not known).
        self.opens_at: dt.datetime | None = None

    @property
    def draft(self) -> Any:
        return self.ctx.session.ticket

    def enter(self, fresh: bool = False, service: str | None = None, **kwargs: Any) -> None:
        if fresh:
            self.ctx.session.ticket = type(self.draft)()
            self.message = self.number = ""
            self._call(self.ctx.services.desk.services, lambda found: self.got_services(found, service))

    def relabel(self) -> None:
        self.show(self.step)

    def _name(self, service: str | None) -> str:
        chain = self.ctx.services.cfg.fallback_chain(self.ctx.nav.locale)
        for s in self._services:
            if s.id == service:
                return pick(s.name, chain)
        return service or ""

    def got_services(self, found: list[DeskService], wanted: str | None) -> None:
        self._services = found
        if wanted and any(s.id == wanted for s in found):
            self.draft.service = wanted
            self.show("priority")
        else:
            self.show("service")

    def pick_service(self, service: str) -> None:
        self.draft.service = service
        self.show("priority")

    def pick_priority(self, priority: Priority) -> None:
        self.draft.priority = priority
        desk, service = self.ctx.services.desk, self.draft.service
        self._call(lambda: desk.take_ticket(service, priority), self.issued)

    def issued(self, ticket: Ticket) -> None:
        self.draft.result = ticket
        self.note_usage("ticket", service=str(self.draft.service or ""))
        self.show("done")
        self.print_ticket()

    def back(self) -> None:
        if self.step in ("priority", "closed"):
            self.show("service")
        else:
            self.ctx.nav.go("home")

    def failed(self, error: BaseException) -> None:
        t = self.ctx.nav.t
        self.tone = "warn"
        if isinstance(error, OfficeClosed):
            self.opens_at = error.opens_at
            self.show("closed")
            return
        if isinstance(error, DeskUnavailable):
            self.message = t("The queue service cannot be reached right now. No number was issued. "
                             "Please go to the counter; staff will help you.")
        else:
            self.message = t("No number was issued. Please ask staff for help.")
        self.show("error")

    # --- the office is closed ---------------------------------------------------------------

    def closed_text(self) -> str:
        """法律援助中心现在下班了，明天（周一）上午9:00开门。 in the resident's language."""
        t, locale = self.ctx.nav.t, self.ctx.nav.locale
        service = self.draft.service or ""
        offices = self.ctx.services.bundle.offices_for(service) if service else []
        chain = self.ctx.services.cfg.fallback_chain(locale)
        office = pick(offices[0].name, chain) if offices else self._name(service)
        if self.opens_at is None:
            return t("{office} is closed now. Please come back during its opening hours.", office=office)
        when = opens_when(self.opens_at, self.ctx.services.clock().date(), locale)
        return t("{office} is closed now. It opens {when}.", office=office, when=when)

    def closed_offers(self) -> list[Offer]:
        """What works while the office is closed: book (when the service is bookable), the
        offers other features registered in CLOSED_OFFERS, and going home."""
        t, service = self.ctx.nav.t, self.draft.service or ""
        offers = []
        if any(s.id == service and s.bookable for s in self._services):
            offers.append(Offer(t("Book an appointment"), "calendar",
                                lambda: self.ctx.nav.go("booking", fresh=True, service=service), "primary"))
        apps = self.ctx.services.applications
        if apps is not None and "callback" in self.ctx.services.bundle.applications:
            # staff call back in opening hours: the resident need not come again to ask
            offers.append(Offer(t("Ask staff to call me back"), "phone",
                                lambda: self.ctx.nav.go("apply", kind="callback")))
        offers += [o for extra in CLOSED_OFFERS if (o := extra(self, service)) is not None]
        offers.append(Offer(t("Home"), "home", lambda: self.ctx.nav.go("home"), "secondary"))
        return offers

    def print_ticket(self) -> None:
        ticket = self.draft.result
        if ticket is None:
            return
        offices = self.ctx.services.bundle.offices_for(ticket.service)
        chain = self.ctx.services.cfg.fallback_chain(self.ctx.nav.locale)
        base = public_base_url(self.ctx.services.cfg).rstrip("/")
        data = TicketData(
            office=pick(offices[0].name, chain) if offices else "", service=self._name(ticket.service),
            number=ticket.number, issued_at=ticket.issued_at, waiting_ahead=ticket.people_ahead,
            wait_minutes=ticket.wait_minutes, provisional=ticket.provisional,
            # A provisional number is not in the queue yet: its QR leads to the service's site.
            qr=base if ticket.provisional else f"{base}/q/{ticket.id}")
        locale = self.ctx.nav.locale
        printing = self.ctx.services.printing
        run_async(lambda: printing.print(data, locale), self._printed)

    def _printed(self, result: PrintOutcome | None, _error: BaseException | None) -> None:
        ok = result is not None and result.printed
        self.tone = "info" if ok else "warn"
        self.message = (self.ctx.nav.t("Please take your ticket.") if ok else self.ctx.nav.t(
            "The printer is not working. Please remember your number: {number}.", number=self.number))
        self.ctx.nav.say(self.message)

    def show(self, step: str) -> None:
        self.step = step
        t = self.ctx.nav.t
        self.heading = t("Take a queue number")
        paged = self.ids.paged
        paged.clear_items()
        paged.cols = list_columns(self.ctx.nav.landscape, step in LIST_STEPS)

        def button(text: str, on: Callable[[], None], icon: str, style: str = "choice") -> None:
            b = Factory.ChoiceButton(text=text, icon=icon, style=style)
            b.bind(on_release=lambda _b: on())
            paged.add_item(b)

        if step == "service":
            self.prompt = t("Which service do you need?")
            for svc in self._services:
                button(self._name(svc.id), partial(self.pick_service, svc.id), "ticket")
        elif step == "priority":
            self.prompt = t("Do you need to be served first?")
            button(t("No"), lambda: self.pick_priority("none"), "person")
            button(t("I am 60 or older"), lambda: self.pick_priority("elderly"), "elder")
            button(t("I have a disability"), lambda: self.pick_priority("disabled"), "wheelchair")
        elif step == "done":
            ticket = self.draft.result
            self.number = ticket.number if ticket else ""
            self.provisional = bool(ticket and ticket.provisional)
            self.prompt = t("Your number")
            lines = [f"{t('Service')}: {self._name(ticket.service if ticket else None)}"]
            if ticket and ticket.people_ahead is not None:
                lines.append(t("People ahead of you: {n}", n=ticket.people_ahead))
            if ticket and ticket.wait_minutes is not None:
                lines.append(t("Expected wait: about {n} minutes", n=ticket.wait_minutes))
            if self.provisional:
                lines.append(t("This number is provisional: the queue system could not be reached. "
                               "Show it at the counter."))
            paged.add_item(Factory.TicketNumber(number=self.number))
            paged.add_item(Factory.Section(title=t("Your ticket"), text="\n".join(lines)))
            button(t("Print again"), self.print_ticket, "print", "secondary")
        elif step == "error":
            self.prompt = t("No number was issued.")
            button(t("Call staff"), lambda: self.ctx.nav.go("staff"), "staff", "primary")
        elif step == "closed":
            self.prompt = self.closed_text()
            paged.add_item(Factory.Text(text=t("What you can do now:"), role="large"))
            for offer in self.closed_offers():
                button(offer.text, offer.run, offer.icon, offer.style)
        self.ctx.nav.step_shown(self.name)

    def spoken(self) -> str:
        parts = [self.prompt]
        if self.step == "closed":  # the choices said too: they are what works now
            texts = [o.text for o in self.closed_offers()]
            zh = self.ctx.nav.locale.startswith("zh")
            listed = "、".join(texts) + "。" if zh else " " + ", ".join(texts) + "."
            parts.append(self.ctx.nav.t("What you can do now:") + listed)
        if self.step == "done":
            parts.append(self.ctx.nav.t("Your number is on the screen and on the printed ticket."))
        return " ".join(p for p in parts if p)

    def wipe(self) -> None:
        self.opens_at = None
        self.number = self.message = self.prompt = ""
        self.step = "service"
        self.ids.paged.clear_items()
