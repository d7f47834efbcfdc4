"""The kiosk process SIGKILLed at random points of an outbox drain, 50 times: afterwards the
server holds every item exactly once (the loopback server records Idempotency-Keys and the
effects it actually made)."""

from __future__ import annotations

import collections
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from kiosk.connector.outbox import Outbox
from tests.connector.fake_central import TOKEN, FakeCentral

KILLS = 50


def _env(central: FakeCentral, state: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
    env.update(KIOSK_CENTRAL_URL=central.url, KIOSK_TOKEN=TOKEN, KIOSK_STATE_DIR=str(state))
    return env


def test_sigkill_mid_drain_50_times_then_each_item_exactly_once(central: FakeCentral, tmp_path: Path) -> None:
    seed = int(os.environ.get("KILL_SEED", time.time_ns() % 100000))
    print(f"KILL_SEED={seed}")
    rng = random.Random(seed)
    central.state.delay_s = 0.004  # a little server time per item, like a real database write
    state = tmp_path / "state"
    box = Outbox(state / "outbox.sqlite3")
    queued: list[str] = []
    numbers: list[str] = []
    env = _env(central, state)
    kills = attempts = 0
    while kills < KILLS:
        attempts += 1
        assert attempts < KILLS * 3, "the drain keeps finishing before the kill: no window tested"
        for _ in range(4):
            number, key = box.issue_local_ticket("K3", "2026-11-25", lambda n: {
                "service": "legal-aid", "priority": "none", "local_number": n,
                "issued_at": "2026-11-25T09:30:00+08:00"})
            numbers.append(number)
            queued.append(key)
            queued.append(box.enqueue("event", "/api/v1/events",
                                      {"kind": "usage", "at": "2026-11-25T09:30:00+08:00",
                                       "detail": {"n": len(queued)}}))
        seen = len(central.state.requests)
        proc = subprocess.Popen([sys.executable, "-m", "kiosk", "outbox", "drain", "--json"], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 20
        while len(central.state.requests) == seen and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.002)
        time.sleep(rng.uniform(0, 0.03))  # somewhere in the middle of the drain
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.wait(10)
    # the line stays up: a last, uninterrupted drain
    final = subprocess.run([sys.executable, "-m", "kiosk", "outbox", "drain", "--json"], env=env,
                           capture_output=True, text=True, timeout=120)
    assert final.returncode == 0, final.stderr
    assert box.counts()["pending"] == 0 and box.counts()["failed"] == 0, (box.counts(), box.parked())
    made = collections.Counter(e["key"] for e in central.state.effects)
    assert set(made) == set(queued)
    assert max(made.values()) == 1, [k for k, n in made.items() if n > 1]
    tickets = collections.Counter(e["number"] for e in central.effects("ticket"))
    assert sorted(tickets) == sorted(numbers) and set(tickets.values()) == {1}
    posted = collections.Counter(r[2] for r in central.state.requests if r[0] == "POST")
    resent = sum(1 for n in posted.values() if n > 1)
    print(f"{len(queued)} items, {kills} kills, {central.state.replays} replays answered from the key, "
          f"{resent} items sent more than once")
    # The window between the server's 2xx and the local commit was hit and survived.
    assert central.state.replays >= 1
    box.close()
