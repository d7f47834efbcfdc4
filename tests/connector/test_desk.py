"""CentralDesk: live slots, bookings only when the server confirmed, offline tickets."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest

from kiosk.connector.client import CentralClient, build_session
from kiosk.connector.desk import CentralDesk
from kiosk.connector.drain import drain
from kiosk.connector.outbox import Outbox
from kiosk.connector.settings import CentralSettings
from kiosk.ports import BookingRefused, DeskUnavailable, SlotFull
from tests.connector.conftest import closed_port_url
from tests.connector.fake_central import FakeCentral


def offline_desk(settings: CentralSettings, outbox: Outbox) -> CentralDesk:
    down = dataclasses.replace(settings, url=closed_port_url(), retries=0)
    return CentralDesk(CentralClient(down, build_session(down)), outbox, ticket_prefix="K3",
                       cache_dir=settings.state_dir / "central")


def test_online_ticket_comes_from_the_server(central: FakeCentral, make_desk: Callable[..., CentralDesk],
                                             outbox: Outbox) -> None:
    ticket = make_desk().take_ticket("legal-aid", "elderly")
    assert (ticket.number, ticket.provisional, ticket.priority, ticket.people_ahead) == ("A001", False,
                                                                                        "elderly", 2)
    assert outbox.counts()["pending"] == 0


def test_offline_tickets_are_provisional_and_reach_the_server_exactly_once(
        central: FakeCentral, settings: CentralSettings, outbox: Outbox,
        make_client: Callable[..., CentralClient]) -> None:
    desk = offline_desk(settings, outbox)
    tickets = [desk.take_ticket("legal-aid"), desk.take_ticket("legal-aid", "disabled")]
    assert [t.number for t in tickets] == ["K3-001", "K3-002"]
    assert all(t.provisional for t in tickets)
    assert outbox.counts()["pending"] == 2
    # the line returns
    assert drain(outbox, make_client()).delivered == 2
    assert drain(outbox, make_client()).delivered == 0
    sent = central.effects("ticket")
    assert [(t["number"], t["priority"]) for t in sent] == [("K3-001", "none"), ("K3-002", "disabled")]
    assert sent[0]["issued_at"] == tickets[0].issued_at.isoformat()


def test_a_server_answering_503_also_gets_a_provisional_ticket(central: FakeCentral,
                                                              make_desk: Callable[..., CentralDesk]) -> None:
    central.state.faults.append((503, {"Retry-After": "600"}))
    ticket = make_desk().take_ticket("legal-aid")
    assert ticket.provisional and ticket.number == "K3-001"


def test_booking_is_returned_only_as_the_server_confirmed_it(central: FakeCentral,
                                                            make_desk: Callable[..., CentralDesk]) -> None:
    central.add_slot("s1", capacity=1)
    desk = make_desk()
    [slot] = desk.slots("legal-aid")
    assert (slot.id, slot.free) == ("s1", 1)
    booking = desk.book("s1", "legal-aid", "13812345678")
    assert booking.phone_masked == "138****5678" and booking.code == central.effects("booking")[0]["code"]
    with pytest.raises(SlotFull):
        desk.book("s1", "legal-aid", "13900000000")
    central.add_slot("s2", capacity=1)
    with pytest.raises(BookingRefused) as caught:
        desk.book("s2", "legal-aid", "not-a-phone")
    assert caught.value.reason == "bad_phone"


def test_offline_booking_is_refused_plainly_and_nothing_is_queued(
        central: FakeCentral, settings: CentralSettings, outbox: Outbox) -> None:
    desk = offline_desk(settings, outbox)
    with pytest.raises(DeskUnavailable):
        desk.book("s1", "legal-aid", "13812345678")
    with pytest.raises(DeskUnavailable):
        desk.slots("legal-aid")
    with pytest.raises(DeskUnavailable):
        desk.check_in("B0001")
    assert outbox.counts() == {"pending": 0, "failed": 0, "delivered": 0}


def test_try_again_after_an_unanswered_booking_returns_the_booking_the_server_made(
        central: FakeCentral, make_desk: Callable[..., CentralDesk]) -> None:
    central.add_slot("s1", capacity=5)
    central.state.delay_s = 0.6
    desk = make_desk(read_timeout_s=0.2, retries=0)
    with pytest.raises(DeskUnavailable):  # the server booked it, the answer was lost
        desk.book("s1", "legal-aid", "13812345678")
    central.state.delay_s = 0.0
    booking = desk.book("s1", "legal-aid", "13812345678")
    bookings = central.effects("booking")
    assert len(bookings) == 1 and booking.code == bookings[0]["code"]
    assert central.state.slots["s1"]["booked"] == 1


def test_services_are_served_from_the_last_answer_when_offline(
        central: FakeCentral, settings: CentralSettings, outbox: Outbox,
        make_desk: Callable[..., CentralDesk]) -> None:
    online = make_desk().services()
    assert online[0].name["en"] == "Legal aid"
    assert offline_desk(settings, outbox).services() == online


def test_a_revoked_token_makes_the_desk_unavailable(central: FakeCentral,
                                                   make_desk: Callable[..., CentralDesk]) -> None:
    with pytest.raises(DeskUnavailable, match="not authorised"):
        make_desk(token="revoked").slots("legal-aid")
