"""Applications through the connector, against the loopback central service: delivered at
once when it answers, queued when it does not, exactly once however the line drops, the
sealed box gone after the 201, the status query, and the config cache behind every QR."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kiosk.applications import submit as submit_module
from kiosk.applications.codes import display
from kiosk.applications.deadline import CHINA
from kiosk.applications.draft import Draft
from kiosk.applications.errors import FieldError
from kiosk.applications.sealing import new_keypair
from kiosk.applications.status import StatusUnavailable, query_status
from kiosk.applications.submit import ApplicationRefused, Applications, NoSealKey
from kiosk.connector.central_config import CentralConfig, cached_config, refresh_config
from kiosk.connector.client import CentralClient
from kiosk.connector.drain import drain
from kiosk.connector.outbox import Outbox
from kiosk.connector.settings import CentralSettings
from kiosk.content.bundle import Bundle, load_bundle
from kiosk.services.public_urls import CONFIG_FILE
from tests.conftest import CONTENT, LOCALITY
from tests.connector.conftest import closed_port_url
from tests.connector.fake_central import FakeCentral

PERSON = {"name": "王小明", "id_number": "11010519491231002X", "phone": "13812345678",
          "address": "示范县城关镇幸福路1号"}
SECRETS = [v.encode() for v in PERSON.values()] + [b"1101051949", b"12345678"]


@pytest.fixture(scope="module")
def bundle() -> Bundle:
    loaded, problems = load_bundle(CONTENT, LOCALITY)
    assert loaded is not None and not problems
    return loaded


@pytest.fixture
def apps(bundle: Bundle, outbox: Outbox, settings: CentralSettings,
         make_client: Callable[..., CentralClient]) -> Iterator[Callable[..., Applications]]:
    def make(client: CentralClient | None = None, **kw: object) -> Applications:
        return Applications(bundle, outbox, settings.state_dir,
                            client=client if client is not None else make_client(), **kw)  # type: ignore[arg-type]

    yield make


def legal_aid(app: Applications) -> Draft:
    draft = app.start("legal-aid", flow="legal-aid", outcome="o_apply", locale="zh-CN",
                      answers={"matter": "labour", "household_size": 3, "not_taken": True})
    draft.agree(dt.datetime.now(CHINA), id_number=True)
    for field in ("name", "id_number", "phone", "address"):
        draft.set_person(field, PERSON[field])
    draft.set_case("facts", "老板欠了三个月工资")
    return draft


def assert_nothing_personal(folder: Path) -> None:
    for path in folder.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            for secret in SECRETS:
                assert secret not in data, (path.name, secret)


def bodies(outbox: Outbox) -> list[object]:
    with sqlite3.connect(outbox.path) as db:
        return [row[0] for row in db.execute("SELECT body FROM outbox WHERE kind = 'application'")]


def test_delivered_at_once_sealed_and_gone_from_the_kiosk(
        apps: Callable[..., Applications], central: FakeCentral, outbox: Outbox,
        settings: CentralSettings) -> None:
    app = apps()
    draft = legal_aid(app)
    receipt = app.submit(draft)
    assert not receipt.queued
    stored = central.state.applications[receipt.code]
    assert stored["person"] == {**PERSON, "sex": "female", "birth_date": "1949-12-31"}
    body = stored["body"]
    assert body["answers"] == {"matter": "labour", "household_size": 3}
    assert body["case"] == {"facts": "老板欠了三个月工资"}
    assert body["consent"]["version"] == "legal-aid-1" and body["key_id"] == "k1"
    assert set(body) == {"code", "kind", "flow", "outcome", "content_version", "locale", "answers", "case",
                         "consent", "created_at", "key_id", "sealed"}
    assert receipt.url == f"http://phone.test/a/{receipt.code}"
    assert receipt.phone_masked == "138****5678" and receipt.decision_due is not None
    assert receipt.body["zh-CN"] == "示范县法律援助中心"
    assert not draft.has(draft.kind.required[0]) and draft.answers == {}  # the draft forgot it all
    assert bodies(outbox) == [None]  # acknowledged: the sealed box is deleted
    assert outbox.counts() == {"pending": 0, "failed": 0, "delivered": 1}
    assert_nothing_personal(settings.state_dir)


def test_queued_when_unreachable_then_drained_exactly_once(
        apps: Callable[..., Applications], central: FakeCentral, outbox: Outbox,
        settings: CentralSettings, make_client: Callable[..., CentralClient]) -> None:
    refresh_config(make_client(), settings.state_dir)  # the kiosk talked to central earlier
    down = make_client(url=closed_port_url())
    app = apps(client=down)
    receipt = app.submit(legal_aid(app))
    assert receipt.queued and receipt.code not in central.state.applications
    assert receipt.url == f"http://phone.test/a/{receipt.code}"  # from the cached config
    due = receipt.decision_due
    assert due is not None and (due - receipt.created_at.date()).days == 7
    [sealed] = bodies(outbox)
    assert isinstance(sealed, bytes) and b'"sealed"' in sealed
    assert_nothing_personal(settings.state_dir)  # queued, yet nothing readable on disk
    # the line is back: the drain delivers it, and a second drain does nothing more
    assert drain(outbox, make_client(), now=True).delivered == 1
    assert drain(outbox, make_client(), now=True).delivered == 0
    assert [e["code"] for e in central.effects("application")] == [receipt.code]
    assert bodies(outbox) == [None]
    assert_nothing_personal(settings.state_dir)


def test_the_line_drops_after_the_server_acted_the_retry_is_answered_from_the_key(
        apps: Callable[..., Applications], central: FakeCentral, outbox: Outbox,
        make_client: Callable[..., CentralClient]) -> None:
    app = apps(client=make_client())
    app.seal_config()  # config fetched while the line is good
    # GIVEN answers slower than the kiosk waits: the server acts, the kiosk hears nothing
    central.state.delay_s = 0.6
    slow = make_client(read_timeout_s=0.2, retries=0)
    app.client = slow
    receipt = app.submit(legal_aid(app))
    assert receipt.queued
    central.state.delay_s = 0.0
    # THEN the drain replays the same key and body; the server does not act twice
    assert drain(outbox, make_client(), now=True).delivered == 1
    deadline = time.monotonic() + 5  # the first, slow request may still be on the server
    while central.state.replays < 1 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [e["code"] for e in central.effects("application")] == [receipt.code]
    posts = [r for r in central.state.requests if r[:2] == ("POST", "/api/v1/applications")]
    assert len(posts) == 2 and posts[0][2] == posts[1][2]  # one key, sent twice
    assert central.state.replays == 1  # the second one was answered from the key


def test_a_taken_code_gets_a_new_one(apps: Callable[..., Applications], central: FakeCentral,
                                     outbox: Outbox, monkeypatch: pytest.MonkeyPatch) -> None:
    codes = iter(["AAAAAAAA", "BBBBBBBB"])
    monkeypatch.setattr(submit_module, "new_code", lambda: next(codes))
    central.state.taken_codes.add("AAAAAAAA")
    app = apps()
    receipt = app.submit(legal_aid(app))
    assert receipt.code == "BBBBBBBB" and not receipt.queued
    assert list(central.state.applications) == ["BBBBBBBB"]
    assert outbox.counts() == {"pending": 0, "failed": 0, "delivered": 1}  # the refused one is gone


def test_a_stale_sealing_key_is_refreshed_and_the_box_sealed_again(
        apps: Callable[..., Applications], central: FakeCentral, settings: CentralSettings) -> None:
    _, old = new_keypair()
    cache = settings.state_dir / CONFIG_FILE
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_text(json.dumps({"public_base_url": "http://phone.test", "seal_public_key": old,
                                 "seal_key_id": "k0"}), encoding="utf-8")
    app = apps()
    receipt = app.submit(legal_aid(app))
    assert not receipt.queued and central.state.applications[receipt.code]["person"]["name"] == "王小明"
    found = cached_config(settings.state_dir)
    assert found is not None and found.seal_public_key == central.state.seal_public


def test_refused_for_good_wipes_the_draft_and_keeps_nothing(
        apps: Callable[..., Applications], central: FakeCentral, outbox: Outbox,
        settings: CentralSettings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(submit_module, "new_code", lambda: "CCCCCCCC")
    central.state.taken_codes.add("CCCCCCCC")  # every code taken: three tries, then refused
    app = apps()
    draft = legal_aid(app)
    with pytest.raises(ApplicationRefused) as info:
        app.submit(draft)
    assert info.value.code == "code_taken" and "窗口" in info.value.text["zh-CN"]
    assert draft.case == {} and outbox.counts()["failed"] == 0 and bodies(outbox) == []
    assert_nothing_personal(settings.state_dir)


def test_no_key_at_all_means_no_submission(apps: Callable[..., Applications], outbox: Outbox,
                                           make_client: Callable[..., CentralClient]) -> None:
    app = apps(client=make_client(url=closed_port_url()))
    draft = legal_aid(app)
    with pytest.raises(NoSealKey):
        app.submit(draft)
    assert bodies(outbox) == []
    # a key provisioned with the kiosk (like the TUF root) lets it queue before first contact
    _, public = new_keypair()
    app.provisioned = CentralConfig("https://ggfw.example.test", public, "k1")
    assert app.submit(draft).queued


def test_status_by_code_and_last_four_digits(apps: Callable[..., Applications], central: FakeCentral,
                                             make_client: Callable[..., CentralClient]) -> None:
    app = apps()
    receipt = app.submit(legal_aid(app))
    client = make_client()
    status = query_status(client, display(receipt.code).lower(), "5678")
    assert status.status == "received" and status.code == receipt.code
    assert status.decision_due == receipt.decision_due
    with pytest.raises(StatusUnavailable) as info:
        query_status(client, receipt.code, "0000")
    assert info.value.reason == "unknown_code" and "后4位" in info.value.text["zh-CN"]
    with pytest.raises(FieldError) as bad:
        query_status(client, "7K3M-9Q2", "5678")
    assert bad.value.field == "code"
    with pytest.raises(FieldError) as bad:
        query_status(client, receipt.code, "56a8")
    assert bad.value.field == "phone_last4"
    with pytest.raises(StatusUnavailable) as down:
        query_status(make_client(url=closed_port_url()), receipt.code, "5678")
    assert down.value.reason == "unreachable"


def test_every_qr_uses_the_public_base_url_the_central_service_names(
        central: FakeCentral, settings: CentralSettings, make_client: Callable[..., CentralClient],
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from kiosk.config import load_config
    from kiosk.services.public_urls import UNJOINED_BASE_URL, outcome_url, public_base_url

    monkeypatch.delenv("KIOSK_CENTRAL_URL", raising=False)
    cfg = load_config(env={"KIOSK_STATE_DIR": str(settings.state_dir)})
    assert public_base_url(cfg) == UNJOINED_BASE_URL  # joined to nothing, never asked
    monkeypatch.setenv("KIOSK_CENTRAL_URL", central.url)
    assert public_base_url(cfg) == central.url  # joined, before the first answer
    refresh_config(make_client(), settings.state_dir)
    assert public_base_url(cfg) == "http://phone.test"
    assert outcome_url(public_base_url(cfg), "legal-aid", "o_apply", "en") == \
        "http://phone.test/o/legal-aid/o_apply?l=en"
    cfg2 = dataclasses.replace(cfg, state_dir=tmp_path / "other")
    assert public_base_url(cfg2) == central.url


def test_the_running_connector_refreshes_the_config_with_its_heartbeat(
        central: FakeCentral, settings: CentralSettings, bundle: Bundle) -> None:
    from kiosk.applications.factory import make_applications
    from kiosk.config import load_config
    from kiosk.connector.factory import build_connector
    from tests.connector.test_health import wait_for

    cfg = load_config(env={"KIOSK_STATE_DIR": str(settings.state_dir)})
    central.state.poll_interval = 1  # the server's hint paces the heartbeat
    connector = build_connector(dataclasses.replace(settings, heartbeat_interval_s=1.0,
                                                    drain_interval_s=3600), cfg)
    connector.start()
    try:
        assert wait_for(lambda: cached_config(settings.state_dir) is not None, 10)
        central.state.public_base_url = "http://moved.test"
        assert wait_for(lambda: getattr(cached_config(settings.state_dir), "public_base_url", "")
                        == "http://moved.test", 10)
        app = make_applications(cfg, bundle, connector=connector)
        receipt = app.submit(legal_aid(app))
        assert not receipt.queued and receipt.url == f"http://moved.test/a/{receipt.code}"
    finally:
        connector.stop(timeout=5)
