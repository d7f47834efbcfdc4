"""Where the QR codes on slips and screens point: the central service's public pages.

The central service tells the kiosk its public base URL (GET /api/v1/config); the
connector caches the answer in `<state>/central/config.json` and this module reads it
each time a QR is built (a small file, read in microseconds), so a kiosk joined to a
central service never prints a placeholder domain. Before the first answer: `[printer]
public_url` when set, else `[central] url` (the central service's default public URL
is the host it is reached on), else the placeholder of a kiosk joined to nothing.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from kiosk.config import KioskConfig

CONFIG_FILE = Path("central") / "config.json"
#: Only for a kiosk joined to no central service (its QR codes lead nowhere real).
UNJOINED_BASE_URL = "https://ggfw.example.gov.cn"


def read_cached_config(state_dir: Path) -> dict[str, Any] | None:
    """The last GET /api/v1/config answer the connector stored, or None."""
    try:
        data = json.loads((state_dir / CONFIG_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def public_base_url(cfg: KioskConfig) -> str:
    cached = read_cached_config(cfg.state_dir) or {}
    url = str(cached.get("public_base_url") or "").strip()
    if url.startswith(("http://", "https://")):
        return url.rstrip("/")
    if cfg.printer.public_url:
        return cfg.printer.public_url.rstrip("/")
    import os

    central = cfg.extra.get("central", {}) if isinstance(cfg.extra.get("central"), dict) else {}
    joined = str(os.environ.get("KIOSK_CENTRAL_URL") or central.get("url") or "").strip()
    return (joined or UNJOINED_BASE_URL).rstrip("/")


def outcome_url(base: str, flow: str, node: str, locale: str) -> str:
    return f"{base.rstrip('/')}/o/{flow}/{node}?l={locale}"


def receipt_url(base: str, code: str) -> str:
    return f"{base.rstrip('/')}/a/{code}"


def blank_form_url(base: str, kind: str) -> str:
    """The kind's blank A4 form on the central service, for a kiosk without an A4 printer."""
    return f"{base.rstrip('/')}/f/{kind}"
