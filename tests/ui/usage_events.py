"""Reading the usage events a UI test caused, from the kiosk's own outbox."""

from __future__ import annotations

import json
from typing import Any

from tests.ui.conftest import Driver


def last_outbox_id(ui: Driver) -> int:
    row = ui.app.services.usage.outbox._db.execute("SELECT MAX(id) FROM outbox").fetchone()
    return int(row[0] or 0)


def usage_events(ui: Driver, after: int) -> list[tuple[str, dict[str, Any]]]:
    """(kind, detail) of the usage events queued since outbox id `after`; what the recorder
    still holds is queued first (mid-visit), so that nothing is missed."""
    usage = ui.app.services.usage
    usage.flush()
    rows = usage.outbox._db.execute("SELECT body FROM outbox WHERE kind = 'usage' AND id > ? ORDER BY id",
                                    (after,)).fetchall()
    return [(e["kind"], e["detail"]) for (body,) in rows for e in json.loads(body)["events"]]
