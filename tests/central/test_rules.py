"""Domain rules in-process (fast): slots from plans, capacity, queue order, counters, masking."""

from __future__ import annotations

import datetime as dt

import pytest

pytestmark = pytest.mark.usefixtures("db")


def _plan(**kw: object):  # type: ignore[no-untyped-def]
    from central.booking.models import WorkingPlan
    from central.org.models import County, Office, Service

    county = County.objects.create(slug="t", name="测试县")
    office = Office.objects.create(county=county, slug="o", name="测试所")
    service = Service.objects.create(slug="s", name_zh="咨询", name_en="Advice", prefix="A")
    office.services.add(service)
    values = {"weekdays": "12345", "opens": dt.time(9), "closes": dt.time(17), "break_start": dt.time(12),
              "break_end": dt.time(14), "slot_minutes": 30, "capacity": 2, "valid_from": dt.date(2026, 1, 1)}
    values.update(kw)
    return WorkingPlan.objects.create(office=office, service=service, **values)


def test_slots_follow_plan_breaks_holidays_and_make_up_days() -> None:
    from central.booking.models import Holiday, Slot, WorkingPlan
    from central.booking.slots import ensure_slots

    plan = _plan()
    monday, tuesday, saturday = dt.date(2026, 11, 30), dt.date(2026, 12, 1), dt.date(2026, 12, 5)
    Holiday.objects.create(county=plan.office.county, date=tuesday, kind=Holiday.CLOSED, name="休")
    Holiday.objects.create(county=plan.office.county, date=saturday, kind=Holiday.WORKING, name="调休")
    plans = WorkingPlan.objects.filter(pk=plan.pk)
    ensure_slots(plans, [monday, tuesday, saturday])
    ensure_slots(plans, [monday, tuesday, saturday])  # twice: nothing doubles
    from django.utils import timezone

    starts = [timezone.localtime(s.start) for s in Slot.objects.order_by("start")]
    by_day = {d: [s for s in starts if s.date() == d] for d in (monday, tuesday, saturday)}
    assert len(by_day[monday]) == 12 and not by_day[tuesday] and len(by_day[saturday]) == 12
    hours = {s.strftime("%H:%M") for s in by_day[monday]}
    assert "09:00" in hours and "11:30" in hours and "14:00" in hours and "16:30" in hours
    assert not {"12:00", "12:30", "13:00", "13:30"} & hours


def test_capacity_and_phone_limit_are_kept_by_conditional_updates() -> None:
    from django.utils import timezone

    from central.booking import logic
    from central.booking.models import Slot
    from central.errors import ApiError

    plan = _plan(capacity=2)
    start = timezone.now() + dt.timedelta(days=1)
    slots = [Slot.objects.create(plan=plan, office=plan.office, service=plan.service,
                                 start=start + dt.timedelta(minutes=30 * i),
                                 end=start + dt.timedelta(minutes=30 * (i + 1)), capacity=2) for i in range(3)]
    logic.book(None, slots[0].pk, "s", "13800001111")
    logic.book(None, slots[0].pk, "s", "13800002222")
    with pytest.raises(ApiError) as full:
        logic.book(None, slots[0].pk, "s", "13800003333")
    assert full.value.code == "slot_full"
    slots[0].refresh_from_db()
    assert slots[0].booked == 2
    logic.book(None, slots[1].pk, "s", "13800001111")
    with pytest.raises(ApiError) as limit:
        logic.book(None, slots[2].pk, "s", "13800001111")
    assert limit.value.code == "phone_limit"
    slots[2].refresh_from_db()
    assert slots[2].booked == 0, "the refused booking took no place"


