"""[idcard] in config/kiosk.toml, and the one function that picks the card reader for it.

port = ""         no reader: the null reader says so, residents write or type instead
port = "fake"     the pty fake with a made-up card (demo only)
port = "/dev/..." a GA 467 SAM module on that serial port
Values may come from the environment as strings (KIOSK_IDCARD_PORT=/dev/ttyUSB1).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kiosk.config import ConfigError, KioskConfig
from kiosk.ports import IdCardReader

BAUDS = (115200, 57600, 38400, 19200, 9600)


@dataclass(frozen=True)
class IdCardConfig:
    port: str = ""
    #: The SAM module's UART speed (115200 unless it was set otherwise with command 60 xx).
    baud: int = 115200
    #: How long the SAM may take to start an answer before it counts as silent.
    reply_timeout_s: float = 2.0
    #: Pause between two "find card" polls while the resident gets the card out.
    poll_s: float = 0.2

    @classmethod
    def from_config(cls, cfg: KioskConfig) -> IdCardConfig:
        raw: dict[str, Any] = dict(cfg.extra.get("idcard", {}))
        base = cls()
        try:
            made = cls(
                port=str(raw.get("port", base.port)).strip(),
                baud=int(raw.get("baud", base.baud)),
                reply_timeout_s=float(raw.get("reply_timeout_s", base.reply_timeout_s)),
                poll_s=float(raw.get("poll_s", base.poll_s)),
            )
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"[idcard]: a number is not a number ({exc})") from exc
        if made.baud not in BAUDS:
            raise ConfigError(f"[idcard] baud must be one of {', '.join(map(str, BAUDS))}, not {made.baud}")
        if made.reply_timeout_s <= 0 or made.poll_s <= 0:
            raise ConfigError("[idcard] reply_timeout_s and poll_s must be more than 0")
        return made


def make_idcard_reader(cfg: KioskConfig) -> IdCardReader:
    settings = IdCardConfig.from_config(cfg)
    if not settings.port:
        from kiosk.devices.null_idcard import NullIdCardReader

        return NullIdCardReader()
    if settings.port == "fake":
        from kiosk.devices.pty_idcard import DemoIdCardReader

        return DemoIdCardReader(baud=settings.baud, reply_timeout_s=settings.reply_timeout_s,
                                poll_s=settings.poll_s)
    from kiosk.devices.idcard import SerialIdCardReader

    return SerialIdCardReader(settings.port, baud=settings.baud,
                              reply_timeout_s=settings.reply_timeout_s, poll_s=settings.poll_s)
