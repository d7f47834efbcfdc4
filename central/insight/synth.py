"""Synthetic usage for the demo county (`central demo-usage --days N`): realistic visits
through the published flows (with residents leaving part-way), searches, tickets, ratings
(some bad, some with a call-back), heartbeats and served queue tickets, so the dashboard,
the drop-off view and the report have something to show. Never for a real county."""

from __future__ import annotations

import datetime as dt
import random
import uuid
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from django.utils import timezone

from central.conf import conf
from central.fleet.models import Kiosk
from central.insight import followup, rollup
from central.insight.ingest import ingest
from central.insight.models import UptimeDay
from central.org.models import County, Office, Service
from central.publishing.models import Flow
from central.queueing.models import Ticket

MISSES = ["狗咬人", "邻居噪音", "网购退款", "宅基地", "工伤认定", "公司不给社保", "彩礼退还", "房东不退押金",
          "visa", "养老金", "被骗了", "离婚孩子抚养"]
SERVICES = ["consultation", "mediation", "legal-aid"]
REASONS = ["not_understood", "not_my_matter", "too_slow", "device_fault"]


def _flows() -> Flows:
    """(flow id, question/info node ids in file order, outcome node ids) of each flow."""
    out = []
    for flow in Flow.objects.all():
        data = yaml.safe_load(flow.text) or {}
        nodes = [n for n in data.get("nodes", []) if isinstance(n, dict) and n.get("id")]
        steps = [str(n["id"]) for n in nodes if n.get("kind") != "outcome"]
        ends = [str(n["id"]) for n in nodes if n.get("kind") == "outcome"]
        if steps and ends:
            out.append((flow.flow_id, steps, ends))
    return out


def _kiosks(county: County) -> list[Kiosk]:
    offices = list(Office.objects.filter(county=county).order_by("pk"))
    kiosks = list(Kiosk.objects.filter(county=county, revoked=False).order_by("pk"))
    for number, office in enumerate(offices[:3], start=2):
        if len(kiosks) >= 3:
            break
        kiosk, _ = Kiosk.objects.get_or_create(code=f"demo-kiosk-{number}", defaults={
            "county": county, "office": office, "location": f"{office.name} 自助区"})
        kiosks.append(kiosk)
    return kiosks


def _ev(kind: str, at: dt.datetime, visit: str, /, **detail: Any) -> dict[str, Any]:
    return {"id": str(uuid.uuid4()), "kind": kind, "at": at.isoformat(), "visit": visit, "detail": detail}


Flows = list[tuple[str, list[str], list[str]]]


def visit(rng: random.Random, at: dt.datetime, flows: Flows) -> list[dict[str, Any]]:
    v = uuid.uuid4().hex
    lang = "zh-CN" if rng.random() < 0.93 else "en"
    events = [_ev("visit_started", at, v, lang=lang, theme="large" if rng.random() < 0.2 else "normal")]
    if rng.random() < 0.3:
        miss = rng.random() < 0.25
        events.append(_ev("search", at, v, mode=rng.choice(["touch", "voice", "pinyin"]),
                          chosen=None if miss else rng.choice(flows)[0], rank=None if miss else 1,
                          results=0 if miss else 3, query=rng.choice(MISSES) if miss else None))
    if rng.random() < 0.15:
        events.append(_ev("read_aloud", at, v, on=True, lang="cmn"))
    flow, steps, ends = rng.choice(flows)
    events.append(_ev("flow_started", at, v, flow=flow, via=rng.choice(["home", "home", "search", "voice"])))
    depth = len(steps) if rng.random() < 0.6 else rng.randint(1, len(steps))
    for node in steps[:depth]:
        at += dt.timedelta(seconds=rng.randint(8, 40))
        events.append(_ev("node_reached", at, v, flow=flow, node=node))
    finished = depth == len(steps)
    where = (flow, steps[depth - 1])
    if finished:
        outcome = rng.choice(ends)
        where = (flow, outcome)
        events.append(_ev("outcome_reached", at, v, flow=flow, outcome=outcome))
        if rng.random() < 0.35:
            events.append(_ev("ticket", at, v, service=rng.choice(SERVICES)))
        elif rng.random() < 0.15:
            events.append(_ev("booking", at, v, service="consultation"))
        if rng.random() < 0.3:
            events.append(_ev("print", at, v, what="summary"))
        if rng.random() < 0.05:
            events.append(_ev("application", at, v, kind="legal-aid"))
    if rng.random() < 0.55:
        level = rng.choices([5, 4, 3, 2, 1], [45, 30, 13, 8, 4])[0]
        reasons = rng.sample(REASONS, 1) if level < 3 else []
        events.append(_ev("rating", at, v, level=level, reasons=reasons,
                          callback=level < 3 and rng.random() < 0.4,
                          by="voice" if rng.random() < 0.1 else "touch"))
    how = "finished" if finished else rng.choice(["home", "idle"])
    events.append(_ev("visit_ended", at, v, how=how, seconds=int((at - at.replace(minute=0)).seconds) + 30,
                      flow=where[0], node=where[1]))
    return events


