"""`kiosk apply` as a process: queued while the central service is unreachable and
delivered by a later drain, SIGKILLed in the middle of its submission and still on the
server exactly once afterwards, and nothing personal in the outbox database or the logs."""

from __future__ import annotations

import collections
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kiosk.connector.outbox import Outbox
from tests.connector.conftest import closed_port_url
from tests.connector.fake_central import TOKEN, FakeCentral

PERSON = {"name": "王小明", "id_number": "11010519491231002X", "phone": "13812345678",
          "address": "示范县城关镇幸福路1号"}
SECRETS = [v.encode() for v in PERSON.values()] + [b"1101051949", b"12345678"]
KILLS = 6


def _env(url: str, state: Path, key: str = "") -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
    env.update(KIOSK_CENTRAL_URL=url, KIOSK_TOKEN=TOKEN, KIOSK_STATE_DIR=str(state))
    if key:
        env["KIOSK_CENTRAL_SEAL_PUBLIC_KEY"] = key
    return env


def _kiosk(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kiosk", "-v", *args], env=env, capture_output=True,
                          text=True, timeout=120)


def _person(tmp_path: Path, **changes: str) -> str:
    path = tmp_path / f"person-{len(changes)}.json"
    path.write_text(json.dumps({**PERSON, **changes}, ensure_ascii=False), encoding="utf-8")
    return str(path)


def _assert_nothing_personal(state: Path, *logs: str) -> None:
    for path in state.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert not [s for s in SECRETS if s in data], path.name
    for log in logs:
        assert not [s for s in SECRETS if s.decode() in log]


def test_apply_queues_offline_then_a_drain_delivers_it_once(central: FakeCentral, tmp_path: Path) -> None:
    state = tmp_path / "state"
    offline = _env(closed_port_url(), state, key=central.state.seal_public)
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"matter": "labour", "facts": "欠薪三个月"}, ensure_ascii=False),
                       encoding="utf-8")
    done = _kiosk(offline, "apply", "--kind", "legal-aid", "--person", _person(tmp_path),
                  "--answers", str(answers), "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["queued"] is True and result["pdf"] is None and len(result["code"]) == 8
    _assert_nothing_personal(state, done.stdout, done.stderr)
    online = _env(central.url, state)
    first = _kiosk(online, "outbox", "drain", "--json")
    again = _kiosk(online, "outbox", "drain", "--json")
    assert json.loads(first.stdout)["delivered"] == 1 and json.loads(again.stdout)["delivered"] == 0
    stored = central.state.applications[result["code"]]
    assert stored["person"]["id_number"] == PERSON["id_number"]
    assert stored["body"]["case"] == {"facts": "欠薪三个月"} and stored["body"]["answers"] == {"matter": "labour"}
    assert [e["code"] for e in central.effects("application")] == [result["code"]]
    _assert_nothing_personal(state, first.stderr, again.stderr)


def test_apply_delivers_at_once_when_central_answers(central: FakeCentral, tmp_path: Path) -> None:
    done = _kiosk(_env(central.url, tmp_path / "state"), "apply", "--kind", "callback",
                  "--person", _person(tmp_path), "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["queued"] is False
    # the callback asks for the phone (and a name): the ID number and address are never taken
    assert central.state.applications[result["code"]]["person"] == {"phone": PERSON["phone"],
                                                                   "name": PERSON["name"]}
    _assert_nothing_personal(tmp_path / "state", done.stdout, done.stderr)


def test_an_invalid_id_number_exits_naming_the_field(central: FakeCentral, tmp_path: Path) -> None:
    env = _env(central.url, tmp_path / "state")
    done = _kiosk(env, "apply", "--kind", "legal-aid", "--person",
                  _person(tmp_path, id_number="110105194912310021"), "--json")
    assert done.returncode == 1
    assert json.loads(done.stdout) == {"error": "invalid", "field": "id_number", "reason": "check_digit"}
    assert "id_number" in done.stderr and "110105194912310021" not in done.stderr
    assert central.effects("application") == []


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext not found: apt-get install poppler-utils")
def test_apply_with_pdf_writes_the_filled_form_with_its_code(central: FakeCentral, tmp_path: Path) -> None:
    env = _env(central.url, tmp_path / "state")
    out = tmp_path / "form.pdf"
    done = _kiosk(env, "apply", "--kind", "legal-aid", "--person", _person(tmp_path), "--pdf", str(out), "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["pdf"] == str(out.resolve()) and not result["queued"]
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    code = result["code"]
    assert "法律援助申请" in text and PERSON["name"] in text and f"{code[:4]}-{code[4:]}" in text
    assert len(central.effects("application")) == 1
    _assert_nothing_personal(tmp_path / "state", done.stdout, done.stderr)


def test_sigkill_mid_submission_then_each_application_exactly_once(central: FakeCentral,
                                                                    tmp_path: Path) -> None:
    seed = int(os.environ.get("KILL_SEED", time.time_ns() % 100000))
    print(f"KILL_SEED={seed}")
    rng = random.Random(seed)
    state = tmp_path / "state"
    env = _env(central.url, state)
    person = _person(tmp_path)
    central.state.delay_s = 0.3  # the server takes its time: the kill lands during the POST
    kills = 0
    for _ in range(KILLS):
        seen = len([r for r in central.state.requests if r[1] == "/api/v1/applications"])
        proc = subprocess.Popen([sys.executable, "-m", "kiosk", "apply", "--kind", "legal-aid",
                                 "--person", person, "--json"], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while proc.poll() is None and time.monotonic() < deadline and seen == len(
                [r for r in central.state.requests if r[1] == "/api/v1/applications"]):
            time.sleep(0.002)
        time.sleep(rng.uniform(0, 0.25))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.wait(10)
    assert kills >= KILLS - 1, "the submissions kept finishing before the kill: no window tested"
    central.state.delay_s = 0.0
    time.sleep(0.5)  # let the server finish the requests whose client it lost
    final = _kiosk(env, "outbox", "drain", "--json")
    assert final.returncode == 0, final.stderr
    box = Outbox(state / "outbox.sqlite3")
    try:
        assert box.counts() == {"pending": 0, "failed": 0, "delivered": KILLS}
        assert box.personal_rows() == 0
    finally:
        box.close()
    made = collections.Counter(e["key"] for e in central.effects("application"))
    assert len(made) == KILLS and set(made.values()) == {1}
    assert len(central.state.applications) == KILLS
    print(f"{KILLS} applications, {kills} kills, {central.state.replays} replays answered from the key")
    _assert_nothing_personal(state, final.stderr)
