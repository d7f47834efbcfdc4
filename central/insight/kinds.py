"""The usage-event kinds of the contract (docs/api.md) and a check of each kind's detail.

A detail that does not fit its kind is refused per event (`bad_detail`), never stored: the
detail is what rollups read, and it must not carry anything personal (no free text but the
scrubbed search query, itself scrubbed again here).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:/-]{0,79}$")
LEVELS = {5: "非常满意", 4: "满意", 3: "基本满意", 2: "不满意", 1: "非常不满意"}
REASONS = ("not_understood", "not_my_matter", "too_slow", "device_fault", "staff", "other")
PRINTED = ("ticket", "booking", "summary", "receipt", "form")
_DIGIT = re.compile(r"\d")
_NUMBERISH = re.compile(r"#{3,}")


def _ident(value: Any) -> bool:
    return isinstance(value, str) and bool(ID.match(value))


def _opt_ident(value: Any) -> bool:
    return value is None or _ident(value)


def _int(value: Any, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def _opt_int(value: Any, low: int, high: int) -> bool:
    return value is None or _int(value, low, high)


def _one_of(*allowed: str) -> Callable[[Any], bool]:
    return lambda value: value in allowed


def scrub_query(value: str) -> str:
    """Again on the server: digits to #, runs of them (a number) removed, 40 characters."""
    text = _NUMBERISH.sub("", _DIGIT.sub("#", value))
    return " ".join(text.split())[:40]


def _query(value: Any) -> bool:
    return value is None or (isinstance(value, str) and len(value) <= 200)


def _reasons(value: Any) -> bool:
    return isinstance(value, list) and len(value) <= len(REASONS) and all(r in REASONS for r in value)


Check = dict[str, Callable[[Any], bool]]
KINDS: dict[str, Check] = {
    "visit_started": {"lang": _ident, "theme": _ident},
    "visit_ended": {"how": _one_of("finished", "home", "idle"), "seconds": lambda v: _int(v, 0, 86400),
                    "flow": _opt_ident, "node": _opt_ident},
    "flow_started": {"flow": _ident, "via": _one_of("home", "search", "voice", "outcome")},
    "node_reached": {"flow": _ident, "node": _ident},
    "outcome_reached": {"flow": _ident, "outcome": _ident},
    "back": {"flow": _ident, "node": _ident},
    "review": {"flow": _ident},
    "search": {"mode": _one_of("touch", "voice", "pinyin"), "chosen": _opt_ident,
               "rank": lambda v: _opt_int(v, 0, 1000), "results": lambda v: _int(v, 0, 100000),
               "query": _query},
    "ticket": {"service": _ident},
    "booking": {"service": _ident},
    "application": {"kind": _ident},
    "print": {"what": _one_of(*PRINTED)},
    "print_failed": {"what": _one_of(*PRINTED), "reason": _one_of("offline", "paper_out", "error")},
    "language": {"lang": _ident},
    "theme": {"theme": _ident},
    "read_aloud": {"on": lambda v: isinstance(v, bool), "lang": _ident},
    "voice_used": {"screen": _ident},
    "rating": {"level": lambda v: _int(v, 1, 5), "reasons": _reasons,
               "callback": lambda v: isinstance(v, bool), "by": _one_of("touch", "voice")},
}
#: Keys a kiosk may leave out (older kiosk releases, or nothing to say).
OPTIONAL = {"visit_ended": {"flow", "node"}, "search": {"chosen", "rank", "query"},
            "rating": {"reasons", "callback", "by"}, "visit_started": {"theme"}}


def clean_detail(kind: str, detail: Any) -> dict[str, Any] | None:
    """The detail as stored (known keys only, query scrubbed), or None when it does not fit."""
    checks = KINDS[kind]
    if not isinstance(detail, dict):
        return None
    optional = OPTIONAL.get(kind, set())
    clean: dict[str, Any] = {}
    for key, ok in checks.items():
        if key not in detail:
            if key in optional:
                continue
            return None
        if not ok(detail[key]):
            return None
        clean[key] = detail[key]
    if kind == "search":
        query = clean.get("query")
        # Query text is kept only for a search where nothing was chosen.
        clean["query"] = scrub_query(query) if isinstance(query, str) and not clean.get("chosen") else None
    return clean
