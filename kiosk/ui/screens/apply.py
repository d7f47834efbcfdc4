"""Applying from an outcome (issue 13): consent → who you are (ID card, or by hand) →
the case questions → review → submit → receipt. One screen, in steps, like booking.

Nothing personal is taken before consent (the ID number not before its own consent);
"I do not agree" and "Withdraw" drop everything and still offer the blank form and the
summary. Card reads and the submission run on workers; leaving the screen cancels a read.
Values are shown while they are entered, masked after, and never spoken.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from kivy.factory import Factory

from kiosk.applications.deadline import CHINA
from kiosk.applications.errors import FieldError
from kiosk.applications.model import PersonField
from kiosk.ports import IdCardError
from kiosk.ui.apply_texts import FIELD_NAMES, FROM_CARD, card_value, masked, next_field
from kiosk.ui.screens.apply_entry import ApplyEntry
from kiosk.ui.worker import run_async

CARD_TIMEOUT_S = 20.0
#: Steps before consent or after the end: Back returns to the advice.
OUTER = ("consent", "declined", "done", "error")


class ApplyScreen(ApplyEntry):
    # --- starting ----------------------------------------------------------------------------

    def enter(self, kind: str | None = None, **kwargs: Any) -> None:
        if kind is not None:
            self.start(kind)

    def start(self, kind_id: str) -> None:
        apps = self.apps
        flow = self.ctx.session.flow
        answers: dict[str, Any] = {}
        flow_id = outcome = ""
        if flow is not None and flow.finished:
            flow_id, outcome = flow.state.flow_id, flow.state.path[-1]
            answers = flow.variables()
        self.app_state.wipe()
        self.mode = "hand"
        self.text_entry.show("hand")
        self.app_state.kind = kind_id
        self.app_state.draft = apps.start(kind_id, flow=flow_id, outcome=outcome,
                                          locale=self.ctx.nav.locale, answers=answers)
        self._skipped, self._asked = set(), set()
        self.message = ""
        self.show("consent")

    def relabel(self) -> None:
        if self.draft is not None or self.step in ("declined", "done", "error"):
            self.show(self.step)

    # --- drawing ----------------------------------------------------------------------------

    def show(self, step: str) -> None:
        self.step = step
        t = self.ctx.nav.t
        kind = self.kind or self._kind_after()
        self.heading = self.pick(kind.title) if kind else t("Apply")
        self.entry = ""
        paged = self._paged
        paged.clear_items()
        # landscape: the consent's sections and the receipt's parts two by two, to be seen at once
        paged.cols = 2 if self.ctx.nav.landscape and step in ("consent", "done") else 1
        add = paged.add_item
        if step == "consent" and kind is not None:
            c = kind.consent
            body, phone = self.apps.body(kind)
            whom = self.pick(c.whom) + (f"\n{self.pick(body)}  {phone}" if body else "")
            self.prompt = t(
                "Before anything is written down, please read this. Nothing is kept unless you agree.")
            for title, text in ((t("What we write down"), self.pick(c.what)), (t("Who gets it"), whom),
                                (t("What for"), self.pick(c.why)),
                                (t("How long it is kept"), self.pick(c.how_long)),
                                (t("Your rights"), self.pick(c.rights))):
                add(Factory.Section(title=title, text=text))
            self._actions((t("I agree"), "check", self.agree, "primary"),
                          (t("I do not agree"), "close", self.decline, "secondary"))
        elif step == "consent_id" and kind is not None and kind.consent.id_number:
            self.prompt = t("Your ID number needs your separate agreement.")
            add(Factory.Section(title=t("Your ID number"), text=self.pick(kind.consent.id_number)))
            self._actions((t("I agree to give my ID number"), "check", self.agree_id, "primary"),
                          (t("I do not agree"), "close", self.decline, "secondary"))
        elif step == "who":
            self.prompt = t("Who is applying? The quickest way is your ID card.")
            add(Factory.Notice(text=t("Put your ID card on the reader below the screen, then tap "
                                      "\u201cRead my ID card\u201d."), tone="info"))
            self._actions((t("Read my ID card"), "person", self.read_card, "primary"),
                          (t("No card: enter by hand"), "edit", self.by_hand, "secondary"))
        elif step == "card":
            self.prompt = t("Reading your ID card. Leave it on the reader.")
            self._actions((t("No card: enter by hand"), "edit", self.by_hand, "secondary"))
        elif step == "card_failed":
            self.prompt = t("Your ID card could not be read.")
            buttons = [(t("Enter by hand"), "edit", self.by_hand, "primary")]
            if self._retry:
                buttons.insert(0, (t("Try again"), "replay", self.read_card, "primary"))
                buttons[1] = (t("Enter by hand"), "edit", self.by_hand, "secondary")
            self._actions(*buttons)
        elif step == "field":
            self._show_field()
        elif step == "case":
            self._show_case()
        elif step == "review":
            self._show_review()
        else:
            self.show_end(step)
        self.ctx.nav.step_shown(self.name)

    # --- consent ------------------------------------------------------------------------------

    def agree(self) -> None:
        draft = self.draft
        if draft is None:
            return
        draft.agree(dt.datetime.now(CHINA))
        self.message = ""
        if draft.kind.sensitive:
            self.show("consent_id")
        else:
            self.after_consent()

    def agree_id(self) -> None:
        if self.draft is None:
            return
        self.draft.agree(dt.datetime.now(CHINA), id_number=True)
        self.after_consent()

    def after_consent(self) -> None:
        kind = self.kind
        card_helps = kind is not None and any(f in kind.required for f in FROM_CARD)
        if card_helps and self.ctx.services.idcard.unavailable() is None:
            self.show("who")
        else:
            self.next_step()

    def decline(self) -> None:
        """Nothing is kept: the draft (with anything entered) goes; the offers stay."""
        self._cancel_read()
        self._value = self.shown_value = self.pinyin = ""
        kind = self.kind
        self.app_state.wipe()
        self.app_state.kind = kind.id if kind else None
        self.message = ""
        self.show("declined")

    # --- the card ------------------------------------------------------------------------------

    _retry = True

    def read_card(self) -> None:
        self.message = ""
        self.reading = True
        self.show("card")
        reader = self.ctx.services.idcard
        run_async(lambda: reader.read(CARD_TIMEOUT_S), self.card_read)

    def card_read(self, card: Any, error: BaseException | None) -> None:
        self.reading = False
        if self.step != "card" or self.draft is None:  # left, or entered by hand meanwhile
            if card is not None:
                card.wipe()
            return
        if error is not None or card is None:
            self._retry = isinstance(error, IdCardError) and error.retry
            self.tone = "warn"
            self.message = error.message(self.ctx.nav.locale) if isinstance(error, IdCardError) else \
                self.ctx.nav.t("The card reader is not working. Please enter your details by hand.")
            self.show("card_failed")
            return
        self.app_state.card = card
        problem = None
        for field in FROM_CARD:
            if field in self.draft.kind.fields:
                try:
                    self.draft.set_person(field, card_value(card, field), self.ctx.services.clock().date())
                except FieldError as exc:  # a field the card has wrong: asked by hand below
                    problem = exc
        self.tone, self.message = ("warn", problem.message(self.ctx.nav.locale)) if problem else (
            "info", self.ctx.nav.t("Your ID card was read."))
        self.next_step()

    def by_hand(self) -> None:
        self._cancel_read()
        self.message = ""
        self.next_step()

    def _cancel_read(self) -> None:
        if self.reading:
            self.ctx.services.idcard.cancel()
            self.reading = False

    def on_leave(self, *_args: Any) -> None:
        self._cancel_read()
    # --- fields -------------------------------------------------------------------------------

    def next_step(self) -> None:
        draft = self.draft
        if draft is None:
            return
        field = next_field(draft.kind.fields, draft.kind.required, draft, self._skipped)
        if field is not None:
            self._field, self._value, self.pinyin = field.value, "", ""
            self.show("field")
            return
        for name in draft.kind.case:
            if name not in self._asked:
                self._field = f"case:{name}"
                self.show("case")
                return
        self.show("review")

    def _show_review(self) -> None:
        t = self.ctx.nav.t
        draft = self.draft
        assert draft is not None
        self.prompt = t("Please check, then send your application.")
        body, phone = self.apps.body(draft.kind)
        person = draft.person() if not draft.missing() else {}
        lines = [f"{t('To')}: {self.pick(body)}  {phone}".rstrip()]
        for field in (PersonField.NAME, PersonField.ID_NUMBER, PersonField.ADDRESS, PersonField.PHONE):
            if field in draft.kind.fields:
                value = person.get(field.value, "")
                shown = masked(field, value, t) if value else t("(skipped)")
                lines.append(f"{t(FIELD_NAMES[field])}: {shown}")
        for name, question in draft.kind.case.items():
            lines.append(f"{self.pick(question)}: {t('(entered)') if name in draft.case else t('(skipped)')}")
        self._paged.add_item(Factory.Section(title=self.pick(draft.kind.title), text="\n".join(lines)))
        self._actions((t("Send application"), "check", self.submit, "primary"),
                      (t("Withdraw"), "close", self.decline, "secondary"))

    # --- leaving and privacy -------------------------------------------------------------------

    def back(self) -> None:
        if self.step in OUTER:
            if self.step != "done":
                self.decline() if self.draft is not None else None
            self.ctx.nav.go("outcome") if self.ctx.session.flow is not None else self.ctx.nav.go("home")
        elif self.step in ("consent_id", "who", "card", "card_failed") or self.draft is None:
            self._cancel_read()
            self.show("consent")
        else:
            self._value = self.shown_value = ""
            self.message = ""
            self.show("who") if self.ctx.services.idcard.unavailable() is None else self.show("consent")

    def spoken(self) -> str:
        """Prompt, message, and the plain-words sections; never a value typed or read."""
        parts = [self.prompt, self.message]
        if self.step in ("consent", "consent_id", "case", "declined", "error"):
            for item in reversed(self._paged.box.children):
                parts += [getattr(item, "title", ""), getattr(item, "text", "")]
        if self.step == "done":
            parts.append(self.ctx.nav.t("Your application code is on the screen and on the slip."))
        return " ".join(p for p in parts if p)

    def wipe(self) -> None:
        self._cancel_read()
        self._value = self.shown_value = self.pinyin = self._field = ""
        self._skipped, self._asked = set(), set()
        self.message = self.prompt = self.heading = ""
        self.entry = ""
        self.step = "consent"
        self._paged.clear_items()
        self.ids.actions.clear_widgets()
        self.pad.clear()
        self.candidates.show([])
        self.mode = "hand"  # the next resident starts at the pad
        self.text_entry.show("hand")
        self.wipe_end()