def test_queue_order_counters_and_wait_estimate() -> None:
    from django.utils import timezone

    from central.queueing import logic
    from central.queueing.models import Counter, Ticket

    plan = _plan()
    office, service = plan.office, plan.service
    plain = logic.issue_ticket(office, service, "none", None)
    elder = logic.issue_ticket(office, service, "elderly", None)
    booked = logic.issue_ticket(office, service, "appointment", None)
    assert [plain.number, elder.number, booked.number] == ["A001", "A002", "A003"]
    assert logic.people_ahead(booked) == 0 and logic.people_ahead(elder) == 1 and logic.people_ahead(plain) == 2
    assert logic.wait_minutes(plain, 2) == 2 * service.default_minutes
    counter = Counter.objects.create(office=office, number=2)
    counter.services.add(service)
    called = logic.call_next(counter)
    assert called is not None and called.number == "A003" and called.status == Ticket.CALLED
    first_call = called.announced_at
    again = logic.recall(counter)
    assert again is not None and again.calls == 2 and again.announced_at is not None
    assert first_call is not None and again.announced_at >= first_call
    assert logic.call_next(counter).number == "A002"  # type: ignore[union-attr]
    assert Ticket.objects.get(pk=booked.pk).status == Ticket.SERVED
    assert logic.no_show(counter).status == Ticket.NO_SHOW  # type: ignore[union-attr]
    assert logic.call_next(counter).number == "A001"  # type: ignore[union-attr]
    assert logic.finish(counter).status == Ticket.SERVED  # type: ignore[union-attr]
    assert logic.call_next(counter) is None
    now = timezone.now()
    for i in range(3):  # three residents served in 4 minutes each
        t = logic.issue_ticket(office, service, "none", None)
        Ticket.objects.filter(pk=t.pk).update(status=Ticket.SERVED, called_at=now - dt.timedelta(minutes=4 + i),
                                              finished_at=now - dt.timedelta(minutes=i))
    # The rolling average counts every served resident: the three 4-minute ones and the two
    # finished at once above (A003, A001).
    assert logic.average_minutes(office.pk, service) == pytest.approx(12 / 5, abs=0.01)


def test_phone_masking() -> None:
    from central.org.scope import mask_phone

    assert mask_phone("13812345678") == "138****5678"
    assert "12345" not in mask_phone("13812345678")


def test_housekeeping_marks_no_shows_and_forgets_old_keys() -> None:
    from django.utils import timezone

    from central.booking import logic
    from central.booking.models import Booking, Slot
    from central.fleet.models import IdempotencyRecord, Kiosk
    from central.housekeeping import run_once

    plan = _plan()
    start = timezone.now() + dt.timedelta(days=1)
    slot = Slot.objects.create(plan=plan, office=plan.office, service=plan.service, start=start,
                               end=start + dt.timedelta(minutes=30), capacity=2)
    missed = logic.book(None, slot.pk, "s", "13700001111")
    kept = logic.book(None, slot.pk, "s", "13700002222")
    Slot.objects.filter(pk=slot.pk).update(start=timezone.now() - dt.timedelta(hours=1))
    Booking.objects.filter(pk=kept.pk).update(status=Booking.CHECKED_IN)
    kiosk = Kiosk.objects.create(code="hk", county=plan.office.county)
    old = IdempotencyRecord.objects.create(kiosk=kiosk, key="old", body_digest="x", path="/", status=201,
                                           response=b"{}", created_at=timezone.now() - dt.timedelta(hours=49))
    recent = IdempotencyRecord.objects.create(kiosk=kiosk, key="new", body_digest="x", path="/", status=201,
                                              response=b"{}", created_at=timezone.now() - dt.timedelta(hours=25))
    done = run_once()
    assert done["no_shows"] == 1 and done["keys_purged"] == 1
    assert Booking.objects.get(pk=missed.pk).status == Booking.NO_SHOW
    assert Booking.objects.get(pk=kept.pk).status == Booking.CHECKED_IN
    assert not IdempotencyRecord.objects.filter(pk=old.pk).exists()
    assert IdempotencyRecord.objects.filter(pk=recent.pk).exists(), "kept at least 24 h"
