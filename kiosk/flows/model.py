"""The typed model of a flow file: what content authors may write, and nothing else.

Flows arrive over the network, so the model is strict (unknown keys are errors) and
carries no behaviour: the engine interprets it, the validator checks what a schema
cannot (graph, expressions, translations, scenarios). msgspec rather than pydantic: the
kiosk must have its flows ready within 200 ms of process start, and importing pydantic
and building its validators alone took longer than that on a 2-core terminal.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated, Any

import msgspec
from msgspec import Meta, field

Identifier = Annotated[str, Meta(pattern=r"^[a-z][a-z0-9_]*$", max_length=48)]
FlowId = Annotated[str, Meta(pattern=r"^[a-z][a-z0-9-]*$", max_length=48)]
LocaleCode = Annotated[str, Meta(pattern=r"^[a-z]{2}(-[A-Z][A-Za-z]{1,3})?$")]
NonEmpty = Annotated[str, Meta(pattern=r"\S")]

#: A text a resident sees, keyed by locale ("zh-CN", "en"); resolved through a fallback chain.
Text = dict[LocaleCode, NonEmpty]
#: Several short phrases per locale (search keywords, voice synonyms).
Phrases = dict[LocaleCode, list[NonEmpty]]

LOCALE_RE = re.compile(r"^[a-z]{2}(-[A-Z][A-Za-z]{1,3})?$")


class Strict(msgspec.Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    """Base for every content object: unknown keys are errors, objects are immutable."""


class VarType(StrEnum):
    BOOL = "bool"
    NUMBER = "number"
    TEXT = "text"
    DATE = "date"


class Variable(Strict, frozen=True, kw_only=True):
    type: VarType
    description: str | None = None


class Branch(Strict, frozen=True, kw_only=True):
    """One ordered branch: the first whose `when` holds is taken; no `when` means always."""

    when: str | None = None
    goto: Identifier


class InputKind(StrEnum):
    YESNO = "yesno"
    CHOICE = "choice"
    NUMBER = "number"
    DATE = "date"


class Choice(Strict, frozen=True, kw_only=True):
    value: Identifier
    label: Text
    #: Extra words a resident may say for this choice (是/对/有), per locale.
    say: Phrases = field(default_factory=dict)
    icon: str | None = None


class NodeBase(Strict, tag_field="kind", frozen=True, kw_only=True):
    id: Identifier
    #: The named step this screen belongs to (see Flow.steps), for "第2步/共4步".
    step: Identifier | None = None
    next: list[Branch] = field(default_factory=list)


class QuestionNode(NodeBase, tag="question", frozen=True, kw_only=True):
    input: InputKind
    var: Identifier
    text: Text
    help: Text | None = None
    speak: Text | None = None
    choices: list[Choice] = field(default_factory=list)
    #: For number input: bounds and the unit shown beside the pad (元, 个月).
    min: float | None = None
    max: float | None = None
    unit: Text | None = None
    #: For date input: how far back the picker goes, in years (the picker never goes ahead).
    years_back: Annotated[int, Meta(ge=1, le=100)] = 10

    def __post_init__(self) -> None:
        if self.input is InputKind.CHOICE and len(self.choices) < 2:
            raise ValueError("a choice question needs at least two choices")
        if self.input is not InputKind.CHOICE and self.choices:
            raise ValueError(f"'choices' only belong to input: choice, not {self.input.value}")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError("min is larger than max")


class InfoNode(NodeBase, tag="info", frozen=True, kw_only=True):
    text: Text
    body: Text | None = None
    speak: Text | None = None


class ComputeNode(NodeBase, tag="compute", frozen=True, kw_only=True):
    """Sets variables from expressions; never shown to the resident."""

    set: dict[Identifier, str]


class ActionKind(StrEnum):
    BOOK = "book"
    TICKET = "ticket"
    PRINT = "print"
    CALL_STAFF = "call_staff"


class ActionNode(NodeBase, tag="action", frozen=True, kw_only=True):
    """Offers one service mid-flow (e.g. "call staff now"); the UI performs it."""

    action: ActionKind
    text: Text
    speak: Text | None = None
    #: Service id from the catalogue, for book and ticket.
    service: str | None = None


class LegalBasis(Strict, frozen=True, kw_only=True):
    law: Text
    article: Text
    #: One plain sentence of what the article says, for the folded "legal basis" panel.
    gist: Text | None = None


class Deadline(Strict, frozen=True, kw_only=True):
    text: Text
    basis: LegalBasis


class Where(Strict, frozen=True, kw_only=True):
    """Where to go: offices are looked up in the locality data by the service they offer."""

    service: str
    note: Text | None = None


class OutcomeNode(NodeBase, tag="outcome", frozen=True, kw_only=True):
    title: Text
    summary: Text
    speak: Text | None = None
    #: What to do next, in order.
    steps: Annotated[list[Text], Meta(min_length=1)]
    documents: list[Text] = field(default_factory=list)
    where: list[Where] = field(default_factory=list)
    deadlines: list[Deadline] = field(default_factory=list)
    basis: Annotated[list[LegalBasis], Meta(min_length=1)]
    #: Hotline keys from the hotline table (e.g. "legal", "labour").
    hotlines: list[str] = field(default_factory=list)
    offer: list[ActionKind] = field(default_factory=list)
    #: Service id to book or queue for when `offer` has book/ticket.
    service: str | None = None
    #: Application kinds the resident can apply for from here (content/applications/).
    apply: list[FlowId] = field(default_factory=list)


Node = QuestionNode | InfoNode | ComputeNode | ActionNode | OutcomeNode


class Scenario(Strict, frozen=True, kw_only=True):
    """A scripted interview: answers by question node id, and the outcome it must reach."""

    name: str
    #: Values are checked by the engine as the question is answered (bool, number, text, date).
    answers: dict[Identifier, Any]
    expect: Identifier
    #: Fixed "today" for date arithmetic, so scenarios do not rot.
    today: dt.date | None = None


class Step(Strict, frozen=True, kw_only=True):
    id: Identifier
    title: Text


class Flow(Strict, frozen=True, kw_only=True):
    id: FlowId
    topic: Identifier
    icon: str | None = None
    title: Text
    summary: Text
    keywords: Phrases
    steps: Annotated[list[Step], Meta(min_length=1)]
    variables: dict[Identifier, Variable] = field(default_factory=dict)
    start: Identifier
    nodes: Annotated[list[Node], Meta(min_length=1)]
    scenarios: list[Scenario] = field(default_factory=list)
    #: When the content was last checked against the law, and by whom.
    reviewed: dt.date | None = None

    def node(self, node_id: str) -> QuestionNode | InfoNode | ComputeNode | ActionNode | OutcomeNode:
        for node in self.nodes:
            if node.id == node_id:
                return node
        raise KeyError(node_id)

    def node_map(
        self,
    ) -> dict[str, QuestionNode | InfoNode | ComputeNode | ActionNode | OutcomeNode]:
        return {node.id: node for node in self.nodes}


AnyNode = QuestionNode | InfoNode | ComputeNode | ActionNode | OutcomeNode
