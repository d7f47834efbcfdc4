"""ID card readers that are not a serial SAM module: none at all, and the demo's pty fake."""

from __future__ import annotations

from kiosk.devices.idcard import SerialIdCardReader
from kiosk.devices.pty_idcard import Behaviour, PtyIdCardReader
from kiosk.ports import IdCard, NoCardReader


class NullIdCardReader:
    """No card reader: every read says so at once, and the UI offers handwriting and the keypad."""

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


class DemoIdCardReader(SerialIdCardReader):
    """`[idcard] port = "fake"`: the real serial code against the pty fake with its made-up
    card always on the reader, paced like a 115200-baud line. For demos, never for residents."""

    def __init__(self, *, baud: int = 115200, reply_timeout_s: float = 2.0, poll_s: float = 0.2) -> None:
        self.fake = PtyIdCardReader(Behaviour(baud=baud))
        self.fake.start()
        super().__init__(self.fake.port, baud=baud, reply_timeout_s=reply_timeout_s, poll_s=poll_s)

    def close(self) -> None:
        super().close()
        self.fake.close()
