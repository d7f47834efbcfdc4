"""The published flows as the figures need them: titles and node order for drop-off.

Parsing a flow's YAML takes tens of milliseconds; a dashboard needs only each flow's title
and node ids, so those are kept per process and re-read only when a flow was saved since.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import yaml
from django.db.models import Sum

from central.insight import figures as f
from central.publishing.models import Flow

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
#: flow id -> (updated_at, zh-CN title, node ids in file order)
_CACHE: dict[str, tuple[dt.datetime, str, list[str]]] = {}


def _summary(flow_id: str, text: str) -> tuple[str, list[str]]:
    try:
        data: Any = yaml.load(text, Loader=_Loader)  # a safe loader (C if built)
    except yaml.YAMLError:
        data = {}
    data = data if isinstance(data, dict) else {}
    title = data.get("title")
    named = title.get("zh-CN") if isinstance(title, dict) else None
    nodes = data.get("nodes") if isinstance(data.get("nodes"), list) else []
    return str(named or flow_id), [str(n["id"]) for n in nodes if isinstance(n, dict) and n.get("id")]


def _flows() -> dict[str, tuple[dt.datetime, str, list[str]]]:
    current = dict(Flow.objects.values_list("flow_id", "updated_at"))
    stale = [fid for fid, at in current.items() if fid not in _CACHE or _CACHE[fid][0] != at]
    for fid, at, text in Flow.objects.filter(flow_id__in=stale).values_list("flow_id", "updated_at", "text"):
        _CACHE[fid] = (at, *_summary(fid, text))
    return {fid: _CACHE[fid] for fid in sorted(current) if fid in _CACHE}


def titles() -> dict[str, str]:
    return {fid: title for fid, (_, title, _) in _flows().items()}


def node_ids(flow_id: str) -> list[str]:
    found = _flows().get(flow_id)
    return list(found[2]) if found else []


def dropoff(scope: f.Scope, flow_id: str) -> list[dict[str, Any]]:
    """Each node of the flow (file order, then nodes only the figures know): how many
    reached it, how many left the kiosk there, and that as a share."""
    rows = scope.counts("node", "left_at", "outcome").filter(key1=flow_id)
    reached: dict[str, int] = {}
    left: dict[str, int] = {}
    for metric, node, n in rows.values_list("metric", "key2").annotate(n=Sum("count")):
        target = left if metric == "left_at" else reached
        target[node] = target.get(node, 0) + int(n or 0)
    order = node_ids(flow_id)
    order += sorted((set(reached) | set(left)) - set(order))
    out = []
    for node in order:
        r, gone = reached.get(node, 0), left.get(node, 0)
        if r or gone:
            out.append({"node": node, "reached": r, "left": gone, "share": gone / r if r else None})
    return out
