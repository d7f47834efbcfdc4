"""What the engine hands to a screen: plain, localised, immutable view models.

The UI, the printer and the speaker all read these; none of them sees the raw content
model, so locale fallback and placeholders are resolved in exactly one place.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec


class Progress(msgspec.Struct, frozen=True):
    index: int
    total: int
    title: str
    label: str  # 第2步/共4步


class ChoiceView(msgspec.Struct, frozen=True):
    value: str
    label: str
    say: tuple[str, ...]
    icon: str | None


class NumberSpec(msgspec.Struct, frozen=True):
    min: float | None
    max: float | None
    unit: str


class DateSpec(msgspec.Struct, frozen=True):
    earliest: dt.date
    latest: dt.date


class OfficeView(msgspec.Struct, frozen=True):
    name: str
    address: str
    hours: str
    phone: str
    note: str


class BasisView(msgspec.Struct, frozen=True):
    law: str
    article: str
    gist: str

    @property
    def citation(self) -> str:
        return f"{self.law} {self.article}"


class DeadlineView(msgspec.Struct, frozen=True):
    text: str
    basis: BasisView


class HotlineView(msgspec.Struct, frozen=True):
    title: str
    number: str


class OutcomeView(msgspec.Struct, frozen=True):
    flow_id: str
    node_id: str
    flow_title: str
    title: str
    summary: str
    speak: str
    steps: tuple[str, ...]
    documents: tuple[str, ...]
    where: tuple[OfficeView, ...]
    deadlines: tuple[DeadlineView, ...]
    basis: tuple[BasisView, ...]
    hotlines: tuple[HotlineView, ...]
    offer: tuple[str, ...]
    service: str | None
    locale: str
    content_version: str

    def as_text(self) -> str:
        """The printable summary as plain text (the slip layout builds on the same view)."""
        lines = [self.flow_title, self.title, "", self.summary, ""]
        lines += [f"{i}. {s}" for i, s in enumerate(self.steps, 1)]
        if self.documents:
            lines += ["", *(f"[ ] {d}" for d in self.documents)]
        for office in self.where:
            lines += ["", office.name, office.address, office.hours, office.phone]
        for deadline in self.deadlines:
            lines += ["", f"! {deadline.text} ({deadline.basis.citation})"]
        if self.basis:
            lines += ["", *(b.citation for b in self.basis)]
        lines += [f"{h.title} {h.number}" for h in self.hotlines]
        return "\n".join(lines)


class Screen(msgspec.Struct, frozen=True):
    """One screen of a flow: a question, an info page, an action, the outcome, or a fault."""

    flow_id: str
    node_id: str
    kind: str  # question | info | action | outcome | fault
    flow_title: str
    text: str
    speak: str
    progress: Progress
    can_back: bool
    help: str = ""
    body: str = ""
    input: str | None = None
    choices: tuple[ChoiceView, ...] = ()
    number: NumberSpec | None = None
    date: DateSpec | None = None
    action: str | None = None
    service: str | None = None
    previous: Any = None
    outcome: OutcomeView | None = None
    yes_no: tuple[str, str] = ("", "")


class ReviewItem(msgspec.Struct, frozen=True):
    node_id: str
    question: str
    answer: str
    value: Any
