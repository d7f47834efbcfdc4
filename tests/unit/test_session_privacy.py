"""The resident's session forgets at once; the idle clock warns, then wipes; the PIN locks."""

from __future__ import annotations

import hashlib
import re

import pytest

from kiosk.services.maintenance import PinLock, hash_pin, pin_matches
from kiosk.services.session import IdleClock, ResidentSession


class Clock:
    def __init__(self) -> None:
        self.t = 0.0

    def __call__(self) -> float:
        return self.t


def test_wipe_forgets_everything_a_resident_entered() -> None:
    s = ResidentSession()
    assert s.empty
    s.search_text = "gongshang"
    s.booking.phone = "13812345678"
    s.booking.service = "consultation"
    s.ticket.priority = "elderly"
    s.offered_service = "legal-aid"
    assert not s.empty
    s.wipe()
    assert s.empty and s.booking.phone == "" and s.search_text == ""


def test_idle_clock_warns_then_wipes_and_a_touch_starts_it_again() -> None:
    clock = Clock()
    idle = IdleClock(60, 30, clock)
    clock.t = 59.9
    assert idle.state() == "active"
    clock.t = 60
    assert idle.state() == "warn" and idle.seconds_left() == 30
    idle.touched()
    clock.t = 119
    assert idle.state() == "active"
    clock.t = 150
    assert idle.state() == "wipe" and idle.seconds_left() == 0


def test_the_warning_gives_at_least_twenty_seconds() -> None:
    with pytest.raises(ValueError):
        IdleClock(60, 10, Clock())


def test_pin_hash_round_trip_and_junk_never_matches() -> None:
    """The stored form is exactly scheme, iterations, a fresh random salt and the PBKDF2 digest:
    nothing else, so the PIN itself is not in it. (Looking for "2468" in the random text was
    flaky: a hex salt or digest contains those four digits now and then.)"""
    stored = hash_pin("2468", iterations=1000)
    scheme, iterations, salt, digest = stored.split("$")
    assert (scheme, iterations) == ("pbkdf2_sha256", "1000") and re.fullmatch(r"[0-9a-f]{16}", salt)
    assert digest == hashlib.pbkdf2_hmac("sha256", b"2468", salt.encode(), 1000).hex()
    assert hash_pin("2468", iterations=1000).split("$")[2] != salt, "a new salt each time"
    fixed = hash_pin("2468", salt="0123456789abcdef", iterations=1000)
    assert fixed == "pbkdf2_sha256$1000$0123456789abcdef$" + hashlib.pbkdf2_hmac(
        "sha256", b"2468", b"0123456789abcdef", 1000).hex() and "2468" not in fixed
    assert pin_matches("2468", stored)
    assert not pin_matches("2469", stored)
    for junk in ("", "2468", "md5$1$a$b", "pbkdf2_sha256$x$a$b"):
        assert not pin_matches("2468", junk)


def test_five_wrong_pins_lock_for_the_configured_time() -> None:
    clock = Clock()
    lock = PinLock(hash_pin("2468", iterations=1000), clock, tries=5, lock_s=300)
    for _ in range(4):
        assert not lock.check("0000")
    assert lock.locked_for() == 0
    assert not lock.check("0000")
    assert lock.locked_for() == 300
    assert not lock.check("2468")  # even the right PIN, while locked
    clock.t = 301
    assert lock.locked_for() == 0 and lock.check("2468")


def test_no_pin_configured_means_no_way_in() -> None:
    assert not PinLock("", Clock()).check("")
