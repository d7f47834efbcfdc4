"""CentralDesk and office hours: the server's 409 office_closed, and offline tickets only
inside the hours cached from the last services answer (issue 13, item 8)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable

import pytest

from kiosk.connector.client import CentralClient, build_session
from kiosk.connector.desk import CentralDesk
from kiosk.connector.outbox import Outbox
from kiosk.connector.settings import CentralSettings
from kiosk.ports import OfficeClosed
from tests.connector.conftest import closed_port_url
from tests.connector.fake_central import FakeCentral

CHINA = dt.timezone(dt.timedelta(hours=8))
MON = dt.date(2026, 11, 23)


def at(day: dt.date, hour: int, minute: int = 0, days: int = 0) -> dt.datetime:
    return dt.datetime.combine(day + dt.timedelta(days=days), dt.time(hour, minute), CHINA)


def week_hours() -> dict[str, object]:
    """Monday to Friday 9-12 and 14-17, as GET /services gives them (Wednesday a holiday)."""
    intervals = [{"opens": at(MON, a, days=d).isoformat(), "closes": at(MON, b, days=d).isoformat()}
                 for d in (0, 1, 3, 4) for a, b in ((9, 12), (14, 17))]
    return {"from": MON.isoformat(), "until": (MON + dt.timedelta(days=7)).isoformat(), "intervals": intervals}


def offline_desk(settings: CentralSettings, outbox: Outbox, now: dt.datetime) -> CentralDesk:
    down = dataclasses.replace(settings, url=closed_port_url(), retries=0)
    return CentralDesk(CentralClient(down, build_session(down)), outbox, ticket_prefix="K3",
                       cache_dir=settings.state_dir / "central", now=lambda: now)


def test_the_servers_office_closed_becomes_office_closed_with_the_opening(
        central: FakeCentral, make_desk: Callable[..., CentralDesk], outbox: Outbox) -> None:
    central.state.closed_until = "2026-11-24T09:00:00+08:00"
    with pytest.raises(OfficeClosed) as closed:
        make_desk().take_ticket("legal-aid")
    assert closed.value.opens_at == at(MON, 9, days=1)
    assert outbox.counts()["pending"] == 0, "a refused ticket is not made offline instead"
    central.state.closed_until = ""  # opens_at null: not known
    with pytest.raises(OfficeClosed) as closed:
        make_desk().take_ticket("legal-aid")
    assert closed.value.opens_at is None


@pytest.mark.parametrize(("moment", "opens"), [
    (at(MON, 1, 22, days=1), at(MON, 9, days=1)),     # Tuesday night
    (at(MON, 12, 30), at(MON, 14)),                    # lunch break
    (at(MON, 10, days=2), at(MON, 9, days=3)),         # Wednesday, the holiday
    (at(MON, 17, 30, days=4), at(MON, 9, days=7)),     # Friday evening: beyond `until`, weekly
    (at(MON, 8, days=8), at(MON, 9, days=8)),          # a week on: Tuesday's hours repeat
    (at(MON, 10, days=9), at(MON, 9, days=10)),        # ... and so does the closed Wednesday
])
def test_offline_outside_the_cached_hours_no_provisional_ticket(
        central: FakeCentral, make_desk: Callable[..., CentralDesk], settings: CentralSettings,
        outbox: Outbox, moment: dt.datetime, opens: dt.datetime) -> None:
    central.state.hours = week_hours()
    make_desk().services()  # the hours are cached with the services
    with pytest.raises(OfficeClosed) as closed:
        offline_desk(settings, outbox, moment).take_ticket("legal-aid")
    assert closed.value.opens_at == opens
    assert outbox.counts()["pending"] == 0


@pytest.mark.parametrize("moment", [at(MON, 9), at(MON, 16, 59, days=1), at(MON, 10, days=7),
                                    at(MON, 10, 0).astimezone(dt.UTC)])
def test_offline_inside_the_cached_hours_a_provisional_ticket(
        central: FakeCentral, make_desk: Callable[..., CentralDesk], settings: CentralSettings,
        outbox: Outbox, moment: dt.datetime) -> None:
    central.state.hours = week_hours()
    make_desk().services()
    ticket = offline_desk(settings, outbox, moment).take_ticket("legal-aid")
    assert ticket.provisional and ticket.number == "K3-001"
    assert outbox.counts()["pending"] == 1


def test_offline_without_known_hours_issues_as_before(
        central: FakeCentral, make_desk: Callable[..., CentralDesk], settings: CentralSettings,
        outbox: Outbox) -> None:
    make_desk().services()  # an older server, or an office without plans: no hours
    ticket = offline_desk(settings, outbox, at(MON, 1, 22, days=1)).take_ticket("legal-aid")
    assert ticket.provisional
    central.state.hours = {"from": "garbage"}
    make_desk().services()
    assert offline_desk(settings, outbox, at(MON, 1, 22, days=1)).take_ticket("legal-aid").provisional
