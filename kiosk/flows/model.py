"""The typed model of a flow file: what content authors may write, and nothing else.

Flows arrive over the network, so the model is strict (unknown keys are errors) and
carries no behaviour: the engine interprets it, the validator checks what a schema
cannot (graph, expressions, translations, scenarios).
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=48)]
FlowId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]*$", max_length=48)]
LocaleCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2}(-[A-Z][A-Za-z]{1,3})?$")]
NonEmpty = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]

#: A text a resident sees, keyed by locale ("zh-CN", "en"); resolved through a fallback chain.
Text = dict[LocaleCode, NonEmpty]
#: Several short phrases per locale (search keywords, voice synonyms).
Phrases = dict[LocaleCode, list[NonEmpty]]

LOCALE_RE = re.compile(r"^[a-z]{2}(-[A-Z][A-Za-z]{1,3})?$")


class Strict(BaseModel):
    """Base for every content object: unknown keys are errors, objects are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class VarType(StrEnum):
    BOOL = "bool"
    NUMBER = "number"
    TEXT = "text"
    DATE = "date"


class Variable(Strict):
    type: VarType
    description: str | None = None


class Branch(Strict):
    """One ordered branch: the first whose `when` holds is taken; no `when` means always."""

    when: str | None = None
    goto: Identifier


class InputKind(StrEnum):
    YESNO = "yesno"
    CHOICE = "choice"
    NUMBER = "number"
    DATE = "date"


class Choice(Strict):
    value: Identifier
    label: Text
    #: Extra words a resident may say for this choice (是/对/有), per locale.
    say: Phrases = Field(default_factory=dict)
    icon: str | None = None


class NodeBase(Strict):
    id: Identifier
    #: The named step this screen belongs to (see Flow.steps), for "第2步/共4步".
    step: Identifier | None = None
    next: list[Branch] = Field(default_factory=list)


class QuestionNode(NodeBase):
    kind: Literal["question"]
    input: InputKind
    var: Identifier
    text: Text
    help: Text | None = None
    speak: Text | None = None
    choices: list[Choice] = Field(default_factory=list)
    #: For number input: bounds and the unit shown beside the pad (元, 个月).
    min: float | None = None
    max: float | None = None
    unit: Text | None = None
    #: For date input: how far back the picker goes, in years (the picker never goes ahead).
    years_back: int = Field(default=10, ge=1, le=100)

    @model_validator(mode="after")
    def _choices_match_input(self) -> QuestionNode:
        if self.input is InputKind.CHOICE and len(self.choices) < 2:
            raise ValueError("a choice question needs at least two choices")
        if self.input is not InputKind.CHOICE and self.choices:
            raise ValueError(f"'choices' only belong to input: choice, not {self.input.value}")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError("min is larger than max")
        return self


class InfoNode(NodeBase):
    kind: Literal["info"]
    text: Text
    body: Text | None = None
    speak: Text | None = None


class ComputeNode(NodeBase):
    """Sets variables from expressions; never shown to the resident."""

    kind: Literal["compute"]
    set: dict[Identifier, str]


class ActionKind(StrEnum):
    BOOK = "book"
    TICKET = "ticket"
    PRINT = "print"
    CALL_STAFF = "call_staff"


class ActionNode(NodeBase):
    """Offers one service mid-flow (e.g. "call staff now"); the UI performs it."""

    kind: Literal["action"]
    action: ActionKind
    text: Text
    speak: Text | None = None
    #: Service id from the catalogue, for book and ticket.
    service: str | None = None


class LegalBasis(Strict):
    law: Text
    article: Text
    #: One plain sentence of what the article says, for the folded "legal basis" panel.
    gist: Text | None = None


class Deadline(Strict):
    text: Text
    basis: LegalBasis


class Where(Strict):
    """Where to go: offices are looked up in the locality data by the service they offer."""

    service: str
    note: Text | None = None


class OutcomeNode(NodeBase):
    kind: Literal["outcome"]
    title: Text
    summary: Text
    speak: Text | None = None
    #: What to do next, in order.
    steps: list[Text] = Field(min_length=1)
    documents: list[Text] = Field(default_factory=list)
    where: list[Where] = Field(default_factory=list)
    deadlines: list[Deadline] = Field(default_factory=list)
    basis: list[LegalBasis] = Field(min_length=1)
    #: Hotline keys from the hotline table (e.g. "legal", "labour").
    hotlines: list[str] = Field(default_factory=list)
    offer: list[ActionKind] = Field(default_factory=list)
    #: Service id to book or queue for when `offer` has book/ticket.
    service: str | None = None


Node = Annotated[
    QuestionNode | InfoNode | ComputeNode | ActionNode | OutcomeNode,
    Field(discriminator="kind"),
]

AnswerValue = bool | float | int | str | dt.date


class Scenario(Strict):
    """A scripted interview: answers by question node id, and the outcome it must reach."""

    name: str
    answers: dict[Identifier, AnswerValue]
    expect: Identifier
    #: Fixed "today" for date arithmetic, so scenarios do not rot.
    today: dt.date | None = None


class Step(Strict):
    id: Identifier
    title: Text


class Flow(Strict):
    id: FlowId
    topic: Identifier
    icon: str | None = None
    title: Text
    summary: Text
    keywords: Phrases
    steps: list[Step] = Field(min_length=1)
    variables: dict[Identifier, Variable] = Field(default_factory=dict)
    start: Identifier
    nodes: list[Node] = Field(min_length=1)
    scenarios: list[Scenario] = Field(default_factory=list)
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
