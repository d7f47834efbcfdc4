"""The insight chores of `central housekeeping` (every minute): partitions ahead, rollups of
kiosk-days that received events (bounded per run), call-back numbers past their time."""

from __future__ import annotations

import logging

from central.insight import followup, partitions, rollup

log = logging.getLogger(__name__)
DAYS_PER_RUN = 500


def run_once() -> dict[str, object]:
    done: dict[str, object] = {}
    try:
        done["partitions_made"] = len(partitions.ensure_around_now())
    except Exception as exc:  # e.g. a lock held by a long query: try again next minute
        log.error("could not make event partitions: %s", exc)
    done["usage_days_refreshed"] = rollup.refresh(DAYS_PER_RUN)["days"]
    done["callback_phones_removed"] = followup.purge_due()
    return done
