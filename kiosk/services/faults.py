"""Device faults, kept for the health report (the connector sends them to the centre).

One JSON object a line, appended: device, code, time. Never anything a resident entered.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from pathlib import Path


class FaultLog:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    def record(self, device: str, code: str) -> None:
        entry = {"at": dt.datetime.now().isoformat(timespec="seconds"), "device": device, "code": code}
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as handle:
                handle.write(json.dumps(entry) + "\n")

    def entries(self) -> list[dict[str, str]]:
        if not self.path.exists():
            return []
        lines = self.path.read_text(encoding="utf-8").splitlines()
        return [json.loads(line) for line in lines if line.strip()]
