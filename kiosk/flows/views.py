"""What the engine hands to a screen: plain, localised, immutable view models.

The UI, the printer and the speaker all read these; none of them sees the raw content
model, so locale fallback and placeholders are resolved in exactly one place.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Progress:
    index: int
    total: int
    title: str
    label: str  # 第2步/共4步


@dataclass(frozen=True)
class ChoiceView:
    value: str
    label: str
    say: tuple[str, ...]
    icon: str | None


@dataclass(frozen=True)
class NumberSpec:
    min: float | None
    max: float | None
    unit: str


@dataclass(frozen=True)
class DateSpec:
    earliest: dt.date
    latest: dt.date


@dataclass(frozen=True)
class OfficeView:
    name: str
    address: str
    hours: str
    phone: str
    note: str


@dataclass(frozen=True)
class BasisView:
    law: str
    article: str
    gist: str

    @property
    def citation(self) -> str:
        return f"{self.law} {self.article}"


@dataclass(frozen=True)
class DeadlineView:
    text: str
    basis: BasisView


@dataclass(frozen=True)
class HotlineView:
    title: str
    number: str


@dataclass(frozen=True)
class OutcomeView:
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


@dataclass(frozen=True)
class Screen:
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
    yes_no: tuple[str, str] = field(default=("", ""))


@dataclass(frozen=True)
class ReviewItem:
    node_id: str
    question: str
    answer: str
    value: Any
