"""The kiosk validator's problems for a working copy, grouped by node, kept briefly so the
map, the page and the node form of one edit do not validate the same text three times."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict

from central.editing.plain import plain
from central.publishing.content import ContentProblem, content_files, validate_files

CACHE_SIZE = 16
_cache: OrderedDict[tuple[str, str], list[ContentProblem]] = OrderedDict()
_lock = threading.Lock()


def _files(flow_id: str, text: str) -> dict[str, bytes]:
    """What one flow is checked against (pack, localities, application kinds, referrals),
    without the other flows: the validator checks only the target flow anyway, and parsing
    fifteen other files tripled the time."""
    mine = f"flows/{flow_id}.yaml"
    return {path: data for path, data in content_files((flow_id, text)).items()
            if not path.startswith("flows/") or path == mine}


def validate_one(flow_id: str, text: str) -> list[ContentProblem]:
    return validate_files(_files(flow_id, text), only_flow=flow_id)


def problems_of(flow_id: str, text: str) -> list[ContentProblem]:
    """The validator's problems, kept by the exact files checked (a changed pack or locality
    is checked afresh)."""
    files = _files(flow_id, text)
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(path.encode() + b"\0" + files[path] + b"\0")
    key = (flow_id, digest.hexdigest())
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    found = validate_files(files, only_flow=flow_id)
    with _lock:
        _cache[key] = found
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return found


def by_node(problems: list[ContentProblem], lang: str) -> dict[str | None, list[str]]:
    """node id -> the validator's messages, locations in words (None: the whole flow)."""
    grouped: dict[str | None, list[str]] = {}
    for p in problems:
        grouped.setdefault(p.node, []).append(plain(p.message, lang))
    return grouped
