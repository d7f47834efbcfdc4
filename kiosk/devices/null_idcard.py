"""The card reader of a kiosk without one: every read says so at once, and the UI offers
handwriting and the keypad instead."""

from __future__ import annotations

from kiosk.ports import IdCard, NoCardReader


class NullIdCardReader:
    def __init__(self, reason: str = "no card reader ([idcard] port is empty)") -> None:
        self.reason = reason

    def read(self, timeout_s: float = 10.0) -> IdCard:
        raise NoCardReader(self.reason)

    def cancel(self) -> None:
        return None

    def unavailable(self) -> str | None:
        return self.reason

    def close(self) -> None:
        return None
