"""The composition root picks the desk and the content from config and env; printer faults
become urgent events once per change; a newer verified bundle waits for the idle. No
network here (the live service is in tests/integration/test_central_wired.py)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import msgspec
import pytest

from kiosk.bootstrap import Services, build_services
from kiosk.config import load_config
from kiosk.connector.content_store import ContentStore
from kiosk.connector.desk import CentralDesk
from kiosk.content.bundle import load_bundle
from kiosk.devices.fakes import FakePrinter, FakeRecognizer, FakeSpeaker
from kiosk.devices.locked import LockedPrinter
from kiosk.ports import PrintResult
from kiosk.services.local_desk import LocalDesk
from kiosk.slips.data import TicketData
from kiosk.slips.profiles import load_profiles
from kiosk.slips.render import render_slip
from tests.conftest import CONTENT, LOCALITY, REPO
from tests.connector.conftest import closed_port_url

SLIP = TicketData(office="demo", service="法律咨询", number="A001", issued_at=dt.datetime(2026, 11, 23, 9),
                  qr="https://example.gov.cn/q/1")


def write_config(tmp_path: Path, central: str = "") -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    path = tmp_path / "kiosk.toml"
    path.write_text(
        '[kiosk]\nid = "wiring"\nlocales = ["zh-CN", "en"]\n'
        f'[content]\npath = "{CONTENT}"\nlocality = "{LOCALITY}"\nstate_dir = "{tmp_path / "var"}"\n'
        f'[central]\nticket_prefix = "K9"\n{central}', encoding="utf-8")
    return path


def services_for(tmp_path: Path, env: dict[str, str], central: str = "", **kw: object) -> Services:
    path = write_config(tmp_path, central)
    path.chmod(0o600)  # it may hold the kiosk's token
    cfg = load_config(path, env=env)
    # Speech devices of their own would record their faults (no model) in the fault log too.
    kw.setdefault("speaker", FakeSpeaker())
    kw.setdefault("recognizer", FakeRecognizer())
    return build_services(cfg, env=env, **kw)  # type: ignore[arg-type]


def test_no_central_url_means_the_local_desk_and_the_shipped_content(tmp_path: Path) -> None:
    services = services_for(tmp_path, env={})
    assert isinstance(services.desk, LocalDesk) and services.desk_kind == "local"
    assert services.central is None
    services.start_background(lambda: "attract")  # nothing to start: no error
    services.stop_background()


def test_the_env_url_picks_the_central_desk(tmp_path: Path) -> None:
    env = {"KIOSK_CENTRAL_URL": closed_port_url(), "KIOSK_TOKEN": "t0ken"}
    services = services_for(tmp_path, env=env)
    assert isinstance(services.desk, CentralDesk) and services.desk_kind == "central"
    assert services.central is not None and services.central.connector.desk is services.desk
    # One lock for the print service and the heartbeat's status query.
    assert isinstance(services.printer, LockedPrinter)
    assert services.central.connector.health.sources.printer is services.printer
    # Nothing verified yet: the shipped pack is served.
    assert services.bundle.locality.id and services.central.content_version() == services.bundle.version
    services.stop_background()


def test_the_config_url_picks_the_central_desk_and_a_desk_override_wins(tmp_path: Path) -> None:
    services = services_for(tmp_path, env={}, central=f'url = "{closed_port_url()}"\ntoken = "x"\n')
    assert services.desk_kind == "central"
    services.stop_background()
    other = LocalDesk.__new__(LocalDesk)
    overridden = services_for(tmp_path / "b", env={}, central=f'url = "{closed_port_url()}"\n', desk=other)
    assert overridden.desk is other and overridden.central is None


def _commit(store: ContentStore, version: int, note: str) -> Path:
    staging = store.stage()
    shutil.copytree(CONTENT, staging, dirs_exist_ok=True)
    (staging / "localities").mkdir()
    shutil.copy(LOCALITY, staging / "localities" / LOCALITY.name)
    flow = staging / "flows" / "divorce.yaml"
    flow.write_text(flow.read_text(encoding="utf-8") + f"\n# {note}\n", encoding="utf-8")
    return store.commit(staging, version)


def test_the_last_verified_bundle_is_served_and_a_newer_one_waits_for_the_idle(tmp_path: Path) -> None:
    root = tmp_path / "root.json"
    root.write_text("{}", encoding="utf-8")  # never read here: no sync runs
    env = {"KIOSK_CENTRAL_URL": closed_port_url(), "KIOSK_TOKEN": "t", "KIOSK_TUF_ROOT": str(root)}
    store = ContentStore(tmp_path / "var" / "bundles")
    first = _commit(store, 3, "v3")
    services = services_for(tmp_path, env=env)
    link = services.central
    assert link is not None and link.connector.sync is not None
    shipped, served = load_bundle(CONTENT, LOCALITY)[0], load_bundle(first, first / "localities" / LOCALITY.name)[0]
    assert shipped is not None and served is not None and shipped.version != served.version
    assert services.bundle.version == served.version
    assert link.content_version() == f"v3 ({services.bundle.version})"
    old_bundle, old_engine = services.bundle, services.engine
    session = services.engine.start("divorce", "zh-CN")  # a resident mid-flow
    services.search()

    _commit(store, 4, "v4")
    link.prepare(4)  # what the sync thread does once v4 is verified and in force
    assert link.pending is not None and link.status()["pending_version"] == 4
    assert services.bundle is old_bundle  # nothing changes under the resident
    assert session.screen().kind  # the session goes on with its own version
    assert services.apply_pending_content() == services.bundle.version != old_bundle.version
    assert services.engine is not old_engine and link.content_version().startswith("v4 (")
    prepared = services._search
    assert services._search_version == services.bundle.version and services.search() is prepared
    assert services.apply_pending_content() is None  # applied once
    status = link.status()
    assert status["reachable"] is False and status["pending_version"] is None and status["signed_version"] == 4
    services.stop_background()


def test_printer_faults_go_to_the_outbox_once_per_change(tmp_path: Path) -> None:
    printer = FakePrinter()
    services = services_for(tmp_path, env={"KIOSK_CENTRAL_URL": closed_port_url(), "KIOSK_TOKEN": "t"},
                            printer=printer)
    assert services.central is not None
    outbox = services.central.connector.outbox

    def events() -> list[str]:
        rows = outbox._db.execute("SELECT body FROM outbox WHERE kind = 'event' ORDER BY rowid").fetchall()
        return [json.loads(body)["kind"] for (body,) in rows]

    assert services.printing.print(SLIP, "zh-CN").printed
    printer.result = PrintResult(printed=False, fault="paper_out")
    assert not services.printing.print(SLIP, "zh-CN").printed
    assert not services.printing.print(SLIP, "zh-CN").printed  # the same fault again: no new event
    printer.result = PrintResult(printed=False, fault="no_answer")
    services.printing.print(SLIP, "zh-CN")
    printer.result = PrintResult(printed=True)
    services.printing.print(SLIP, "zh-CN")
    printer.result = PrintResult(printed=True, warning="paper_near_end")
    services.printing.print(SLIP, "zh-CN")
    assert events() == ["paper_out", "printer_offline", "paper_near_end"]
    # ... and they are also in the local fault log, as before.
    assert [e["code"] for e in services.faults.entries()] == ["paper_out", "paper_out", "no_answer",
                                                              "paper_near_end"]
    services.stop_background()


def test_a_provisional_ticket_slip_says_it_is_provisional() -> None:
    profile = load_profiles(REPO / "config" / "printers.toml")["80mm"]
    plain = render_slip(SLIP, profile, "zh-CN").data.decode("gb18030", errors="replace")
    marked = render_slip(_provisional(SLIP), profile, "zh-CN").data.decode("gb18030", errors="replace")
    assert "临时号" in marked and "临时号" not in plain
    english = render_slip(_provisional(SLIP), profile, "en").data.decode("gb18030", errors="replace")
    assert "Provisional number" in english


def _provisional(slip: TicketData) -> TicketData:
    return msgspec.structs.replace(slip, provisional=True)


@pytest.mark.parametrize("bad", ["ftp://x", "127.0.0.1:8700"])
def test_a_bad_central_url_is_a_config_error(tmp_path: Path, bad: str) -> None:
    from kiosk.config import ConfigError

    with pytest.raises(ConfigError):
        services_for(tmp_path, env={"KIOSK_CENTRAL_URL": bad})
