"""The published flows as the figures need them: titles and node order for drop-off."""

from __future__ import annotations

from typing import Any

import yaml
from django.db.models import Sum

from central.insight import figures as f
from central.publishing.models import Flow


def _load(flow: Flow) -> dict[str, Any]:
    try:
        data = yaml.safe_load(flow.text)
    except yaml.YAMLError:
        return {}
    return data if isinstance(data, dict) else {}


def titles() -> dict[str, str]:
    out = {}
    for flow in Flow.objects.order_by("flow_id"):
        title = _load(flow).get("title")
        named = title.get("zh-CN") if isinstance(title, dict) else None
        out[flow.flow_id] = str(named or flow.flow_id)
    return out


def node_ids(flow_id: str) -> list[str]:
    flow = Flow.objects.filter(flow_id=flow_id).first()
    nodes = _load(flow).get("nodes", []) if flow else []
    return [str(n["id"]) for n in nodes if isinstance(n, dict) and n.get("id")]


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
