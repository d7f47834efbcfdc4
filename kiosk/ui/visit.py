"""Where the app meets the usage recorder (kiosk/insight/usage.py): the moments of the
usage-events contract, read off the app's own navigation so that screens need (almost) no
code for it, and whether the visit is worth a rating when the resident leaves.

No Kivy here; `KioskApp` calls `moved` from `go`, `leaving` from `finish`, and the few
screens that know a moment the navigation cannot see (a back step, a ticket issued) call
`record`.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from kiosk.insight.usage import UsageRecorder

if TYPE_CHECKING:
    from kiosk.flows.engine import FlowSession

log = logging.getLogger(__name__)

#: Screens that are not a resident's visit.
NOT_A_VISIT = frozenset({"attract", "maintenance"})
#: Screens where the resident is no longer in a flow.
AWAY_FROM_FLOWS = frozenset({"home", "topics", "flows", "search"})


class VisitTracker:
    def __init__(self, usage: UsageRecorder | None) -> None:
        self.usage = usage
        self._flow: FlowSession | None = None
        self._place: tuple[str, str] | None = None

    @property
    def did_something(self) -> bool:
        """Something was done worth rating: an outcome, a ticket, a booking, an application."""
        return self.usage is not None and self.usage.did_something

    def record(self, kind: str, /, **detail: Any) -> None:
        if self.usage is None:
            return
        try:
            self.usage.record(kind, **detail)
        except Exception:  # statistics never cost a resident anything
            log.exception("usage event %s not recorded", kind)

    def moved(self, current: str | None, name: str, flow: FlowSession | None, quiet: bool,
              search_screen: Any = None, lang: str = "zh-CN", theme: str = "normal") -> None:
        """The app is showing screen `name` (from `current`)."""
        usage = self.usage
        if usage is None:
            return
        try:
            if not usage.in_visit and current == "attract" and name not in NOT_A_VISIT:
                usage.start_visit(lang, theme)
            if current == "search" and name != "search" and search_screen is not None:
                self._searched(search_screen, flow if name == "flow" else None)
            if name in AWAY_FROM_FLOWS:
                usage.place = (None, None)  # a visit ended from here did not end in a flow
            if name in ("flow", "outcome") and flow is not None:
                self._in_flow(current, flow, quiet)
            elif name == "review" and flow is not None:
                self.record("review", flow=flow.state.flow_id)
        except Exception:
            log.exception("usage tracking failed")

    def _in_flow(self, current: str | None, flow: FlowSession, quiet: bool) -> None:
        assert self.usage is not None
        flow_id = flow.state.flow_id
        if flow is not self._flow:
            self._flow, self._place = flow, None
            via = ("voice" if quiet else "search" if current == "search"
                   else "outcome" if current == "outcome" else "home")
            self.record("flow_started", flow=flow_id, via=via)
        node = flow.state.path[-1] if flow.state.path else ""
        if node and (flow_id, node) != self._place:
            self._place = (flow_id, node)
            self.usage.node(flow_id, node, outcome=flow.finished)

    def _searched(self, screen: Any, flow: FlowSession | None) -> None:
        shown = [str(v) for v in getattr(screen, "shown_flows", lambda: [])()]
        query = str(getattr(screen, "query", "") or "")
        if not query and not shown:
            return
        chosen = flow.state.flow_id if flow is not None and flow.state.flow_id in shown else None
        rank = shown.index(chosen) + 1 if chosen is not None else None
        mode = str(getattr(screen, "input_mode", "touch"))
        assert self.usage is not None
        self.usage.search(mode, chosen, rank, len(shown), query)

    def back(self, flow: FlowSession | None) -> None:
        if flow is not None and flow.state.path:
            self.record("back", flow=flow.state.flow_id, node=flow.state.path[-1])

    def ended(self, how: str) -> None:
        """The visit is over: its end recorded, its batch queued, everything forgotten."""
        self._flow, self._place = None, None
        if self.usage is not None:
            try:
                self.usage.end_visit(how)
            except Exception:
                log.exception("usage visit end not recorded")


def dropped_line(dropped: int, locale: str) -> str:
    """The maintenance screen's usage line: events dropped to keep the disk bounded offline."""
    if locale.startswith("en"):
        return f"Usage statistics: {dropped} events dropped while offline (oldest first)"
    return f"使用统计：离线时为节省存储丢弃了 {dropped} 条（先丢最早的）"
