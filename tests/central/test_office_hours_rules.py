"""Office-hours rules in-process (fast): plan validity, several plans merged, the
always-open setting. The HTTP behaviour is in test_office_hours.py."""

from __future__ import annotations

import datetime as dt

import pytest

pytestmark = pytest.mark.usefixtures("db")

CHINA = dt.timezone(dt.timedelta(hours=8))


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), CHINA)


def _office():  # type: ignore[no-untyped-def]
    from central.org.models import County, Office, Service

    county = County.objects.create(slug="h", name="测试县")
    office = Office.objects.create(county=county, slug="o", name="测试所")
    service = Service.objects.create(slug="s", name_zh="咨询", name_en="Advice", prefix="A")
    office.services.add(service)
    return office, service


def _plan(office, service, **kw: object) -> None:  # type: ignore[no-untyped-def]
    from central.booking.models import WorkingPlan

    values = {"weekdays": "12345", "opens": dt.time(9), "closes": dt.time(17), "valid_from": dt.date(2026, 1, 1)}
    values.update(kw)
    WorkingPlan.objects.create(office=office, service=service, **values)


def test_a_plan_counts_only_while_it_is_valid() -> None:
    from central.booking.hours import opening

    office, service = _office()
    monday = dt.date(2026, 11, 30)
    _plan(office, service, valid_until=monday)
    _plan(office, service, valid_from=monday + dt.timedelta(days=7), opens=dt.time(10))
    assert opening(office, service, at(monday, 16)).open
    closed = opening(office, service, at(monday + dt.timedelta(days=1), 10))
    assert not closed.open and closed.opens_at == at(monday + dt.timedelta(days=7), 10)


def test_plans_of_one_office_merge_and_a_break_covered_by_another_plan_is_open() -> None:
    from central.booking.hours import office_intervals, opening

    office, service = _office()
    monday = dt.date(2026, 11, 30)
    _plan(office, service, break_start=dt.time(12), break_end=dt.time(14))
    _plan(office, service, opens=dt.time(12, 30), closes=dt.time(13, 30), weekdays="1")
    assert opening(office, service, at(monday, 12, 45)).open, "Monday's lunch desk"
    tuesday = opening(office, service, at(monday + dt.timedelta(days=1), 12, 45))
    assert not tuesday.open and tuesday.opens_at == at(monday + dt.timedelta(days=1), 14)
    spans = office_intervals(office, service, monday, 1)
    assert spans == [(at(monday, 9), at(monday, 12)), (at(monday, 12, 30), at(monday, 13, 30)),
                     (at(monday, 14), at(monday, 17))]


def test_no_opening_within_the_horizon_no_plan_and_always(monkeypatch: pytest.MonkeyPatch) -> None:
    from django.conf import settings

    from central.booking.hours import kiosk_hours, opening

    office, service = _office()
    moment = at(dt.date(2026, 11, 30), 10)
    state = opening(office, service, moment)
    assert state.open and not state.known, "no plan at all: hours unknown, nothing refused"
    assert kiosk_hours(office, service) is None
    _plan(office, service, valid_until=dt.date(2026, 1, 31))
    closed = opening(office, service, moment)
    assert not closed.open and closed.opens_at is None and closed.known
    monkeypatch.setitem(settings.CENTRAL, "QUEUE_HOURS", "always")
    assert opening(office, service, moment).open and kiosk_hours(office, service) is None
