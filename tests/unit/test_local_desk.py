"""The kiosk's in-memory desk: slots from office hours, capacity, the per-phone limit,
ticket numbers per service prefix."""

from __future__ import annotations

import datetime as dt

import pytest

from kiosk.content.bundle import Bundle, load_bundle
from kiosk.ports import BookingRefused, OfficeClosed, SlotFull
from kiosk.services.local_desk import DeskHours, LocalDesk
from tests.conftest import CONTENT, LOCALITY

MONDAY_8 = dt.datetime(2026, 11, 23, 8, 0)


@pytest.fixture(scope="module")
def bundle() -> Bundle:
    loaded, problems = load_bundle(CONTENT, LOCALITY)
    assert loaded is not None and not problems
    return loaded


def desk(bundle: Bundle, now: dt.datetime = MONDAY_8, **hours: object) -> LocalDesk:
    return LocalDesk(bundle, DeskHours.from_config(dict(hours)), lambda: now)


def test_services_are_those_with_an_office_in_the_locality(bundle: Bundle) -> None:
    services = {s.id: s for s in desk(bundle).services()}
    assert services["legal-aid"].prefix == "C" and services["legal-aid"].bookable
    assert not services["court"].bookable
    assert services["consultation"].name["zh-CN"] == "法律咨询"


def test_slots_follow_the_configured_hours_and_skip_weekends(bundle: Bundle) -> None:
    d = desk(bundle, hours=["09:00-10:00"], slot_minutes=30, days_ahead=7)
    slots = d.slots("consultation")
    days = sorted({s.start.date() for s in slots})
    assert [day.weekday() for day in days] == [0, 1, 2, 3, 4]  # Mon-Fri, no weekend
    assert [s.start.time() for s in slots[:2]] == [dt.time(9, 0), dt.time(9, 30)]
    assert len(slots) == 10


def test_past_slots_are_not_offered(bundle: Bundle) -> None:
    d = desk(bundle, now=dt.datetime(2026, 11, 23, 9, 45), hours=["09:00-11:00"], days_ahead=1)
    assert [s.start.time() for s in d.slots("consultation")] == [dt.time(10, 0), dt.time(10, 30)]


def test_capacity_is_enforced_and_the_phone_is_only_kept_masked(bundle: Bundle) -> None:
    d = desk(bundle, capacity=1)
    slot = d.slots("consultation")[0]
    booking = d.book(slot.id, "consultation", "13812345678")
    assert booking.phone_masked == "138****5678" and len(booking.code) == 6
    assert "13812345678" not in repr(booking)
    with pytest.raises(SlotFull):
        d.book(slot.id, "consultation", "13900000000")
    assert d.slots("consultation")[0].free == 0  # the full slot shows no free place
    d.cancel(booking.code)
    assert d.book(slot.id, "consultation", "13900000000").start == slot.start


def test_per_phone_limit_and_bad_phones_are_refused_with_a_reason(bundle: Bundle) -> None:
    d = desk(bundle, phone_limit=2)
    slots = d.slots("consultation")
    d.book(slots[0].id, "consultation", "13812345678")
    d.book(slots[1].id, "consultation", "138 1234 5678")
    with pytest.raises(BookingRefused) as refused:
        d.book(slots[2].id, "consultation", "13812345678")
    assert refused.value.reason == "phone_limit"
    assert "13812345678" not in repr(vars(d)) and "12345678" not in repr(d._state)
    for bad in ("12345", "23812345678", "1381234567x"):
        with pytest.raises(BookingRefused) as refused:
            d.book(slots[3].id, "consultation", bad)
        assert refused.value.reason == "bad_phone"
    with pytest.raises(BookingRefused) as refused:
        d.book(slots[3].id, "court", "13812345678")
    assert refused.value.reason == "not_bookable"


def test_tickets_count_per_service_prefix_and_day(bundle: Bundle) -> None:
    d = desk(bundle, now=MONDAY_8.replace(hour=10))
    numbers = [d.take_ticket("consultation").number, d.take_ticket("consultation").number,
               d.take_ticket("legal-aid", "elderly").number]
    assert numbers == ["A001", "A002", "C001"]
    assert d.take_ticket("mediation").priority == "none"


def test_check_in_gives_an_appointment_ticket_only_near_the_time(bundle: Bundle) -> None:
    now = [MONDAY_8]
    d = LocalDesk(bundle, DeskHours(), lambda: now[0])
    booking = d.book(d.slots("consultation")[3].id, "consultation", "13812345678")  # 10:30
    with pytest.raises(BookingRefused) as refused:
        d.check_in(booking.code)
    assert refused.value.reason == "checkin_window"
    now[0] = booking.start - dt.timedelta(minutes=10)
    assert d.check_in(booking.code).priority == "appointment"
    with pytest.raises(BookingRefused) as refused:
        d.check_in("NOCODE")
    assert refused.value.reason == "unknown_code"


@pytest.mark.parametrize(("now", "opens"), [
    (dt.datetime(2026, 11, 24, 1, 22), dt.datetime(2026, 11, 24, 9, 0)),   # Tuesday night
    (MONDAY_8, dt.datetime(2026, 11, 23, 9, 0)),                            # before opening
    (dt.datetime(2026, 11, 23, 12, 30), dt.datetime(2026, 11, 23, 14, 0)),  # lunch
    (dt.datetime(2026, 11, 23, 17, 0), dt.datetime(2026, 11, 24, 9, 0)),    # closing time
    (dt.datetime(2026, 11, 27, 18, 0), dt.datetime(2026, 11, 30, 9, 0)),    # Friday evening
])
def test_no_ticket_outside_the_desks_hours(bundle: Bundle, now: dt.datetime, opens: dt.datetime) -> None:
    d = desk(bundle, now=now)
    with pytest.raises(OfficeClosed) as closed:
        d.take_ticket("legal-aid")
    assert closed.value.opens_at == opens
    assert desk(bundle, now=opens).take_ticket("legal-aid").number == "C001"


def test_the_desks_own_hours_and_weekdays_decide(bundle: Bundle) -> None:
    saturday = dt.datetime(2026, 11, 28, 19, 30)
    late = {"hours": ["08:00-20:00"], "weekdays": [6]}
    assert desk(bundle, now=saturday, **late).take_ticket("consultation").number == "A001"
    with pytest.raises(OfficeClosed) as closed:
        desk(bundle, now=saturday.replace(hour=20), **late).take_ticket("consultation")
    assert closed.value.opens_at == dt.datetime(2026, 12, 5, 8, 0)
    with pytest.raises(OfficeClosed) as closed:
        desk(bundle, now=saturday, weekdays=[]).take_ticket("consultation")
    assert closed.value.opens_at is None, "never open: no opening to name"


def test_check_in_is_not_refused_for_hours(bundle: Bundle) -> None:
    now = [MONDAY_8]
    d = LocalDesk(bundle, DeskHours(), lambda: now[0])
    booking = d.book(d.slots("consultation")[0].id, "consultation", "13812345678")  # 9:00
    now[0] = booking.start - dt.timedelta(minutes=15)  # 8:45: the office is not open yet
    assert d.check_in(booking.code).priority == "appointment"
