"""Heartbeat, device events, clock skew, and the background threads' clean stop."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from pathlib import Path

from kiosk.config import load_config
from kiosk.connector.client import CentralClient
from kiosk.connector.drain import drain
from kiosk.connector.factory import build_connector, make_connector, make_desk
from kiosk.connector.health import Health, HealthSources, printer_events
from kiosk.connector.outbox import Outbox
from kiosk.connector.settings import CentralSettings
from kiosk.devices.fakes import FakePrinter, FakeSpeaker
from kiosk.ports import PrinterStatus
from tests.connector.fake_central import FakeCentral

OK = PrinterStatus(answered=True, online=True, paper="ok")


def wait_for(check: Callable[[], bool], seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return check()


def test_heartbeat_carries_device_state_and_honours_the_servers_hint(
        central: FakeCentral, outbox: Outbox, settings: CentralSettings,
        make_client: Callable[..., CentralClient]) -> None:
    central.state.poll_interval = 42
    sources = HealthSources(printer=FakePrinter(status=OK), speaker=FakeSpeaker("no audio device"),
                            content_version=lambda: "v7", state=lambda: "in_session")
    health = Health(make_client(), outbox, sources, settings.state_dir)
    health.beat()
    [beat] = central.effects("heartbeat")
    assert beat["state"] == "in_session" and beat["content_version"] == "v7"
    assert beat["printer"] == {"status": "ok", "paper": "ok"}
    assert beat["speaker"] == "unavailable: no audio device" and beat["mic"] == "absent"
    assert beat["disk_free_mb"] > 0 and beat["uptime_s"] >= 0 and beat["app_version"]
    assert health.poll_interval_s == 42
    assert health.clock_skew_s is not None and abs(health.clock_skew_s) < 5


def test_printer_faults_become_events_once_on_the_transition() -> None:
    out = PrinterStatus(answered=True, online=True, paper="out")
    gone = PrinterStatus(answered=False)
    assert printer_events(None, OK) == []
    assert printer_events(OK, out) == ["paper_out"]
    assert printer_events(out, out) == []
    assert printer_events(out, gone) == ["printer_offline"]
    assert printer_events(gone, OK) == []


def test_paper_out_reaches_the_server_at_once_through_the_outbox(
        central: FakeCentral, settings: CentralSettings, tmp_path: Path) -> None:
    cfg = load_config(env={"KIOSK_STATE_DIR": str(settings.state_dir)})
    printer = FakePrinter(status=OK)
    fast = dataclasses.replace(settings, heartbeat_interval_s=3600, drain_interval_s=3600)
    connector = build_connector(fast, cfg, sources=HealthSources(printer=printer))
    connector.start()
    try:
        printer._status = PrinterStatus(answered=True, online=True, paper="out")
        connector.health.printer_status()  # the app noticed (e.g. after a slip)
        assert wait_for(lambda: [e["event"] for e in central.effects("event")] == ["paper_out"])
    finally:
        connector.stop(timeout=5)
    assert not any(t.is_alive() for t in connector._threads)


def test_a_crash_is_reported_at_the_next_start(central: FakeCentral, settings: CentralSettings) -> None:
    cfg = load_config(env={"KIOSK_STATE_DIR": str(settings.state_dir)})
    quiet = dataclasses.replace(settings, heartbeat_interval_s=3600, drain_interval_s=3600)
    first = build_connector(quiet, cfg)
    first.start()
    first._threads.clear()  # simulate dying without stop(): the marker stays
    second = build_connector(quiet, cfg)
    second.start()
    try:
        assert wait_for(lambda: "crash_restart" in [e["event"] for e in central.effects("event")])
    finally:
        second.stop(timeout=5)
        first._stop.set()
        first.outbox.close()


def test_factory_picks_the_central_desk_only_when_a_url_is_set(tmp_path: Path, central: FakeCentral) -> None:
    cfg = load_config(env={"KIOSK_STATE_DIR": str(tmp_path)})
    fallback = object()
    assert make_desk(cfg, lambda: fallback, env={}) is fallback  # type: ignore[arg-type,return-value]
    env = {"KIOSK_CENTRAL_URL": central.url, "KIOSK_TOKEN": "test-token"}
    connector = make_connector(cfg, env=env)
    assert connector is not None and connector.settings.url == central.url
    assert make_desk(cfg, lambda: fallback, connector=connector) is connector.desk  # type: ignore[arg-type,return-value]
    connector.outbox.close()


def test_drain_without_a_server_keeps_everything(settings: CentralSettings, outbox: Outbox) -> None:
    from kiosk.connector.client import build_session
    from tests.connector.conftest import closed_port_url

    down = dataclasses.replace(settings, url=closed_port_url(), retries=0)
    outbox.enqueue("event", "/api/v1/events", {"kind": "usage", "at": "x", "detail": {}})
    result = drain(outbox, CentralClient(down, build_session(down)))
    assert (result.delivered, result.pending, result.stopped) == (0, 1, "no connection")


def test_a_locked_printer_never_interleaves_status_with_a_slip() -> None:
    import threading

    from kiosk.devices.locked import LockedPrinter
    from kiosk.ports import PrintResult

    log: list[str] = []
    started = threading.Event()

    class SlowPrinter(FakePrinter):
        def status(self) -> PrinterStatus:
            log.append("status")
            return OK

        def print_slip(self, slip: object) -> PrintResult:  # type: ignore[override]
            log.append("slip-start")
            started.set()
            time.sleep(0.2)
            log.append("slip-end")
            return PrintResult(printed=True)

    printer = LockedPrinter(SlowPrinter())
    worker = threading.Thread(target=printer.print_slip, args=(None,))
    worker.start()
    assert started.wait(10)
    printer.status()  # the heartbeat asks while the slip is printing
    worker.join()
    assert log == ["slip-start", "slip-end", "status"]


def test_intervals_carry_jitter_within_bounds() -> None:
    import random

    from kiosk.connector.runtime import jittered

    rng = random.Random(3)
    draws = [jittered(900, rng) for _ in range(500)]
    assert all(720 <= d <= 1080 for d in draws)
    assert max(draws) - min(draws) > 250  # spread out, not one shared second
