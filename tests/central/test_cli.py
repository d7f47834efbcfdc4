"""The `central` command as scripts use it: demo is idempotent, import-content validates."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import requests

from central.testing.servers import CENTRAL, REPO, CentralServer


def test_demo_twice_prints_the_same_working_credentials(sqlite_server: CentralServer) -> None:
    again = json.loads(sqlite_server.command("demo", "--json"))
    assert again == sqlite_server.demo
    assert set(again) == {"admin_user", "admin_password", "kiosk_id", "kiosk_token", "editor_user",
                          "editor_password", "reviewer_user", "reviewer_password"}
    answer = requests.get(f"{sqlite_server.url}/api/v1/services", timeout=10,
                          headers={"Authorization": f"Bearer {again['kiosk_token']}"})
    assert answer.status_code == 200


def test_revoked_demo_token_is_reissued(sqlite_server: CentralServer) -> None:
    sqlite_server.django("from central.fleet.models import Kiosk; k = Kiosk.objects.get(code='demo-kiosk-1'); "
                         "k.revoke(); k.save()")
    fresh = json.loads(sqlite_server.command("demo", "--json"))
    assert fresh["kiosk_token"] != sqlite_server.demo["kiosk_token"]
    answer = requests.get(f"{sqlite_server.url}/api/v1/services", timeout=10,
                          headers={"Authorization": f"Bearer {fresh['kiosk_token']}"})
    assert answer.status_code == 200
    sqlite_server.demo["kiosk_token"] = fresh["kiosk_token"]  # for the tests that follow


def test_import_content_validates_first(sqlite_server: CentralServer, tmp_path: Path) -> None:
    assert "imported 15 flow(s)" in sqlite_server.command("import-content", str(REPO / "content"))
    examples = sqlite_server.django("from central.publishing.models import PackFile; print(PackFile.objects"
                                    ".filter(path__startswith='search/examples/').count())")
    shipped = len(list((REPO / "content" / "search" / "examples").glob("*.yaml")))
    assert shipped and examples.strip().splitlines()[-1] == str(shipped), "search examples travel with the pack"
    broken = tmp_path / "content"
    shutil.copytree(REPO / "content", broken)
    flow = broken / "flows" / "divorce.yaml"
    flow.write_text(flow.read_text(encoding="utf-8").replace("goto: ", "goto: zz_", 1), encoding="utf-8")
    done = subprocess.run([CENTRAL, "import-content", str(broken)], env=sqlite_server.env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    assert "divorce.yaml" in done.stderr and "not imported" in done.stderr
    text = sqlite_server.django("from central.publishing.models import Flow; "
                                "print('zz_' in Flow.objects.get(flow_id='divorce').text)")
    assert text.strip().splitlines()[-1] == "False", "nothing of the broken pack was stored"
