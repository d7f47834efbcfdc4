"""The kiosk validator's problems for a working copy, grouped by node, kept briefly so the
map, the page and the node form of one edit do not validate the same text three times."""

from __future__ import annotations

import threading
from collections import OrderedDict

from central.editing.store import token
from central.publishing.content import ContentProblem, validate_flow_text

CACHE_SIZE = 16
_cache: OrderedDict[tuple[str, str], list[ContentProblem]] = OrderedDict()
_lock = threading.Lock()


def problems_of(flow_id: str, text: str) -> list[ContentProblem]:
    key = (flow_id, token(text))
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    found = validate_flow_text(flow_id, text)
    with _lock:
        _cache[key] = found
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return found


def by_node(problems: list[ContentProblem]) -> dict[str | None, list[str]]:
    grouped: dict[str | None, list[str]] = {}
    for p in problems:
        grouped.setdefault(p.node, []).append(p.message)
    return grouped
