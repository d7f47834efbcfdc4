"""Issue 14: the maintenance PIN lock survived no restart (pulling the plug reopened five
tries), and the demo PIN shipped in config/kiosk.toml opened kiosks in the field."""

from __future__ import annotations

import tomllib
from pathlib import Path

from kiosk.services.maintenance import DEMO_PIN, PinLock, hash_pin, usable_pin_hash

REPO = Path(__file__).resolve().parents[2]


class Clocks:
    """A monotonic clock that starts again at 0 after a 'restart', and the wall clock."""

    def __init__(self) -> None:
        self.mono = 0.0
        self.wall = 1_800_000_000.0

    def restart(self) -> None:
        self.mono = 0.0


def _lock(stored: str, clocks: Clocks, state: Path) -> PinLock:
    return PinLock(stored, lambda: clocks.mono, tries=5, lock_s=300, state_file=state,
                   wall=lambda: clocks.wall)


def test_the_lock_survives_a_restart(tmp_path: Path) -> None:
    stored, clocks, state = hash_pin("1357", iterations=1000), Clocks(), tmp_path / "pin_lock.json"
    lock = _lock(stored, clocks, state)
    for _ in range(5):
        assert not lock.check("0000")
    assert lock.locked_for() == 300
    clocks.mono += 100
    clocks.wall += 100
    clocks.restart()  # the plug pulled: a new process, monotonic time from zero
    again = _lock(stored, clocks, state)
    assert again.locked_for() == 200
    assert not again.check("1357"), "still locked after the restart"
    clocks.mono += 201
    clocks.wall += 201
    assert again.check("1357")


def test_wrong_tries_count_on_across_a_restart(tmp_path: Path) -> None:
    stored, clocks, state = hash_pin("1357", iterations=1000), Clocks(), tmp_path / "pin_lock.json"
    lock = _lock(stored, clocks, state)
    for _ in range(4):
        assert not lock.check("0000")
    clocks.restart()
    again = _lock(stored, clocks, state)
    assert not again.check("0000")
    assert again.locked_for() == 300, "the fifth wrong try locks, restart or not"


def test_a_clock_set_forward_cannot_lengthen_the_lock_past_its_time(tmp_path: Path) -> None:
    stored, clocks, state = hash_pin("1357", iterations=1000), Clocks(), tmp_path / "pin_lock.json"
    state.write_text('{"wrong": 0, "locked_until_wall": 9999999999}', encoding="utf-8")
    assert _lock(stored, clocks, state).locked_for() == 300
    state.write_text("not json", encoding="utf-8")
    assert _lock(stored, clocks, state).locked_for() == 0


def test_the_shipped_demo_pin_opens_nothing_on_a_kiosk_joined_to_a_remote_service() -> None:
    shipped = tomllib.loads((REPO / "config" / "kiosk.toml").read_text(encoding="utf-8"))
    demo_hash = shipped["maintenance"]["pin_hash"]
    assert usable_pin_hash(demo_hash, "https://central.example.gov.cn") == ""
    assert usable_pin_hash(hash_pin(DEMO_PIN), "https://10.0.0.5") == "", "whatever the salt"
    # The demo on one machine keeps it; a PIN of one's own works everywhere.
    for url in ("", "http://127.0.0.1:8700", "http://localhost:8700"):
        assert usable_pin_hash(demo_hash, url) == demo_hash
    own = hash_pin("97531", iterations=1000)
    assert usable_pin_hash(own, "https://central.example.gov.cn") == own
