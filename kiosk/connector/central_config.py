"""GET /api/v1/config: the central service's public base URL and sealing key, cached.

The answer is written atomically to `<state>/central/config.json` (read back by
kiosk.services.public_urls for QR codes, and by the applications service for sealing),
so a kiosk that lost its line still prints working QR codes and still seals new
applications to the right key. Refreshed with each heartbeat and on demand.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.connector.client import CentralClient, CentralUnavailable
from kiosk.services.public_urls import CONFIG_FILE, read_cached_config

log = logging.getLogger(__name__)

PATH = "/api/v1/config"


@dataclass(frozen=True)
class CentralConfig:
    public_base_url: str
    seal_public_key: str
    seal_key_id: str
    #: Wall-clock seconds of the answer (0 for a key provisioned in kiosk.toml).
    fetched_at: float = 0.0

    @classmethod
    def from_answer(cls, data: Any, fetched_at: float) -> CentralConfig:
        if not isinstance(data, dict):
            raise CentralUnavailable("config answer is not an object")
        url = str(data.get("public_base_url") or "").rstrip("/")
        key = str(data.get("seal_public_key") or "")
        if not url.startswith(("http://", "https://")) or not key:
            raise CentralUnavailable("config answer lacks public_base_url or seal_public_key")
        return cls(url, key, str(data.get("seal_key_id") or ""), fetched_at)


def cached_config(state_dir: Path) -> CentralConfig | None:
    data = read_cached_config(state_dir)
    if data is None:
        return None
    try:
        return CentralConfig.from_answer(data, float(data.get("fetched_at") or 0.0))
    except (CentralUnavailable, ValueError):
        log.warning("cached central config is unusable; it will be fetched again")
        return None


def refresh_config(client: CentralClient, state_dir: Path) -> CentralConfig:
    """Ask the central service and cache the answer; CentralUnavailable/Refused if it cannot."""
    from kiosk.content.compiled import write_atomically

    found = CentralConfig.from_answer(client.get(PATH), time.time())
    record = {"public_base_url": found.public_base_url, "seal_public_key": found.seal_public_key,
              "seal_key_id": found.seal_key_id, "fetched_at": found.fetched_at}
    write_atomically(state_dir / CONFIG_FILE, json.dumps(record).encode())
    return found
