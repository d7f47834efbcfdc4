"""What the server does by itself every minute (run by `central serve`, or cron `central housekeeping`)."""

from __future__ import annotations

import logging

from central.api.idempotency import purge_old_keys
from central.booking.logic import expire_no_shows
from central.booking.retention import anonymise_old_bookings
from central.casework.logic import purge_due
from central.insight import housekeeping as insight
from central.publishing import tuf_repo

log = logging.getLogger(__name__)


def run_once() -> dict[str, object]:
    done: dict[str, object] = {}
    try:
        done["timestamp_signed"] = tuf_repo.refresh_timestamp()
    except Exception as exc:  # an online key missing must not stop the other chores
        log.error("could not refresh the TUF timestamp: %s", exc)
        done["timestamp_signed"] = False
    done["no_shows"] = expire_no_shows()
    done["keys_purged"] = purge_old_keys()
    done["applications_purged"] = purge_due()
    done["phones_removed"] = anonymise_old_bookings()
    done.update(insight.run_once())
    return done
