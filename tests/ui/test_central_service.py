"""The real app, its desk the connector's CentralDesk, against the real central service on
loopback (fresh SQLite): a ticket by touch gets the server's number; with the service
stopped, the next ticket is a provisional K… number, shown and printed as provisional; a
booking says plainly it cannot be made now; maintenance shows the service unreachable and
the ticket waiting in the outbox, which reaches the server once it is back.
Skipped, with the reason, when the `central` extra is not installed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.bootstrap import Services, build_services
from kiosk.config import load_config
from tests.conftest import CONTENT, LOCALITY
from tests.connector.real_central import RealCentral, missing
from tests.ui.conftest import Driver

pytestmark = pytest.mark.skipif(missing() is not None, reason=missing() or "")

PHONE = "13912345678"


@pytest.fixture
def central(tmp_path: Path) -> Iterator[RealCentral]:
    server = RealCentral(tmp_path / "central").setup()
    server.start()
    yield server
    server.cleanup()


@pytest.fixture
def wired(ui: Driver, central: RealCentral, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Services]:
    """The session's app with the central-backed desk that build_services makes for a
    kiosk whose config names the service (its own state folder)."""
    config = tmp_path / "kiosk.toml"
    config.write_text(
        '[kiosk]\nid = "ui-central"\nlocales = ["zh-CN", "en"]\n'
        f'[content]\npath = "{CONTENT}"\nlocality = "{LOCALITY}"\nstate_dir = "{tmp_path / "var"}"\n'
        '[central]\nticket_prefix = "K3"\nretries = 0\nconnect_timeout_s = 1\nread_timeout_s = 5\n',
        encoding="utf-8")
    env = {"KIOSK_CENTRAL_URL": central.url, "KIOSK_TOKEN": central.demo["kiosk_token"]}
    central.use_ticket_prefix("K3")
    wired = build_services(load_config(config, env=env), env=env)
    assert wired.desk_kind == "central" and wired.central is not None
    app = ui.app.services
    for name in ("desk", "desk_kind", "central"):
        monkeypatch.setattr(app, name, getattr(wired, name))
    yield wired
    wired.stop_background()


def _ticket(ui: Driver) -> str:
    ui.tap(ui.find(cls="TouchArea"))
    ui.tap_text(ui.app.t("Take a queue number"))
    ui.tap_text("法律咨询", cls="ChoiceButton")
    ui.tap_text(ui.app.t("No"))
    assert ui.screen.step == "done", ui.screen.message
    number: str = ui.screen.number
    return number


def _newest_ticket_slip(ui: Driver) -> str:
    slips = sorted((ui.state_dir / "slips").glob("ticket-*.bin"), key=lambda p: p.stat().st_mtime)
    return slips[-1].read_bytes().decode("gb18030", errors="replace")


def test_tickets_and_bookings_through_the_central_service_on_and_off(
        ui: Driver, central: RealCentral, wired: Services) -> None:
    app = ui.app
    online = _ticket(ui)
    assert not ui.screen.provisional and not online.startswith("K3-")
    assert central.sql("SELECT COUNT(*) FROM queueing_ticket WHERE number = ?", online) == [(1,)]
    assert online in _newest_ticket_slip(ui) and "临时号" not in _newest_ticket_slip(ui)

    # A booking is prepared while the service answers, then the service goes away.
    app.finish()
    ui.tap(ui.find(cls="TouchArea"))
    ui.tap_text(app.t("Book an appointment"))
    for _ in range(3):  # service, day, time: the server's own
        ui.tap(ui.find(cls="ChoiceButton"))
        ui.settle()
    for d in PHONE:
        ui.tap_text(d, cls="KeypadKey")
    ui.tap_text(app.t("Next"))
    assert ui.screen.step == "confirm"
    central.stop()
    ui.tap_text(app.t("Confirm booking"))
    assert ui.screen.step == "error" and app.session.booking.result is None
    assert ui.screen.message == app.t("The booking service cannot be reached right now. Nothing was booked.")
    assert app.t("Your appointment is booked.") not in [getattr(w, "text", "") for w in ui.widgets()]

    app.finish()
    provisional = _ticket(ui)
    assert provisional.startswith("K3-") and ui.screen.provisional
    assert any("临时号" in s for s in ui.all_texts())
    slip = _newest_ticket_slip(ui)
    assert provisional in slip and "临时号" in slip
    assert ui.screen.message == app.t("Please take your ticket.")

    # Staff see it: the service unreachable, one ticket waiting in the outbox.
    link = wired.central
    assert link is not None
    app.finish()
    app.open_maintenance()
    ui.frames(2)
    for d in "2468":
        ui.tap_text(d, cls="KeypadKey")
    ui.tap_text(app.t("OK"))
    ui.settle()
    status = ui.screen.status
    assert f"{app.t('Central service')}: 连不上：" in status  # zh-CN: "unreachable: <why> (last contact ...)"
    assert app.t("Outbox: {pending} waiting, {failed} failed", pending=1, failed=0) in status
    ui.tap_text(app.t("Back to the kiosk"))

    central.start()
    assert link.connector.drain_once(now=True).delivered == 1
    assert central.sql("SELECT COUNT(*) FROM queueing_ticket WHERE number = ? AND provisional = 1",
                       provisional) == [(1,)]
    assert central.sql("SELECT COUNT(*) FROM booking_booking WHERE phone LIKE '%5678'") == [(0,)]
