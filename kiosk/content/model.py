"""Typed model of the content pack around the flows, and of a locality's data.

The pack (`content/pack.yaml`) is national and the same everywhere: topics, the service
catalogue, national hotlines. A locality (`config/localities/*.yaml`) holds what differs
by place: offices, local phone numbers and the rule figures flows refer to by name, so
that no threshold or phone number is ever written into a flow or into code.
"""

from __future__ import annotations

from typing import Annotated, Literal

from msgspec import Meta, field

from kiosk.flows.model import Identifier, Phrases, Strict, Text, VarType


class Topic(Strict, frozen=True, kw_only=True):
    id: Identifier
    title: Text
    icon: str | None = None


class Service(Strict, frozen=True, kw_only=True):
    """A service an office offers (legal consultation, mediation, legal aid, notarization)."""

    id: str
    title: Text
    #: Letter for queue numbers at offices without a configured one (A001...).
    queue_prefix: Annotated[str, Meta(pattern=r"^[A-Z]$")]
    bookable: bool = True


class Hotline(Strict, frozen=True, kw_only=True):
    id: Identifier
    number: Annotated[str, Meta(pattern=r"^[0-9-]{3,20}$")]
    title: Text


class Pack(Strict, frozen=True, kw_only=True):
    """`content/pack.yaml`: what every kiosk in the country shares."""

    version: str
    locales: Annotated[list[str], Meta(min_length=1)]
    topics: list[Topic]
    services: list[Service]
    hotlines: list[Hotline]
    #: Colloquial or dialect word -> standard word, for search (咋 -> 怎么, 工钱 -> 工资).
    synonyms: dict[str, list[str]] = field(default_factory=dict)


class Rule(Strict, frozen=True, kw_only=True):
    """A local figure a flow refers to as `rules.<name>`."""

    type: VarType
    value: float | int | str | bool
    unit: Text | None = None
    #: Where the figure comes from (notice, date), for the administrator.
    source: str


class Office(Strict, frozen=True, kw_only=True):
    id: str
    name: Text
    address: Text
    hours: Text
    phone: Annotated[str, Meta(pattern=r"^[0-9-]{3,20}$")]
    services: list[str]
    kind: Identifier


class Locality(Strict, frozen=True, kw_only=True):
    """`config/localities/<id>.yaml`: one county's offices, phone numbers and figures."""

    id: str
    name: Text
    rules: dict[Identifier, Rule]
    offices: Annotated[list[Office], Meta(min_length=1)]
    #: Local hotlines override or add to the national ones, by id.
    hotlines: list[Hotline] = field(default_factory=list)
    keywords: Phrases = field(default_factory=dict)
    #: The voice the Chinese screens are read in until a resident chooses: "cmn" (Mandarin)
    #: or "yue" (Cantonese, e.g. in Guangdong). Back to this at every idle wipe.
    read_aloud: Literal["cmn", "yue"] = "cmn"
