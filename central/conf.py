"""The bureau's own settings (settings.CENTRAL), typed for callers."""

from __future__ import annotations

from typing import Any

from django.conf import settings


def conf(name: str) -> Any:
    return settings.CENTRAL[name]
