"""`kiosk sync`, `kiosk ticket` and `kiosk outbox` as a shell (or a check) runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.connector.conftest import closed_port_url
from tests.connector.fake_central import TOKEN, FakeCentral
from tests.connector.tuf_repo import TufRepo, content_files


def kiosk(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kiosk", *args], env=env, capture_output=True, text=True,
                          timeout=120)


def _env(url: str, state: Path, root: Path | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
    env.update(KIOSK_CENTRAL_URL=url, KIOSK_TOKEN=TOKEN, KIOSK_STATE_DIR=str(state))
    if root is not None:
        env["KIOSK_TUF_ROOT"] = str(root)
    return env


def test_sync_once_json_then_a_tampered_update_exits_non_zero(central: FakeCentral, tmp_path: Path) -> None:
    repo = TufRepo(tmp_path / "repo")
    central.state.tuf_dir = repo.dir
    files = content_files()
    repo.publish(files)
    env = _env(central.url, tmp_path / "state", repo.root_path)
    done = kiosk("sync", "--once", "--json", env=env)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["version"] == 1 and len(out["downloaded"]) == len(files) and out["bytes"] > 100_000

    repo.publish(files | {"flows/divorce.yaml": files["flows/divorce.yaml"] + b"\n# new\n"})
    repo.target_file("flows/divorce.yaml").write_bytes(b"tampered")
    failed = kiosk("sync", "--once", "--json", env=env)
    assert failed.returncode == 1
    assert "LengthOrHashMismatch" in failed.stderr or "Length" in failed.stderr
    assert json.loads(failed.stdout)["error"] == "verification"
    # the failure was reported to the central service as an event
    assert [e["event"] for e in central.effects("event")] == ["content_verification_failed"]


def test_ticket_online_then_offline_then_reported_by_drain(central: FakeCentral, tmp_path: Path) -> None:
    state = tmp_path / "state"
    online = kiosk("ticket", "--service", "legal-aid", "--json", env=_env(central.url, state))
    assert json.loads(online.stdout) == {"number": "A001", "provisional": False}

    offline_env = _env(closed_port_url(), state)
    offline = kiosk("ticket", "--service", "legal-aid", "--json", env=offline_env)
    number = json.loads(offline.stdout)
    assert number["provisional"] is True and number["number"].startswith("K1-")
    assert json.loads(kiosk("outbox", "--json", env=offline_env).stdout) == {"pending": 1, "failed": 0}
    down = kiosk("outbox", "drain", "--json", env=offline_env)
    assert json.loads(down.stdout) == {"delivered": 0, "pending": 1}

    up = kiosk("outbox", "drain", "--json", env=_env(central.url, state))
    assert json.loads(up.stdout) == {"delivered": 1, "pending": 0}
    assert [t["number"] for t in central.effects("ticket")] == ["A001", number["number"]]


def test_ticket_without_a_central_url_is_a_configuration_error(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
    env["KIOSK_STATE_DIR"] = str(tmp_path)
    done = kiosk("ticket", "--service", "legal-aid", "--json", env=env)
    assert done.returncode == 2 and "KIOSK_CENTRAL_URL" in done.stderr


def test_ticket_for_a_closed_office_exits_1_saying_when_it_opens(central: FakeCentral, tmp_path: Path) -> None:
    central.state.closed_until = "2026-11-24T09:00:00+08:00"
    done = kiosk("ticket", "--service", "legal-aid", "--json", env=_env(central.url, tmp_path / "state"))
    assert done.returncode == 1 and done.stdout == ""
    assert "office is closed (opens 2026-11-24T09:00:00+08:00)" in done.stderr
    assert central.effects("ticket") == []