def _tickets(rng: random.Random, kiosk: Kiosk, day: dt.date, opens: dt.datetime, n: int) -> None:
    service = Service.objects.filter(slug="consultation").first() or Service.objects.first()
    if kiosk.office_id is None or service is None:
        return
    for i in range(n):
        issued = opens + dt.timedelta(minutes=rng.randint(0, 420))
        called = issued + dt.timedelta(minutes=rng.randint(2, 45))
        Ticket.objects.create(public_id=uuid.uuid4().hex[:16], office_id=kiosk.office_id,
                              service=service, day=day, number=f"D{kiosk.pk}-{i + 1:03d}", issued_at=issued,
                              kiosk=kiosk,
                              status=Ticket.SERVED if rng.random() < 0.9 else Ticket.NO_SHOW,
                              called_at=called, finished_at=called + dt.timedelta(minutes=15))


def fill(days: int, seed: int = 7) -> dict[str, int]:
    rng = random.Random(seed)
    county = County.objects.get(slug=Path(conf("LOCALITY_FILE")).stem)
    flows = _flows()
    kiosks = _kiosks(county)
    tz = timezone.get_current_timezone()
    today = timezone.localdate()
    made = {"events": 0, "followups": 0}
    for back in range(days, 0, -1):
        day = today - dt.timedelta(days=back)
        opens = dt.datetime.combine(day, dt.time(9), tz)
        for kiosk in kiosks:
            events: list[dict[str, Any]] = []
            for _ in range(rng.randint(15, 60) if day.isoweekday() <= 5 else rng.randint(3, 12)):
                events += visit(rng, opens + dt.timedelta(minutes=rng.randint(0, 470)), flows)
            with transaction.atomic():
                noon = opens + dt.timedelta(hours=3)
                for start in range(0, len(events), 500):
                    done = ingest(kiosk, events[start:start + 500], now=noon + dt.timedelta(hours=9))
                    made["events"] += done["accepted"]
                for e in events:
                    if e["kind"] == "rating" and e["detail"]["callback"]:
                        d = e["detail"]
                        task = followup.create(kiosk, uuid.UUID(e["id"]), d["level"], d["reasons"],
                                               f"1380000{rng.randint(0, 9999):04d}",
                                               dt.datetime.fromisoformat(e["at"]),
                                               received=dt.datetime.fromisoformat(e["at"]))
                        made["followups"] += 1
                        if back > 7 and rng.random() < 0.7:
                            followup.record(task, None, "已回访，已向居民说明办理途径。", close=True)
                UptimeDay.objects.update_or_create(kiosk=kiosk, day=day,
                                                   defaults={"beats": rng.randint(1150, 1440)})
                if day.isoweekday() <= 5:
                    _tickets(rng, kiosk, day, opens, rng.randint(3, 12))
    rollup.refresh()
    return made
