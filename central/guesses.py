"""Slow down guessing of booking codes and ticket ids: the phone pages /b/ and /q/ (per client
address) and cancel or check-in by code (per kiosk).

Only misses count (a code that does not exist): a resident opening their own page or a kiosk
cancelling a real booking is never slowed. After GUESS_LIMIT misses in a GUESS_WINDOW_S
window, every lookup from that address or kiosk is refused (429) until the window ends.
Counts live in the database, so every worker and node shares them.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from contextlib import contextmanager

from django.db.models import F

from central.conf import conf
from central.errors import ApiError
from central.org.models import GuessCount

MISSES = {"unknown_code", "unknown_ticket"}


class TooManyGuesses(ApiError):
    def __init__(self, wait: int) -> None:
        super().__init__(429, "too_many_guesses", f"too many unknown codes: try again in {wait} s")
        self.retry_after = wait


def _window() -> tuple[int, int]:
    span = int(conf("GUESS_WINDOW_S"))
    now = int(time.time())
    return now // span, span - now % span


def blocked(scope: str, key: str) -> int:
    """Seconds until the window ends when this key has guessed too often, else 0."""
    window, left = _window()
    found = GuessCount.objects.filter(scope=scope, key=key[:64], window=window,
                                      count__gte=conf("GUESS_LIMIT")).exists()
    return left if found else 0


def miss(scope: str, key: str) -> None:
    window, _left = _window()
    GuessCount.objects.bulk_create([GuessCount(scope=scope, key=key[:64], window=window)],
                                   ignore_conflicts=True)
    GuessCount.objects.filter(scope=scope, key=key[:64], window=window).update(count=F("count") + 1)
    if random.random() < 0.05:  # forget finished windows now and then
        GuessCount.objects.filter(window__lt=window - 1).delete()


@contextmanager
def guard(scope: str, key: str) -> Iterator[None]:
    """Refuse with 429 while `key` is blocked; count an ApiError that says "no such code"."""
    wait = blocked(scope, key)
    if wait:
        raise TooManyGuesses(wait)
    try:
        yield
    except ApiError as exc:
        if exc.code in MISSES:
            miss(scope, key)
        raise
