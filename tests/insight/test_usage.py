"""The usage recorder: contract kinds only, a fresh visit id each visit, batches of at most
200 (or every 60 s, and at visit end), each one outbox item; and the disk bound."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from kiosk.connector.outbox import Outbox
from kiosk.insight.kinds import BadEvent
from kiosk.insight.usage import TALLY, UsageBounds, UsageRecorder

NOW = dt.datetime(2026, 12, 6, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


class Clock:
    def __init__(self) -> None:
        self.t = 100.0

    def __call__(self) -> float:
        return self.t


def _bodies(box: Outbox, kind: str = "usage") -> list[dict]:
    rows = box._db.execute("SELECT body FROM outbox WHERE kind = ? ORDER BY id", (kind,)).fetchall()
    return [json.loads(r[0]) for r in rows]


@pytest.fixture
def box(tmp_path: Path) -> Outbox:
    return Outbox(tmp_path / "outbox.sqlite3")


def test_a_visit_is_one_batch_with_a_fresh_id_and_uuid_per_event(box: Outbox) -> None:
    clock = Clock()
    rec = UsageRecorder(box, now=lambda: NOW, monotonic=clock, strict=True)
    visits = []
    for _ in range(2):
        rec.start_visit("zh-CN", "elderly")
        rec.record("flow_started", flow="wages", via="home")
        rec.node("wages", "q1")
        clock.t += 42
        rec.node("wages", "done", outcome=True)
        rec.end_visit("finished")
        assert not rec.in_visit
    batches = _bodies(box)
    assert len(batches) == 2
    for batch in batches:
        kinds = [e["kind"] for e in batch["events"]]
        assert kinds == ["visit_started", "flow_started", "node_reached", "node_reached",
                         "outcome_reached", "visit_ended"]
        ids = {e["visit"] for e in batch["events"]}
        assert len(ids) == 1 and re.fullmatch(r"[0-9a-f]{32}", ids.pop() or "")
        visits.append(batch["events"][0]["visit"])
        assert batch["events"][0]["detail"] == {"lang": "zh-CN", "theme": "large"}
        assert batch["events"][-1]["detail"] == {"how": "finished", "seconds": 42, "flow": "wages", "node": "done"}
        assert batch["events"][0]["at"] == "2026-12-06T10:00:00+08:00"
    assert visits[0] != visits[1]
    every_id = [e["id"] for b in batches for e in b["events"]]
    assert len(set(every_id)) == len(every_id) == 12


def test_outside_a_visit_nothing_is_recorded(box: Outbox) -> None:
    rec = UsageRecorder(box, strict=True)
    assert rec.record("language", lang="en") is None
    rec.end_visit("idle")
    assert rec.flush() == 0 and _bodies(box) == []


@pytest.mark.parametrize(("kind", "detail"), [
    ("shoe_size", {}),
    ("visit_ended", {"how": "finished"}),
    ("visit_ended", {"how": "bored", "seconds": 1, "flow": None, "node": None}),
    ("rating", {"level": 7, "reasons": [], "callback": False, "by": "touch"}),
    ("rating", {"level": 1, "reasons": ["rude"], "callback": False, "by": "touch"}),
    ("search", {"mode": "touch", "chosen": "wages", "rank": 1, "results": 3, "query": "王小明"}),
    ("ticket", {"service": "x" * 81}),
])
def test_events_outside_the_contract_are_refused(box: Outbox, kind: str, detail: dict) -> None:
    strict = UsageRecorder(box, strict=True)
    strict.start_visit("en", "normal")
    with pytest.raises(BadEvent):
        strict.record(kind, **detail)
    lenient = UsageRecorder(box)
    lenient.start_visit("en", "normal")
    assert lenient.record(kind, **detail) is None


def test_search_keeps_the_scrubbed_query_only_when_nothing_was_chosen(box: Outbox) -> None:
    rec = UsageRecorder(box, strict=True)
    rec.start_visit("zh-CN", "normal")
    rec.search("touch", None, None, 0, "张伟 13812345678 欠了3个月工资")
    rec.search("voice", "wages", 2, 5, "欠工资")
    rec.end_visit("home")
    events = _bodies(box)[0]["events"]
    assert events[1]["detail"] == {"mode": "touch", "chosen": None, "rank": None, "results": 0,
                                   "query": "欠了#个月工资"}
    assert events[2]["detail"]["query"] is None
    assert "13812345678" not in json.dumps(events) and "张伟" not in json.dumps(events, ensure_ascii=False)


def test_batches_at_200_and_after_60_seconds(box: Outbox) -> None:
    clock = Clock()
    rec = UsageRecorder(box, monotonic=clock, strict=True)
    rec.start_visit("zh-CN", "normal")
    for n in range(449):
        rec.record("node_reached", flow="f", node=f"n{n}")
    assert [len(b["events"]) for b in _bodies(box)] == [200, 200]
    assert rec.pending() == 50
    rec.tick()
    assert rec.pending() == 50  # not yet 60 s
    clock.t += 60
    rec.tick()
    assert rec.pending() == 0 and [len(b["events"]) for b in _bodies(box)] == [200, 200, 50]
    keys = box._db.execute("SELECT key FROM outbox").fetchall()
    assert len({k for (k,) in keys}) == 3


def test_a_month_offline_stays_within_the_cap_dropping_oldest_usage_only(box: Outbox) -> None:
    """GIVEN a ticket, an application and a call back queued first, WHEN 100,000 events
    arrive with the line down, THEN usage on disk stays within the cap, the oldest batches
    went, the newest are all there, the others are untouched and the drop is counted."""
    bounds = UsageBounds(batch_max=500, max_batches=40, max_bytes=2 * 2**20)  # 500: the contract's most
    rec = UsageRecorder(box, bounds=bounds, strict=True)
    box.issue_local_ticket("K3", "2026-12-06", lambda n: {"local_number": n})
    box.enqueue("application", "/api/v1/applications", {"sealed": "x"}, personal=True)
    box.enqueue("rating_callback", "/api/v1/rating-callbacks", {"phone": "13812345678"}, personal=True)
    rec.start_visit("zh-CN", "normal")
    for n in range(100_000):
        rec.record("node_reached", flow="wages", node=f"n{n}")
    rec.end_visit("idle")
    items, size = box.queued_bytes("usage")
    assert items <= bounds.max_batches and size <= bounds.max_bytes
    events = [e for b in _bodies(box) for e in b["events"]]
    kept = [e["detail"]["node"] for e in events if e["kind"] == "node_reached"]
    assert kept[-1] == "n99999" and "n0" not in kept and events[-1]["kind"] == "visit_ended"
    assert len(events) + box.tally(TALLY) == 100_002  # with visit_started and visit_ended
    assert rec.dropped() == box.tally(TALLY) > 0
    others = dict(box._db.execute("SELECT kind, COUNT(*) FROM outbox WHERE kind != 'usage' "
                                  "GROUP BY kind").fetchall())
    assert others == {"ticket": 1, "application": 1, "rating_callback": 1}


def test_the_heartbeat_reports_usage_dropped(box: Outbox, tmp_path: Path) -> None:
    from kiosk.connector.health import Health, HealthSources

    rec = UsageRecorder(box, bounds=UsageBounds(batch_max=10, max_batches=1), strict=True)
    rec.start_visit("zh-CN", "normal")
    for n in range(30):
        rec.record("node_reached", flow="f", node=f"n{n}")
    health = Health(None, box, HealthSources(), tmp_path)  # type: ignore[arg-type]
    assert "usage_dropped" not in health.payload()
    health.usage_dropped = rec.dropped
    assert health.payload()["usage_dropped"] == 20 == rec.dropped()


def test_an_a4_form_print_is_a_print_event_of_the_contract(box: Outbox) -> None:
    """The A4 form (filled or blank) is `what: form`; an unreachable CUPS is offline, a failed
    job an error; every one passes the contract check (strict raises otherwise)."""
    from kiosk.insight.a4 import a4_form_event

    assert a4_form_event(True, None) == ("print", {"what": "form"})
    assert a4_form_event(False, "cups_down") == ("print_failed", {"what": "form", "reason": "offline"})
    assert a4_form_event(False, "timeout")[1]["reason"] == "offline"
    assert a4_form_event(False, "job_failed")[1]["reason"] == "error"
    assert a4_form_event(False, "unknown_printer")[1]["reason"] == "error"
    rec = UsageRecorder(box, now=lambda: NOW, strict=True)
    rec.start_visit("zh-CN", "normal")
    for printed, fault in ((True, None), (False, "disabled"), (False, "job_failed")):
        kind, detail = a4_form_event(printed, fault)
        assert rec.record(kind, **detail) is not None
    rec.end_visit("finished")
    events = _bodies(box)[0]["events"]
    assert [(e["kind"], e["detail"]) for e in events[1:-1]] == [
        ("print", {"what": "form"}), ("print_failed", {"what": "form", "reason": "offline"}),
        ("print_failed", {"what": "form", "reason": "error"})]
