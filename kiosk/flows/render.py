"""Turning content nodes into localised view models for one resident's locale."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import msgspec

from kiosk.content.bundle import Bundle
from kiosk.flows.answers import earliest_date
from kiosk.flows.model import (
    ActionNode,
    AnyNode,
    ComputeNode,
    Flow,
    InfoNode,
    InputKind,
    LegalBasis,
    OutcomeNode,
    QuestionNode,
)
from kiosk.flows.texts import fill, format_value, message, pick
from kiosk.flows.views import (
    BasisView,
    ChoiceView,
    DateSpec,
    DeadlineView,
    HotlineView,
    NumberSpec,
    OfficeView,
    OutcomeView,
    Progress,
    ReviewItem,
    Screen,
)


class Renderer(msgspec.Struct):
    bundle: Bundle
    flow: Flow
    chain: Sequence[str]
    locale: str
    variables: Mapping[str, Any]
    rules: Mapping[str, Any]
    today: dt.date

    def t(self, text: Mapping[str, str] | None) -> str:
        return fill(pick(text, self.chain), self.variables, self.rules)

    def progress(self, step_id: str) -> Progress:
        ids = [s.id for s in self.flow.steps]
        index = ids.index(step_id) + 1 if step_id in ids else 1
        title = self.t(self.flow.steps[index - 1].title)
        label = message("progress", self.chain, index=index, total=len(ids))
        return Progress(index, len(ids), title, label)

    def screen(self, node: AnyNode, step: str, can_back: bool, previous: Any) -> Screen:
        base: dict[str, Any] = {
            "flow_id": self.flow.id, "node_id": node.id, "flow_title": self.t(self.flow.title),
            "progress": self.progress(step), "can_back": can_back, "previous": previous,
        }
        match node:
            case QuestionNode():
                return self._question(node, base)
            case InfoNode():
                text, body = self.t(node.text), self.t(node.body)
                speak = self.t(node.speak) or f"{text} {body}".strip()
                return Screen(kind="info", text=text, body=body, speak=speak, **base)
            case ActionNode():
                text = self.t(node.text)
                return Screen(kind="action", text=text, speak=self.t(node.speak) or text,
                              action=node.action.value, service=node.service, **base)
            case OutcomeNode():
                view = self.outcome(node)
                return Screen(kind="outcome", text=view.title, body=view.summary,
                              speak=view.speak, outcome=view,
                              service=node.service, **base)
            case ComputeNode():
                raise AssertionError("compute nodes are never shown")

    def _question(self, node: QuestionNode, base: dict[str, Any]) -> Screen:
        text = self.t(node.text)
        choices = tuple(
            ChoiceView(c.value, self.t(c.label), tuple(c.say.get(self.locale, [])), c.icon)
            for c in node.choices
        )
        number = (
            NumberSpec(node.min, node.max, self.t(node.unit))
            if node.input is InputKind.NUMBER else None
        )
        date = (
            DateSpec(earliest_date(node, self.today), self.today)
            if node.input is InputKind.DATE else None
        )
        yes_no = (message("yes", self.chain), message("no", self.chain))
        return Screen(
            kind="question", text=text, speak=self.t(node.speak) or text,
            help=self.t(node.help), input=node.input.value, choices=choices, number=number,
            date=date, yes_no=yes_no, **base,
        )

    def fault(self, node_id: str, step: str, can_back: bool) -> Screen:
        text = message("fault.text", self.chain)
        return Screen(
            flow_id=self.flow.id, node_id=node_id, kind="fault", flow_title=self.t(self.flow.title),
            text=message("fault.title", self.chain), body=text, speak=text,
            progress=self.progress(step), can_back=can_back, action="call_staff",
        )

    def basis(self, b: LegalBasis) -> BasisView:
        return BasisView(self.t(b.law), self.t(b.article), self.t(b.gist))

    def outcome(self, node: OutcomeNode) -> OutcomeView:
        offices = tuple(
            OfficeView(self.t(o.name), self.t(o.address), self.t(o.hours), o.phone, self.t(w.note))
            for w in node.where
            for o in self.bundle.offices_for(w.service)
        )
        table = self.bundle.hotlines()
        hotlines = tuple(
            HotlineView(self.t(table[h].title), table[h].number) for h in node.hotlines if h in table
        )
        title = self.t(node.title)
        summary = self.t(node.summary)
        return OutcomeView(
            flow_id=self.flow.id, node_id=node.id, flow_title=self.t(self.flow.title),
            title=title, summary=summary, speak=self.t(node.speak) or f"{title}。{summary}",
            steps=tuple(self.t(s) for s in node.steps),
            documents=tuple(self.t(d) for d in node.documents),
            where=offices,
            deadlines=tuple(DeadlineView(self.t(d.text), self.basis(d.basis))
                            for d in node.deadlines),
            basis=tuple(self.basis(b) for b in node.basis),
            hotlines=hotlines, offer=tuple(a.value for a in node.offer), service=node.service,
            locale=self.locale, content_version=self.bundle.version,
        )

    def review_item(self, node: QuestionNode, value: Any) -> ReviewItem:
        if node.input is InputKind.YESNO:
            shown = message("yes" if value else "no", self.chain)
        elif node.input is InputKind.CHOICE:
            shown = next((self.t(c.label) for c in node.choices if c.value == value), str(value))
        else:
            unit = self.t(node.unit)
            shown = f"{format_value(value)} {unit}".strip()
        return ReviewItem(node.id, self.t(node.text), shown, value)
