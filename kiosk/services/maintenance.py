"""The maintenance PIN: stored as a salted PBKDF2 hash in config; five wrong tries lock it.

hashlib's PBKDF2 is the standard library's well-kept KDF; a PIN of 4-8 digits is weak on
its own, so the lock-out, not the hash, is what stops guessing at the screen.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable

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


class PinLock:
    """Counts wrong PINs; after `tries` in a row the PIN is refused for `lock_s` seconds."""

    def __init__(self, stored_hash: str, now: Callable[[], float], tries: int = 5,
                 lock_s: float = 300.0) -> None:
        self.stored_hash = stored_hash
        self.now = now
        self.tries = tries
        self.lock_s = lock_s
        self.wrong = 0
        self.locked_until = 0.0

    def locked_for(self) -> int:
        """Seconds the lock still holds (0 when open)."""
        return max(0, int(self.locked_until - self.now() + 0.999))

    def check(self, pin: str) -> bool:
        if self.locked_for() or not self.stored_hash:
            return False
        if pin_matches(pin, self.stored_hash):
            self.wrong = 0
            return True
        self.wrong += 1
        if self.wrong >= self.tries:
            self.wrong = 0
            self.locked_until = self.now() + self.lock_s
        return False
