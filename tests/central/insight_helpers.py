"""Usage events as a kiosk sends them (the contract in docs/api.md), for the insight tests."""

from __future__ import annotations

import datetime as dt
import random
import uuid
from typing import Any

FLOWS = ("wage-arrears", "divorce", "traffic-accident")


def event(kind: str, detail: dict[str, Any], at: dt.datetime | None = None, visit: str | None = None) -> dict[str, Any]:
    at = at or dt.datetime.now(dt.UTC)
    return {"id": str(uuid.uuid4()), "kind": kind, "at": at.isoformat(), "visit": visit or uuid.uuid4().hex,
            "detail": detail}


def visit(rng: random.Random, at: dt.datetime) -> list[dict[str, Any]]:
    """One resident's visit: start, a flow with its nodes, maybe a ticket, a rating, the end."""
    v = uuid.uuid4().hex
    flow = rng.choice(FLOWS)
    nodes = ["start", "q1", "q2", "q3"][: rng.randint(1, 4)]
    out = [event("visit_started", {"lang": "zh-CN", "theme": "normal"}, at, v),
           event("flow_started", {"flow": flow, "via": "home"}, at, v)]
    out += [event("node_reached", {"flow": flow, "node": n}, at, v) for n in nodes]
    finished = len(nodes) == 4
    if finished:
        out.append(event("outcome_reached", {"flow": flow, "outcome": "advice"}, at, v))
        out.append(event("ticket", {"service": "consultation"}, at, v))
        out.append(event("rating", {"level": rng.randint(1, 5), "reasons": [], "callback": False, "by": "touch"},
                         at, v))
    out.append(event("visit_ended", {"how": "finished" if finished else "idle", "seconds": 90,
                                     "flow": flow, "node": nodes[-1]}, at, v))
    return out
