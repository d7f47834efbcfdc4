"""Content sync with python-tuf against crafted repositories served on loopback.

Each attack must fail closed: SyncFailed, an event reported, and the bundle in force
(the last verified one) still the one served.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest

from kiosk.connector.client import build_session
from kiosk.connector.settings import CentralSettings
from kiosk.connector.sync import ContentSync, SyncFailed
from kiosk.content.bundle import load_bundle
from tests.connector.fake_central import FakeCentral
from tests.connector.tuf_repo import REPO, TufRepo, content_files

LOCALITY = REPO / "config" / "localities" / "demo.yaml"
FLOW = "flows/mediation.yaml"


class Harness:
    def __init__(self, tmp: Path, central: FakeCentral, settings: CentralSettings) -> None:
        self.repo = TufRepo(tmp / "repo")
        central.state.tuf_dir = self.repo.dir
        self.central = central
        self.events: list[tuple[str, dict[str, Any]]] = []
        self.settings = settings
        self.files = content_files()

    def sync(self, **kw: Any) -> ContentSync:
        return ContentSync(base_url=self.central.url, tuf_root=self.repo.root_path,
                           state_dir=self.settings.state_dir, locality_path=LOCALITY,
                           session=build_session(self.settings, retries=0), timeout=(1.0, 2.0),
                           report=lambda kind, detail: self.events.append((kind, detail)), **kw)

    def served_text(self, sync: ContentSync, path: str = FLOW) -> str:
        folder = sync.store.current()
        assert folder is not None
        return (folder / path).read_text(encoding="utf-8")

    def change_flow(self) -> dict[str, bytes]:
        changed = dict(self.files)
        changed[FLOW] = changed[FLOW] + b"\n# edited by the bureau\n"
        return changed


@pytest.fixture
def h(tmp_path: Path, central: FakeCentral, settings: CentralSettings) -> Harness:
    return Harness(tmp_path, central, settings)


def test_first_sync_then_up_to_date_then_only_the_changed_flow(h: Harness) -> None:
    h.repo.publish(h.files)
    sync = h.sync()
    first = sync.sync_once()
    assert first.version == 1 and sorted(first.downloaded) == sorted(h.files)
    folder = sync.store.current()
    assert folder is not None
    bundle, problems = load_bundle(folder, folder / "localities" / "demo.yaml")
    assert bundle is not None and not problems and len(bundle.flows) == 15
    assert "legal-aid" in bundle.applications  # application kinds travel signed with the pack

    same = sync.sync_once()
    assert (same.version, same.downloaded, same.changed) == (1, [], False)
    assert same.bytes < 2048  # timestamp + a 404 for the next root
    again = sync.sync_once()  # timestamp.json now answered 304 Not Modified (ETag)
    assert again.bytes < 100 and again.version == 1

    h.repo.publish(h.change_flow())
    second = sync.sync_once()
    assert (second.version, second.downloaded) == (2, [FLOW])
    assert h.served_text(sync).endswith("# edited by the bureau\n")
    assert sync.store.versions() == [1, 2]  # the previous verified bundle is kept
    assert h.events == []


def test_a_session_keeps_its_version_until_the_app_takes_the_new_one_at_idle(h: Harness) -> None:
    h.repo.publish(h.files)
    sync = h.sync()
    ready: list[int] = []
    sync.on_ready = ready.append
    sync.sync_once()
    assert sync.take_ready() is not None and sync.serving_version == 1
    h.repo.publish(h.change_flow())
    sync.sync_once()
    assert ready == [1, 2]
    assert sync.serving_version == 1 and sync.ready_version() == 2  # nothing swapped under a resident
    paths = sync.take_ready()
    assert paths is not None and paths[0].name == "v000002" and sync.ready_version() is None


def test_rollback_attack_is_rejected_and_the_newer_content_stays(h: Harness) -> None:
    h.repo.publish(h.files)
    old_timestamp = (h.repo.meta / "timestamp.json").read_bytes()
    h.repo.publish(h.change_flow())
    sync = h.sync()
    sync.sync_once()
    (h.repo.meta / "timestamp.json").write_bytes(old_timestamp)  # replay version 1
    with pytest.raises(SyncFailed) as caught:
        sync.sync_once()
    assert caught.value.kind == "verification"
    assert sync.store.current_version() == 2 and h.served_text(sync).endswith("bureau\n")
    assert h.events[0][0] == "content_verification_failed"


def test_freeze_attack_expired_timestamp_is_rejected(h: Harness) -> None:
    h.repo.publish(h.files)
    sync = h.sync()
    sync.sync_once()
    h.repo.publish(h.change_flow())
    h.repo.write_timestamp(3, days=-1, snapshot_version=2)  # signed, but expired: a frozen mirror
    with pytest.raises(SyncFailed) as caught:
        sync.sync_once()
    assert caught.value.kind == "verification" and "xpired" in caught.value.reason
    assert sync.store.current_version() == 1
    assert not h.served_text(sync).endswith("bureau\n")
    assert [k for k, _ in h.events] == ["content_verification_failed"]


def test_tampered_target_is_rejected(h: Harness) -> None:
    h.repo.publish(h.files)
    sync = h.sync()
    sync.sync_once()
    h.repo.publish(h.change_flow())
    h.repo.target_file(FLOW).write_bytes(h.files[FLOW] + b"\n# evil edit\n")
    with pytest.raises(SyncFailed) as caught:
        sync.sync_once()
    assert caught.value.kind == "verification" and FLOW in caught.value.reason
    assert sync.store.current_version() == 1 and "evil" not in h.served_text(sync)
    assert not list(sync.store.root.glob(".staging-*"))


def test_mix_and_match_is_rejected(h: Harness) -> None:
    h.repo.publish(h.files)
    sync = h.sync()
    sync.sync_once()
    h.repo.publish(h.change_flow())
    h.repo.publish(h.files | {FLOW: h.files[FLOW] + b"\n# v3\n"})
    # the mirror serves version 3's timestamp and snapshot with version 2's targets metadata
    shutil.copyfile(h.repo.meta / "2.targets.json", h.repo.meta / "3.targets.json")
    with pytest.raises(SyncFailed) as caught:
        sync.sync_once()
    assert caught.value.kind == "verification"
    assert sync.store.current_version() == 1


def test_signed_content_the_validator_rejects_is_not_switched_to(h: Harness) -> None:
    h.repo.publish(h.files)
    sync = h.sync()
    sync.sync_once()
    h.repo.publish(h.files | {FLOW: b"id: mediation\nnodes: [\n"})
    with pytest.raises(SyncFailed) as caught:
        sync.sync_once()
    assert caught.value.kind == "invalid"
    assert sync.store.current_version() == 1


def test_unreachable_server_is_not_reported_as_an_attack(h: Harness) -> None:
    h.repo.publish(h.files)
    sync = h.sync()
    sync.sync_once()
    h.central.state.faults.append((503, {"Retry-After": "30"}))
    with pytest.raises(SyncFailed) as caught:
        sync.sync_once()
    assert caught.value.kind == "unreachable" and h.events == []
    assert sync.store.current_version() == 1


def test_content_stale_is_reported_when_metadata_nears_expiry(h: Harness) -> None:
    h.repo.publish(h.files, timestamp_days=0.5)
    sync = h.sync(stale_margin_s=86400)
    sync.sync_once()
    assert [k for k, _ in h.events] == ["content_stale"]
    sync.sync_once()
    assert len(h.events) == 1  # reported once, not at every check
    later = h.sync(stale_margin_s=3600, now=lambda: dt.datetime.now(dt.UTC))
    assert later.check_freshness() is False


def test_no_trusted_root_is_a_setup_failure(h: Harness, tmp_path: Path) -> None:
    sync = h.sync()
    sync.tuf_root = tmp_path / "missing-root.json"
    with pytest.raises(SyncFailed) as caught:
        sync.sync_once()
    assert caught.value.kind == "setup"


def test_start_up_serves_the_verified_bundle_once_there_is_one(h: Harness) -> None:
    from kiosk.config import load_config
    from kiosk.connector.factory import serving_content

    cfg = load_config(env={"KIOSK_STATE_DIR": str(h.settings.state_dir)})
    assert serving_content(cfg) == (cfg.content_path, cfg.locality_path)  # nothing synced yet
    h.repo.publish(h.files)
    h.sync().sync_once()
    content, locality = serving_content(cfg)
    assert content.name == "v000001" and locality == content / "localities" / "demo.yaml"


def test_service_gone_mid_download_keeps_the_old_bundle_and_the_next_sync_finishes(h: Harness) -> None:
    h.repo.publish(h.files)
    sync = h.sync()
    sync.sync_once()
    h.repo.publish(h.change_flow())
    h.central.state.cut_paths.add("mediation.yaml")
    with pytest.raises(SyncFailed) as caught:
        sync.sync_once()
    assert caught.value.kind == "unreachable" and h.events == []
    assert sync.store.current_version() == 1 and not list(sync.store.root.glob(".staging-*"))
    h.central.state.cut_paths.clear()
    done = sync.sync_once()
    assert (done.version, done.downloaded) == (2, [FLOW])


def test_a_slow_repository_times_out_instead_of_hanging(h: Harness) -> None:
    h.repo.publish(h.files)
    h.central.state.tuf_delay_s = 1.5
    sync = ContentSync(base_url=h.central.url, tuf_root=h.repo.root_path, state_dir=h.settings.state_dir,
                       locality_path=LOCALITY, session=build_session(h.settings, retries=0), timeout=(1.0, 0.3))
    with pytest.raises(SyncFailed) as caught:
        sync.sync_once()
    assert caught.value.kind == "unreachable" and sync.store.current() is None
