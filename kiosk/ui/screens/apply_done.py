"""The applicant screen's ends: sending (on a worker), the receipt with its slip and A4
form, the plain-words errors, and "I do not agree" with the blank form and the summary.

The form's fields are captured before the submission (which wipes the draft) and cleared
as soon as the form is printed; the PDF lives in memory only and goes at the idle wipe.
"""

from __future__ import annotations

from typing import Any

from kivy.factory import Factory
from kivy.properties import StringProperty

from kiosk.applications.errors import ConsentMissing, FieldError
from kiosk.applications.form import FormFields, application_pdf, capture
from kiosk.applications.model import ApplicationKind
from kiosk.applications.receipt import receipt_slip
from kiosk.applications.submit import ApplicationRefused, NoSealKey, Receipt
from kiosk.devices.a4printer import NoA4Printer
from kiosk.insight.a4 import a4_form_event
from kiosk.services.public_urls import blank_form_url, public_base_url
from kiosk.slips.data import SummaryData
from kiosk.ui.apply_texts import A4_FAULTS, A4_PRINTED
from kiosk.ui.dates import day_label
from kiosk.ui.screens.apply_base import ApplyBase
from kiosk.ui.widgets.base import Card
from kiosk.ui.worker import run_async


class ReceiptCode(Card):
    """The application code, big: what the resident quotes on the phone."""

    title = StringProperty("")
    code = StringProperty("")


