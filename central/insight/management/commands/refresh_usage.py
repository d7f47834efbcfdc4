"""`central refresh-usage`: rebuild the daily rollups of kiosk-days that received events
(housekeeping does the same every minute, a bounded number of days per run)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from central.insight import partitions, rollup


class Command(BaseCommand):
    help = "Rebuild the daily usage rollups of the kiosk-days that received events."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--limit", type=int, default=None, help="at most this many kiosk-days")

    def handle(self, *args: Any, **options: Any) -> None:
        partitions.ensure_around_now()
        self.stdout.write(json.dumps(rollup.refresh(options["limit"])))
