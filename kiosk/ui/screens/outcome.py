"""The outcome: what to do, documents, where to go, deadlines, legal basis (folded), and
actions: print the summary, book, take a ticket, read aloud, continue on a phone (QR)."""

from __future__ import annotations

from typing import Any

from kivy.factory import Factory
from kivy.properties import BooleanProperty, StringProperty

from kiosk.applications.model import ApplicationKind
from kiosk.flows.views import OutcomeView, Screen
from kiosk.services.printing import PrintOutcome
from kiosk.services.public_urls import public_base_url
from kiosk.slips.data import SummaryData
from kiosk.ui.apply_texts import apply_label
from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.worker import run_async


def outcome_url(base: str, view: OutcomeView) -> str:
    """Where the QR codes point: the outcome's public page (same as on the printed slip)."""
    return f"{base.rstrip('/')}/o/{view.flow_id}/{view.node_id}?l={view.locale}"


class OutcomeScreen(KioskScreen):
    heading = StringProperty("")
    qr = StringProperty("")
    qr_title = StringProperty("")
    notice = StringProperty("")
    notice_tone = StringProperty("info")
    printing = BooleanProperty(False)
    show_basis = BooleanProperty(False)
    can_book = BooleanProperty(False)
    can_ticket = BooleanProperty(False)

    def __init__(self, ctx: Any, **kwargs: Any) -> None:
        super().__init__(ctx, **kwargs)
        self.view: OutcomeView | None = None

    def enter(self, **kwargs: Any) -> None:
        self.notice = ""
        self.notice_tone = "info"
        self.show_basis = False
        self.render()

    def relabel(self) -> None:
        if self.ctx.session.flow is not None and self.ctx.session.flow.finished:
            self.render()

    def render(self) -> None:
        flow = self.ctx.session.flow
        if flow is None or not flow.finished:
            return
        view = flow.screen().outcome
        assert view is not None
        self.view = view
        self.heading = view.flow_title
        self.can_book = "book" in view.offer and view.service is not None
        self.can_ticket = "ticket" in view.offer
        self.qr = outcome_url(public_base_url(self.ctx.services.cfg), view)
        self.qr_title = self.ctx.nav.t("Continue on your phone: scan this code.")
        self._fill(view)

    def _fill(self, view: OutcomeView) -> None:
        t = self.ctx.nav.t
        paged = self.ids.paged
        paged.clear_items()
        add = paged.add_item
        # Portrait: the QR code is a card in the list (first when the slip did not print);
        # landscape has room for it beside the actions.
        qr = None if self.ctx.nav.landscape else Factory.QrCard(title=self.qr_title, data=self.qr)
        if qr is not None and self.notice_tone == "warn":
            add(qr)
        add(Factory.OutcomeHead(title=view.title, summary=view.summary))
        for kind in self.kinds():
            chain = list(self.ctx.services.cfg.fallback_chain(self.ctx.nav.locale))
            apply = Factory.KButton(icon="edit", style="primary", main=True, halign="left",
                                    text=apply_label(kind, t, chain))
            apply.bind(on_release=lambda _b, k=kind.id: self.ctx.nav.go("apply", kind=k))
            add(apply)
        for deadline in view.deadlines:
            add(Factory.Notice(text=f"{t('Deadline')}: {deadline.text} ({deadline.basis.citation})",
                               tone="warn"))
        if view.steps:
            add(Factory.Section(title=t("What to do"),
                                text="\n".join(f"{i}.\u00a0{s}" for i, s in enumerate(view.steps, 1))))
        if view.documents:
            add(Factory.Section(title=t("Bring these documents"),
                                text="\n".join(f"□\u00a0{d}" for d in view.documents)))
        for office in view.where:
            lines = [office.address, office.hours, f"{t('Phone')}: {office.phone}", office.note]
            add(Factory.Section(title=f"{t('Where to go')}: {office.name}",
                                text="\n".join(x for x in lines if x)))
        if view.hotlines:
            add(Factory.Section(title=t("Hotlines"),
                                text="\n".join(f"{h.title}  {h.number}" for h in view.hotlines)))
        if view.basis:
            toggle = Factory.KButton(
                icon="book", style="secondary", main=True,
                text=t("Hide the legal basis") if self.show_basis else t("Show the legal basis"))
            toggle.bind(on_release=lambda _b: self.fold())
            add(toggle)
            if self.show_basis:
                add(Factory.Section(title=t("Legal basis"), text="\n".join(
                    f"{b.citation}: {b.gist}" if b.gist else b.citation for b in view.basis)))
        if qr is not None and self.notice_tone != "warn":
            add(qr)

    def kinds(self) -> list[ApplicationKind]:
        """The application kinds this outcome offers (issue 13), when the kiosk can take them."""
        flow = self.ctx.session.flow
        apps = self.ctx.services.applications
        if flow is None or not flow.finished or apps is None or self.view is None:
            return []
        node = flow.compiled.nodes.get(self.view.node_id)
        offered = getattr(node, "apply", None) or []
        return [apps.bundle.applications[k] for k in offered if k in apps.bundle.applications]

    def fold(self) -> None:
        self.show_basis = not self.show_basis
        if self.view is not None:
            self._fill(self.view)

    # --- actions ---------------------------------------------------------------------------

    def print_summary(self) -> None:
        view = self.view
        if view is None or self.printing:
            return
        self.printing = True
        self.notice_tone = "info"
        self.notice = self.ctx.nav.t("Printing...")
        data = SummaryData(outcome=view, printed_at=self.ctx.services.clock(), qr=self.qr)
        printing = self.ctx.services.printing
        run_async(lambda: printing.print(data, view.locale), self.printed)

    def printed(self, result: PrintOutcome | None, error: BaseException | None) -> None:
        self.printing = False
        if result is None or not result.printed:
            self.show_print_failure(result.qr if result and result.qr else self.qr)
            return
        self.notice_tone = "info"
        self.notice = self.ctx.nav.t("Please take your printed summary.")
        self.ctx.nav.say(self.notice)

    def show_print_failure(self, qr: str) -> None:
        self.notice_tone = "warn"
        self.notice = self.ctx.nav.t(
            "The printer is not working, so nothing was printed. Scan the code with your phone, "
            "or ask staff for help.")
        self.qr = qr
        self.qr_title = self.ctx.nav.t("Scan this code instead of the printed summary.")
        if self.view is not None:
            self._fill(self.view)
        self.ctx.nav.say(self.notice)

    def book(self) -> None:
        service = self.view.service if self.view else None
        self.ctx.session.offered_service = service
        self.ctx.nav.go("booking", fresh=True, service=service)

    def ticket(self) -> None:
        service = self.view.service if self.view else None
        self.ctx.session.offered_service = service
        self.ctx.nav.go("ticket", fresh=True, service=service)

    def voice_view(self) -> Screen | None:
        """What read-aloud reads: the outcome with its steps, papers and offices."""
        flow = self.ctx.session.flow
        return flow.screen() if flow is not None and flow.finished else None

    def wipe(self) -> None:
        self.view = None
        self.qr = self.notice = self.heading = ""
        self.ids.paged.clear_items()

