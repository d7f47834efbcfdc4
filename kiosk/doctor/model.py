"""What a check is given (`Site`) and what it gives back (`Result`)."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from kiosk.config import KioskConfig

Status = Literal["pass", "warn", "fail"]
#: A fix sentence in English, or (English, 简体中文): the officer reads it in the kiosk's language.
Fix = str | tuple[str, str]


@dataclass(frozen=True)
class Result:
    check: str
    status: Status
    detail: str
    #: What to do about it; empty when it passed.
    fix: str = ""
    fix_zh: str = ""

    def fix_in(self, lang: str) -> str:
        return self.fix_zh if lang.startswith("zh") and self.fix_zh else self.fix

    def as_json(self) -> dict[str, str]:
        return {
            "check": self.check,
            "status": self.status,
            "detail": self.detail,
            "fix": self.fix,
            "fix_zh": self.fix_zh,
        }


def ok(check: str, detail: str) -> Result:
    return Result(check, "pass", detail)


def _fix(fix: Fix) -> tuple[str, str]:
    return (fix, "") if isinstance(fix, str) else fix


def warn(check: str, detail: str, fix: Fix) -> Result:
    return Result(check, "warn", detail, *_fix(fix))


def fail(check: str, detail: str, fix: Fix) -> Result:
    return Result(check, "fail", detail, *_fix(fix))


@dataclass
class Site:
    """The kiosk being checked. The system paths are parameters so tests can point them at
    folders of their own (a sound card that is not there, an X socket that is)."""

    cfg: KioskConfig
    env: dict[str, str] = field(default_factory=lambda: dict(os.environ))
    now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC)
    x11_dir: Path = Path("/tmp/.X11-unix")
    asound: Path = Path("/proc/asound")
    dev_snd: Path = Path("/dev/snd")
    #: Filled by the central checks (one request, read by several checks).
    cache: dict[str, Any] = field(default_factory=dict)
