"""Office hours over real HTTP (issue 13, item 8): no queue ticket while the office is closed.

A real `central serve` (SQLite, and PostgreSQL when its binaries are here) with
CENTRAL_QUEUE_HOURS=plans and a fixed clock: each test writes the moment into the file
CENTRAL_TEST_CLOCK_FILE names. Dates are a week chosen two weeks ahead (the demo plans are
valid from yesterday on): Monday to Friday 9:00-17:00, lunch 12:00-14:00.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from central.testing.servers import CentralServer, pg_missing, start_central, start_pg
from tests.central.conftest import Api
from tests.central.helpers import fresh_slot, phone, set_slot

CHINA = dt.timezone(dt.timedelta(hours=8))
_today = dt.datetime.now(CHINA).date()
#: A Monday at least 14 days ahead, and the days of its week.
MON = _today + dt.timedelta(days=14 + (7 - _today.weekday()) % 7)
TUE, WED, THU, FRI, SAT = (MON + dt.timedelta(days=n) for n in range(1, 6))
NEXT_MON = MON + dt.timedelta(days=7)
NEXT_SAT = SAT + dt.timedelta(days=7)
MON_AFTER = MON + dt.timedelta(days=14)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), CHINA)


def _start(database_url: str | None, name: str) -> Iterator[CentralServer]:
    """Its own server, not the conftest's session servers: office hours and the fixed clock are
    the serve process's environment (the shared servers must take tickets at any hour and keep
    the real time), and these tests add holidays and delete working plans of the demo county."""
    data = Path(tempfile.mkdtemp(prefix=f"central-hours-{name}-"))
    clock = data / "clock.txt"
    clock.write_text("", encoding="utf-8")
    server = start_central(database_url, data, workers=1, threads=4, extra_env={
        "CENTRAL_QUEUE_HOURS": "plans", "CENTRAL_TEST_CLOCK_FILE": str(clock)})
    # The holidays of the chosen weeks: Wednesday closed, Saturday a make-up working day.
    server.django(
        "from central.booking.models import Holiday; from central.org.models import County; "
        "import datetime as dt; c = County.objects.get(slug='demo'); "
        f"Holiday.objects.create(county=c, date=dt.date.fromisoformat('{WED}'), kind='closed', name='x'); "
        f"Holiday.objects.create(county=c, date=dt.date.fromisoformat('{SAT}'), kind='working', name='y')")
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(data, ignore_errors=True)


@pytest.fixture(scope="module")
def hours_sqlite() -> Iterator[CentralServer]:
    yield from _start(None, "sqlite")


@pytest.fixture(scope="module")
def hours_pg() -> Iterator[CentralServer]:
    reason = pg_missing()
    if reason:
        pytest.skip(reason)
    cluster = start_pg()
    try:
        yield from _start(cluster.url, "pg")
    finally:
        cluster.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def hours_api(request: pytest.FixtureRequest) -> Iterator[Api]:
    server = request.getfixturevalue("hours_sqlite" if request.param == "sqlite" else "hours_pg")
    api = Api(server)
    yield api
    set_clock(api, None)


def set_clock(api: Api, moment: dt.datetime | None) -> None:
    (api.server.data_dir / "clock.txt").write_text(moment.isoformat() if moment else "", encoding="utf-8")


def take(api: Api, moment: dt.datetime, service: str = "legal-aid", **extra: object) -> tuple[int, dict]:
    set_clock(api, moment)
    answer = api.post("/api/v1/tickets", {"service": service, "priority": "none", **extra})
    return answer.status_code, answer.json()


def opens(body: dict) -> dt.datetime | None:
    value = body.get("opens_at")
    return dt.datetime.fromisoformat(value) if value else None


def test_open_hours_issue_a_ticket(hours_api: Api) -> None:
    status, body = take(hours_api, at(MON, 10))
    assert status == 201 and body["number"].startswith("C"), body
    status, body = take(hours_api, at(MON, 16, 59))
    assert status == 201, body


def test_at_night_no_ticket_and_when_it_opens(hours_api: Api) -> None:
    """The bug: 01:22 gave C001 with nobody ahead while the office was closed until 9:00."""
    status, body = take(hours_api, at(TUE, 1, 22))
    assert status == 409 and body["error"] == "office_closed", body
    assert opens(body) == at(TUE, 9) and body["detail"]
    assert dt.datetime.fromisoformat(body["opens_at"]).utcoffset() == dt.timedelta(hours=8)
    status, body = take(hours_api, at(MON, 17))  # closing time is closed
    assert status == 409 and opens(body) == at(TUE, 9)


def test_lunch_break_is_closed_until_it_ends(hours_api: Api) -> None:
    status, body = take(hours_api, at(MON, 12, 30))
    assert status == 409 and opens(body) == at(MON, 14), body
    status, body = take(hours_api, at(MON, 14))
    assert status == 201, body


def test_friday_evening_opens_on_the_next_working_day(hours_api: Api) -> None:
    status, body = take(hours_api, at(FRI, 18))  # the Saturday after is a make-up working day
    assert status == 409 and opens(body) == at(SAT, 9), body
    status, body = take(hours_api, at(NEXT_SAT - dt.timedelta(days=1), 18))
    assert status == 409 and opens(body) == at(MON_AFTER, 9), body


def test_holiday_closed_and_working_saturday_open(hours_api: Api) -> None:
    status, body = take(hours_api, at(WED, 10))
    assert status == 409 and opens(body) == at(THU, 9), body
    status, body = take(hours_api, at(SAT, 10))  # 调休: a make-up working day
    assert status == 201, body
    status, body = take(hours_api, at(NEXT_SAT, 10))  # an ordinary Saturday
    assert status == 409 and opens(body) == at(MON_AFTER, 9), body


def test_services_carry_the_coming_week_of_hours(hours_api: Api) -> None:
    set_clock(hours_api, at(MON, 10))
    services = {s["id"]: s for s in hours_api.get("/api/v1/services").json()}
    hours = services["legal-aid"]["hours"]
    assert hours["from"] == MON.isoformat() and hours["until"] == (MON + dt.timedelta(days=7)).isoformat()
    spans = [(dt.datetime.fromisoformat(i["opens"]), dt.datetime.fromisoformat(i["closes"]))
             for i in hours["intervals"]]
    assert spans[:2] == [(at(MON, 9), at(MON, 12)), (at(MON, 14), at(MON, 17))]
    days = {a.date() for a, _b in spans}
    assert days == {MON, TUE, THU, FRI, SAT}, "Wednesday is a holiday, Saturday a make-up day"
    assert all(i["opens"].endswith("+08:00") for i in hours["intervals"])


def test_offline_tickets_judged_by_when_they_were_issued(hours_api: Api) -> None:
    night = at(TUE, 1, 22)
    port = int(hours_api.server.url.rsplit(":", 1)[1])  # numbers of this server only
    number, later = f"K1-{port % 1000:03d}", f"K1-{(port + 1) % 1000:03d}"  # the demo kiosk's prefix (V1)
    status, body = take(hours_api, night, local_number=number, issued_at=at(MON, 10, 5).isoformat())
    assert status == 201 and body["number"] == number, body
    # uploaded during opening hours, but issued in the night: refused, as issued_at says
    status, body = take(hours_api, at(TUE, 9, 30), local_number=later,
                        issued_at=at(TUE, 1, 0).isoformat())
    assert status == 409 and body["error"] == "office_closed" and opens(body) == at(TUE, 9)


def test_check_in_is_not_refused_for_hours(hours_api: Api) -> None:
    slot = fresh_slot(hours_api)
    made = hours_api.post("/api/v1/bookings", {"slot": slot["id"], "service": "consultation", "phone": phone()})
    assert made.status_code == 201, made.text
    set_slot(hours_api, slot["id"], start="timezone.now() + dt.timedelta(minutes=5)")
    set_clock(hours_api, at(TUE, 1, 22))  # the office's hours say closed; the booking's window rules
    checked = hours_api.post(f"/api/v1/bookings/{made.json()['code']}/checkin", {})
    assert checked.status_code == 201 and checked.json()["priority"] == "appointment", checked.text


def test_service_without_plan_follows_the_office_and_office_without_plans_is_not_limited(
        hours_api: Api) -> None:
    """Notarization loses its plan; the notary office keeps one for another service, 8:00-20:00:
    its hours are the office's. The arbitration commission loses every plan: hours unknown."""
    hours_api.server.django(
        "import datetime as dt; from central.booking.models import WorkingPlan; "
        "from central.org.models import Office, Service; "
        "WorkingPlan.objects.filter(office__slug='notary-office').delete(); "
        "WorkingPlan.objects.create(office=Office.objects.get(slug='notary-office'), "
        "service=Service.objects.get(slug='consultation'), weekdays='12345', opens=dt.time(8), "
        "closes=dt.time(20), valid_from=dt.date(2020, 1, 1)); "
        "WorkingPlan.objects.filter(office__slug='labour-arbitration-commission').delete()")
    status, body = take(hours_api, at(MON, 19), service="notarization")
    assert status == 201, body
    status, body = take(hours_api, at(MON, 20, 30), service="notarization")
    assert status == 409 and opens(body) == at(TUE, 8), body
    status, body = take(hours_api, at(TUE, 1, 22), service="labour-arbitration")
    assert status == 201, body
    set_clock(hours_api, at(MON, 10))
    services = {s["id"]: s for s in hours_api.get("/api/v1/services").json()}
    assert services["labour-arbitration"]["hours"] is None
    first = services["notarization"]["hours"]["intervals"][0]
    assert (first["opens"], first["closes"]) == (at(MON, 8).isoformat(), at(MON, 20).isoformat())
