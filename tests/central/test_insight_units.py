"""In-process checks of the insight rules: scrubbing, per-event checks, the report's small-count
suppression, the follow-up deadline and the purge of call-back numbers."""

from __future__ import annotations

import datetime as dt
import uuid

from django.utils import timezone

from central.insight.kinds import clean_detail, scrub_query
from tests.central.insight_helpers import event


def test_queries_lose_their_numbers_and_details_their_extra_keys() -> None:
    assert scrub_query("张三 13812345678 欠薪 3 个月") == "张三 欠薪 # 个月"
    assert clean_detail("search", {"mode": "voice", "chosen": "divorce", "rank": 1, "results": 4,
                                   "query": "离婚"}) == {"mode": "voice", "chosen": "divorce", "rank": 1,
                                                         "results": 4, "query": None}
    assert clean_detail("ticket", {"service": "consultation", "name": "张三"}) == {"service": "consultation"}
    assert clean_detail("rating", {"level": 0}) is None
    assert clean_detail("visit_ended", {"how": "finished", "seconds": True}) is None  # a flag is no count


def test_ingest_marks_days_and_refresh_counts_them(demo: dict[str, str]) -> None:
    from central.fleet.models import Kiosk
    from central.insight import rollup
    from central.insight.ingest import ingest
    from central.insight.models import DailyCount, DirtyDay

    kiosk = Kiosk.objects.get(code=demo["kiosk_id"])
    now = timezone.now()
    got = ingest(kiosk, [event("print", {"what": "form"}, now), event("print", {"what": "form"}, now),
                         event("print_failed", {"what": "form", "reason": "paper_out"}, now)], now)
    assert got["accepted"] == 3 and DirtyDay.objects.filter(kiosk=kiosk).count() == 1
    assert rollup.refresh()["days"] == 1 and not DirtyDay.objects.exists()
    rows = dict(DailyCount.objects.filter(kiosk=kiosk).values_list("metric", "count"))
    assert rows == {"print": 2, "print_failed": 1}


def test_small_counts_are_suppressed_below_county_level() -> None:
    from central.insight.report import suppress

    assert [suppress(n) for n in (0, 1, 4, 5, 120)] == [0, "<5", "<5", 5, 120]


def test_follow_up_deadline_and_purge(demo: dict[str, str]) -> None:
    from central.fleet.models import Kiosk
    from central.insight import followup
    from central.insight.models import FollowUp, FollowUpAudit

    kiosk = Kiosk.objects.get(code=demo["kiosk_id"])
    friday = dt.datetime(2026, 12, 4, 10, tzinfo=dt.UTC)
    task = followup.create(kiosk, uuid.uuid4(), 1, ["too_slow"], "13912345678", friday, received=friday)
    assert task.due == dt.date(2026, 12, 11)  # 5 working days: Mon 7 … Fri 11
    assert b"13912345678" not in bytes(task.phone)
    assert followup.phone_of(task, None) == "13912345678"
    followup.record(task, None, "已回访", close=True)
    task.refresh_from_db()
    assert followup.purge_due(now=task.closed_at + dt.timedelta(days=29)) == 0  # type: ignore[operator]
    assert followup.purge_due(now=task.closed_at + dt.timedelta(days=31)) == 1  # type: ignore[operator]
    task.refresh_from_db()
    assert task.phone is None and task.purged_at is not None and followup.phone_of(task, None) == ""
    actions = list(FollowUpAudit.objects.filter(task=task).values_list("action", flat=True))
    assert sorted(actions) == ["closed", "phone_removed", "viewed_phone"]
    open_task = followup.create(kiosk, uuid.uuid4(), 2, [], "13912345670", friday, received=friday)
    assert followup.purge_due(now=friday + dt.timedelta(days=91)) == 1
    assert FollowUp.objects.get(pk=open_task.pk).phone is None  # never called: not kept for ever
