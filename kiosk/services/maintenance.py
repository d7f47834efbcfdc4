"""The maintenance PIN: stored as a salted PBKDF2 hash in config; five wrong tries lock it.

hashlib's PBKDF2 is the standard library's well-kept KDF; a PIN of 4-8 digits is weak on
its own, so the lock-out, not the hash, is what stops guessing at the screen. The lock is
kept in the state folder, so pulling the plug does not open it; and the demo PIN (2468,
in the shipped config) opens nothing on a kiosk joined to a central service elsewhere.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import ipaddress
import json
import logging
import os
import secrets
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

log = logging.getLogger(__name__)
DEMO_PIN = "2468"

ITERATIONS = 200_000


def hash_pin(pin: str, salt: str | None = None, iterations: int = ITERATIONS) -> str:
    """`pbkdf2_sha256$ITER$SALT$HEX`, the form `[maintenance] pin_hash` takes."""
    salt = salt or secrets.token_hex(8)
    digest = hashlib.pbkdf2_hmac("sha256", pin.encode(), salt.encode(), iterations).hex()
    return f"pbkdf2_sha256${iterations}${salt}${digest}"


def pin_matches(pin: str, stored: str) -> bool:
    try:
        scheme, iterations, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "pbkdf2_sha256" or not iterations.isdigit():
        return False
    mine = hashlib.pbkdf2_hmac("sha256", pin.encode(), salt.encode(), int(iterations)).hex()
    return hmac.compare_digest(mine, digest)


def _remote(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if not url or host == "localhost":
        return False
    try:
        return not ipaddress.ip_address(host).is_loopback
    except ValueError:
        return True


def usable_pin_hash(stored: str, central_url: str) -> str:
    """The configured hash, or "" (no way in) when it is still the demo PIN on a kiosk joined
    to a central service on another machine: a real kiosk in the field."""
    if stored and _remote(central_url) and pin_matches(DEMO_PIN, stored):
        log.warning("[maintenance] pin_hash is still the demo PIN: maintenance stays closed; "
                    "set your own with `kiosk pin-hash`")
        return ""
    return stored


class PinLock:
    """Counts wrong PINs; after `tries` in a row the PIN is refused for `lock_s` seconds.

    With `state_file`, the count and the lock's end (wall-clock time) survive a restart."""

    def __init__(self, stored_hash: str, now: Callable[[], float], tries: int = 5,
                 lock_s: float = 300.0, state_file: Path | None = None,
                 wall: Callable[[], float] = time.time) -> None:
        self.stored_hash = stored_hash
        self.now = now
        self.tries = tries
        self.lock_s = lock_s
        self.wrong = 0
        self.locked_until = 0.0
        self.state_file = state_file
        self.wall = wall
        self._load()

    def locked_for(self) -> int:
        """Seconds the lock still holds (0 when open)."""
        return max(0, int(self.locked_until - self.now() + 0.999))

    def check(self, pin: str) -> bool:
        if self.locked_for() or not self.stored_hash:
            return False
        if pin_matches(pin, self.stored_hash):
            self.wrong = 0
            self._save()
            return True
        self.wrong += 1
        if self.wrong >= self.tries:
            self.wrong = 0
            self.locked_until = self.now() + self.lock_s
        self._save()
        return False

    def _load(self) -> None:
        if self.state_file is None:
            return
        try:
            saved = json.loads(self.state_file.read_text(encoding="utf-8"))
            wrong, until = int(saved["wrong"]), float(saved["locked_until_wall"])
        except (OSError, ValueError, KeyError, TypeError):
            return  # none yet, or unreadable: a fresh count (the lock is a brake, not a vault)
        self.wrong = max(0, min(wrong, self.tries - 1))
        left = min(until - self.wall(), self.lock_s)  # a clock set back cannot lengthen it
        if left > 0:
            self.locked_until = self.now() + left

    def _save(self) -> None:
        if self.state_file is None:
            return
        left = max(0.0, self.locked_until - self.now())
        body = json.dumps({"wrong": self.wrong, "locked_until_wall": self.wall() + left if left else 0})
        tmp = self.state_file.with_name(self.state_file.name + ".tmp")
        try:
            self.state_file.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_text(body, encoding="utf-8")
            os.replace(tmp, self.state_file)
        except OSError as exc:
            log.warning("could not keep the maintenance PIN lock: %s", exc.strerror or exc)
            with contextlib.suppress(OSError):
                tmp.unlink()
