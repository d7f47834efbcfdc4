"""The usage-events contract's kinds and the shape of each one's `detail` (docs/api.md).

A check, not a schema library: each kind names its keys and, for each key, the values it
may take (a type, or a set of allowed strings). Anything else is refused before it is
queued, so a programming slip can never put free text (and with it personal data) into an
event.
"""

from __future__ import annotations

from typing import Any

STR_OR_NONE = (str, type(None))
INT_OR_NONE = (int, type(None))
LANGS = frozenset({"zh-CN", "en"})
PRINTABLE = frozenset({"ticket", "booking", "summary", "receipt", "form"})
REASON_CODES = ("not_understood", "not_my_matter", "too_slow", "device_fault", "staff", "other")

#: kind -> {key: a type tuple, or a frozenset of allowed values}
KINDS: dict[str, dict[str, Any]] = {
    "visit_started": {"lang": LANGS, "theme": frozenset({"normal", "large"})},
    "visit_ended": {"how": frozenset({"finished", "home", "idle"}), "seconds": (int,),
                    "flow": STR_OR_NONE, "node": STR_OR_NONE},
    "flow_started": {"flow": (str,), "via": frozenset({"home", "search", "voice", "outcome"})},
    "node_reached": {"flow": (str,), "node": (str,)},
    "outcome_reached": {"flow": (str,), "outcome": (str,)},
    "back": {"flow": (str,), "node": (str,)},
    "review": {"flow": (str,)},
    "search": {"mode": frozenset({"touch", "voice", "pinyin"}), "chosen": STR_OR_NONE,
               "rank": INT_OR_NONE, "results": (int,), "query": STR_OR_NONE},
    "ticket": {"service": (str,)},
    "booking": {"service": (str,)},
    "application": {"kind": (str,)},
    "print": {"what": PRINTABLE},
    "print_failed": {"what": PRINTABLE, "reason": frozenset({"offline", "paper_out", "error"})},
    "language": {"lang": (str,)},
    "theme": {"theme": (str,)},
    "read_aloud": {"on": (bool,), "lang": frozenset({"cmn", "yue", "en"})},
    "voice_used": {"screen": (str,)},
    "rating": {"level": (int,), "reasons": (list,), "callback": (bool,),
               "by": frozenset({"touch", "voice"})},
}

#: Identifiers (flow, node, service ids) are short slugs from the content, never free text.
MAX_ID = 80


class BadEvent(ValueError):
    """A kind or detail outside the contract (a programming slip, never a resident's)."""


def check(kind: str, detail: dict[str, Any]) -> None:
    shape = KINDS.get(kind)
    if shape is None:
        raise BadEvent(f"unknown usage event kind {kind!r}")
    if set(detail) != set(shape):
        raise BadEvent(f"{kind}: detail keys {sorted(detail)} are not {sorted(shape)}")
    for key, allowed in shape.items():
        value = detail[key]
        if isinstance(allowed, frozenset):
            if value not in allowed:
                raise BadEvent(f"{kind}.{key}: {value!r} is not one of {sorted(allowed)}")
        elif not isinstance(value, allowed) or (isinstance(value, bool) and bool not in allowed):
            raise BadEvent(f"{kind}.{key}: {type(value).__name__} is not allowed")
        elif isinstance(value, str) and len(value) > MAX_ID:
            raise BadEvent(f"{kind}.{key}: longer than {MAX_ID} characters")
    if kind == "rating":
        if not 1 <= detail["level"] <= 5:
            raise BadEvent("rating.level must be 1..5")
        if any(code not in REASON_CODES for code in detail["reasons"]):
            raise BadEvent("rating.reasons: unknown reason code")
    if kind == "search" and detail["query"] is not None:
        if detail["chosen"] is not None:
            raise BadEvent("search.query is kept only when nothing was chosen")
        if len(detail["query"]) > 40:
            raise BadEvent("search.query longer than 40 characters (not scrubbed?)")