class ApplyFinish(ApplyBase):
    """Mixed into ApplyScreen: everything from "Send application" on."""

    #: The receipt's code, shown big (not personal: it is printed on the slip).
    code = StringProperty("")
    qr = StringProperty("")
    slip_note = StringProperty("")
    form_note = StringProperty("")
    #: "info" or "warn" for each note (a printer that failed is a warning).
    slip_tone = StringProperty("info")
    form_tone = StringProperty("info")

    # --- sending -------------------------------------------------------------------------

    def submit(self) -> None:
        state: Any = self.app_state
        draft = state.draft
        if draft is None or getattr(self, "step", "") == "sending":
            return
        apps = self.apps
        self.message = ""
        self.show("sending")

        def work() -> tuple[FormFields, Receipt]:
            fields = capture(draft)  # before submit: it wipes the draft
            try:
                return fields, apps.submit(draft)
            except BaseException:
                fields.clear()
                raise

        run_async(work, self.sent)

    def sent(self, result: tuple[FormFields, Receipt] | None, error: BaseException | None) -> None:
        t, loc = self.ctx.nav.t, self.ctx.nav.locale
        state: Any = self.app_state
        if error is not None or result is None:
            self.tone = "warn"
            if isinstance(error, FieldError):  # something missing: the draft is kept, ask it again
                self.message = error.message(loc)
                self.next_step()
                return
            if isinstance(error, ConsentMissing):
                self.show("consent")
                return
            if isinstance(error, NoSealKey | ApplicationRefused):
                self.message = error.text.get(loc) or error.text["zh-CN"]
            else:
                self.message = t("The application could not be sent. Nothing was lost: please try "
                                 "again, or ask staff.")
            self._refused = isinstance(error, ApplicationRefused)
            self.show("error")
            return
        fields, receipt = result
        state.fields, state.receipt = fields, receipt
        self.note_usage("application", kind=str(state.kind or ""))
        self.code, self.qr = receipt.code_display, receipt.url
        self.slip_tone = self.form_tone = "info"
        self.slip_note = t("Printing your receipt...")
        a4 = self.ctx.services.a4
        self.form_note = "" if a4 is None or isinstance(a4, NoA4Printer) else t("Printing your A4 form...")
        self.show("done")
        self._print_all(receipt, fields)

    _refused = False

    def _print_all(self, receipt: Receipt, fields: FormFields) -> None:
        services, loc = self.ctx.services, self.ctx.nav.locale
        chain = list(services.cfg.fallback_chain(loc))
        state: Any = self.app_state
        kind = self.apps.kind(receipt.kind)
        forms = services.bundle.forms

        def work() -> tuple[Any, Any]:
            slip = services.printing.print(receipt_slip(receipt, chain), loc)
            a4 = services.a4
            form = None
            if a4 is not None and not isinstance(a4, NoA4Printer) and kind.form:
                try:
                    state.pdf = application_pdf(forms, kind, fields, receipt).pdf
                    form = a4.print_pdf(state.pdf, receipt.code_display)
                finally:
                    state.pdf = None
                    fields.clear()
            fields.clear()
            return slip, form

        run_async(work, self._printed_all)

    def _printed_all(self, result: tuple[Any, Any] | None, error: BaseException | None) -> None:
        t = self.ctx.nav.t
        slip, form = result if result is not None else (None, None)
        state: Any = self.app_state
        if state.fields is not None:
            state.fields.clear()
            state.fields = None
        slip_ok = slip is not None and slip.printed
        self.slip_tone = "info" if slip_ok else "warn"
        self.slip_note = t("Please take your receipt.") if slip_ok else t(
            "The printer is not working, so the receipt was not printed. Scan the code or note "
            "the application code.")
        if form is not None:
            self._note_form(form.printed, form.fault)
            self.form_tone = "info" if form.printed else "warn"
            self.form_note = t(A4_PRINTED) if form.printed else t(
                A4_FAULTS.get(form.fault or "", A4_FAULTS["job_failed"]))
        elif error is not None and self.form_note:
            self._note_form(False, "job_failed")
            self.form_tone, self.form_note = "warn", t(A4_FAULTS["job_failed"])
        if getattr(self, "step", "") == "done":
            self.show("done")
            self.ctx.nav.say(" ".join(n for n in (self.slip_note, self.form_note) if n))

    # --- the blank form and the summary ----------------------------------------------------------

    def print_blank(self) -> None:
        """"I do not agree" (or a failure): the kind's form with nothing filled in."""
        services, t = self.ctx.services, self.ctx.nav.t
        state: Any = self.app_state
        kind_id = state.kind
        a4 = services.a4
        if not kind_id:
            return
        if a4 is None or isinstance(a4, NoA4Printer):
            # no A4 printer here: the blank form goes home on the resident's phone instead
            self.tone, self.message = "info", t(
                "There is no A4 printer here. Scan the code to get the blank form on your phone.")
            self._paged.add_item(Factory.QrCard(
                title=t("Scan to get the blank form on your phone."),
                data=blank_form_url(public_base_url(services.cfg), kind_id)))
            self.ctx.nav.say(self.message)
            return
        kind = self.apps.kind(kind_id)
        forms = services.bundle.forms
        self.tone, self.message = "info", t("Printing the blank form...")
        run_async(lambda: a4.print_pdf(application_pdf(forms, kind).pdf, kind.id), self._blank_printed)

    def _blank_printed(self, result: Any, _error: BaseException | None) -> None:
        t = self.ctx.nav.t
        if result is not None and result.printed:
            self._note_form(True, None)
            self.tone, self.message = "info", t(A4_PRINTED)
        else:
            fault = getattr(result, "fault", None) or "job_failed"
            self._note_form(False, fault)
            self.tone, self.message = "warn", t(A4_FAULTS.get(fault, A4_FAULTS["job_failed"]))
        self.ctx.nav.say(self.message)

    def _note_form(self, printed: bool, fault: str | None) -> None:
        """The A4 form's `print` / `print_failed` usage event (the slips have theirs)."""
        kind, detail = a4_form_event(printed, fault)
        self.note_usage(kind, **detail)

    def print_summary(self) -> None:
        """The outcome's summary slip, as the outcome screen prints it (no personal data)."""
        screens = getattr(self.ctx.nav, "screens", None)
        outcome = screens.get("outcome") if screens is not None else None
        view = outcome.view if outcome is not None else None
        if outcome is None or view is None:
            return
        data = SummaryData(outcome=view, printed_at=self.ctx.services.clock(), qr=outcome.qr)
        printing = self.ctx.services.printing
        self.tone, self.message = "info", self.ctx.nav.t("Printing...")
        run_async(lambda: printing.print(data, view.locale), self._summary_printed)

    def _summary_printed(self, result: Any, _error: BaseException | None) -> None:
        t = self.ctx.nav.t
        if result is not None and result.printed:
            self.tone, self.message = "info", t("Please take your printed summary.")
        else:
            self.tone, self.message = "warn", t(
                "The printer is not working, so nothing was printed. Scan the code with your phone, "
                "or ask staff for help.")
        self.ctx.nav.say(self.message)

    def _kind_after(self) -> ApplicationKind | None:
        """The kind once the draft is gone (declined, sent): for the heading and the blank form."""
        kind_id = self.app_state.kind
        apps = self.ctx.services.applications
        return apps.kind(kind_id) if kind_id and apps is not None else None

    # --- the end steps ---------------------------------------------------------------------------

    def show_end(self, step: str) -> None:
        t = self.ctx.nav.t
        add = self._paged.add_item
        state: Any = self.app_state
        back = (t("Back to the advice"), "back", self.back, "secondary")
        has_form = bool(state.kind) and bool(self.apps.kind(state.kind).form)
        blank = (t("Print the blank form"), "print", self.print_blank, "secondary")
        if step == "sending":
            self.prompt = t("Sending your application...")
            self._actions()
        elif step == "declined":
            self.prompt = t("Nothing about you was kept.")
            add(Factory.Notice(text=t("You can still apply at the office: print the blank form to fill "
                                      "in at home, or print the summary."), tone="info"))
            self._actions(*([blank] if has_form else []),
                          (t("Print summary"), "print", self.print_summary, "secondary"), back)
        elif step == "error":
            self.prompt = t("The application was not sent.")
            buttons = [] if self._refused else [(t("Try again"), "replay", self.submit, "primary")]
            self._actions(*buttons, *([blank] if has_form else []), back)
        elif step == "done":
            self._show_receipt()

    def _show_receipt(self) -> None:
        t, loc = self.ctx.nav.t, self.ctx.nav.locale
        state: Any = self.app_state
        receipt: Receipt | None = state.receipt
        if receipt is None:
            return
        pick = self.pick
        self.prompt = t("Your application was received. Keep your receipt.") if not receipt.queued else t(
            "Your application is saved and will be sent automatically as soon as the line is back.")
        add = self._paged.add_item
        add(Factory.ReceiptCode(title=t("Application code"), code=receipt.code_display))
        lines = [f"{t('To')}: {pick(receipt.body)}  {receipt.body_phone}".rstrip()]
        if receipt.decision_due is not None:
            due = t("By {date} they must {what}.", date=day_label(receipt.decision_due, loc),
                    what=pick(receipt.decision_what))
            lines.append(due + (f" ({pick(receipt.basis)})" if receipt.basis else ""))
        if receipt.phone_masked:
            lines.append(f"{t('Phone')}: {receipt.phone_masked}")
        add(Factory.Section(title=pick(receipt.title), text="\n".join(lines)))
        for note, tone in ((self.slip_note, self.slip_tone), (self.form_note, self.form_tone)):
            if note:
                add(Factory.Notice(text=note, tone=tone))
        add(Factory.QrCard(title=t("Scan to follow your application on your phone."), data=receipt.url))
        self._actions()  # "Finish" is in the bottom bar: the receipt gets the room

    def wipe_end(self) -> None:
        self.code = self.qr = self.slip_note = self.form_note = ""
        self.slip_tone = self.form_tone = "info"
        self._refused = False
