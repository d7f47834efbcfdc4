"""Publishing through TUF, checked by python-tuf's own client (what a kiosk runs)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import requests
from tuf.api.exceptions import RepositoryError
from tuf.ngclient import Updater

from central.testing.servers import CENTRAL, CentralServer
from tests.central.review_helpers import approve_all


def _updater(server: CentralServer, root: Path, client: Path) -> Updater:
    (client / "metadata").mkdir(parents=True, exist_ok=True)
    (client / "targets").mkdir(exist_ok=True)
    shutil.copy(root, client / "metadata" / "root.json")
    return Updater(metadata_dir=str(client / "metadata"), metadata_base_url=f"{server.url}/tuf/metadata/",
                   target_base_url=f"{server.url}/tuf/targets/", target_dir=str(client / "targets"))


def _download(updater: Updater, path: str) -> bytes:
    info = updater.get_targetinfo(path)
    assert info is not None, path
    return Path(updater.download_target(info)).read_bytes()


def _edit_flow(server: CentralServer, flow: str, suffix: str) -> None:
    server.django(f"from central.publishing.models import Flow; f = Flow.objects.get(flow_id='{flow}'); "
                  f"f.text = f.text + {suffix!r}; f.save()")
    approve_all(server)  # a legal reviewer approves the edit (publishing refuses it otherwise)


def test_publish_update_and_roll_back(sqlite_server: CentralServer, tmp_path: Path) -> None:
    server = sqlite_server
    first = json.loads(server.command("publish", "--json"))
    root = Path(first["root_path"])
    assert root.is_file() and first["version"] >= 1
    updater = _updater(server, root, tmp_path / "kiosk")
    updater.refresh()
    pack = _download(updater, "pack.yaml")
    assert b"queue_prefix: A" in pack
    flow_v1 = _download(updater, "flows/mediation.yaml")
    assert updater._trusted_set.targets.version == first["version"]  # publication == targets version
    assert updater.get_targetinfo("localities/demo.yaml") is not None
    before = {p: t.hashes["sha256"] for p, t in updater._trusted_set.targets.targets.items()}

    _edit_flow(server, "mediation", "\n# edited by the test\n")
    second = json.loads(server.command("publish", "--json"))
    assert second["version"] == first["version"] + 1
    updater = _updater(server, root, tmp_path / "kiosk2")
    updater.refresh()
    after = {p: t.hashes["sha256"] for p, t in updater._trusted_set.targets.targets.items()}
    assert {p for p in after if after[p] != before.get(p)} == {"flows/mediation.yaml"}, "only the edit is new"
    assert _download(updater, "flows/mediation.yaml").endswith(b"# edited by the test\n")

    third = json.loads(server.command("publish", "--json", "--rollback", str(first["version"])))
    assert third["version"] == second["version"] + 1
    updater = _updater(server, root, tmp_path / "kiosk3")
    updater.refresh()
    assert updater._trusted_set.targets.version == third["version"]
    assert _download(updater, "flows/mediation.yaml") == flow_v1


def test_static_serving_with_etag(sqlite_server: CentralServer) -> None:
    server = sqlite_server
    server.command("publish", "--json")
    first = requests.get(f"{server.url}/tuf/metadata/timestamp.json", timeout=10)
    assert first.status_code == 200 and first.headers["ETag"]
    assert first.headers["Cache-Control"] == "no-cache"
    again = requests.get(f"{server.url}/tuf/metadata/timestamp.json", timeout=10,
                         headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert requests.get(f"{server.url}/tuf/metadata/1.root.json", timeout=10).status_code == 200
    assert requests.get(f"{server.url}/tuf/targets/../../secret_key", timeout=10).status_code == 404


def test_timestamp_refresh_and_tampered_target(sqlite_server: CentralServer, tmp_path: Path) -> None:
    server = sqlite_server
    published = json.loads(server.command("publish", "--json"))
    ts_before = requests.get(f"{server.url}/tuf/metadata/timestamp.json", timeout=10).json()
    assert server.command("refresh-timestamp").strip() == "not due"
    assert server.command("refresh-timestamp", "--force").strip() == "signed"
    ts_after = requests.get(f"{server.url}/tuf/metadata/timestamp.json", timeout=10).json()
    assert ts_after["signed"]["version"] == ts_before["signed"]["version"] + 1
    updater = _updater(server, Path(published["root_path"]), tmp_path / "kiosk")
    updater.refresh()
    info = updater.get_targetinfo("flows/divorce.yaml")
    assert info is not None
    stored = server.data_dir / "tuf" / "targets" / "flows" / f"{info.hashes['sha256']}.divorce.yaml"
    original = stored.read_bytes()
    stored.write_bytes(original.replace(b"divorce", b"DIVORCE", 1))
    try:
        with pytest.raises(RepositoryError):
            updater.download_target(info)
    finally:
        stored.write_bytes(original)


def test_invalid_content_is_not_published(sqlite_server: CentralServer) -> None:
    server = sqlite_server
    server.django("from central.publishing.models import Flow; f = Flow.objects.get(flow_id='consumer'); "
                  "f.text = f.text.replace('goto:', 'goto: nowhere-', 1); f.save()")
    try:
        approve_all(server)  # approved, yet the validator still refuses it
        failed = subprocess.run([CENTRAL, "publish", "--json"], env=server.env, capture_output=True,
                                text=True, timeout=120)
        assert failed.returncode != 0
        assert "consumer.yaml" in failed.stderr and "not published" in failed.stderr
        assert "nowhere-" in failed.stderr, "refused by the validator, not only by the review"
    finally:
        server.django("from central.publishing.models import Flow; f = Flow.objects.get(flow_id='consumer'); "
                      "f.text = f.text.replace('goto: nowhere-', 'goto:', 1); f.save()")
        approve_all(server)
