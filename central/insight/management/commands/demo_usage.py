"""`central demo-usage --days N`: synthetic usage in the demo county for looking at the dashboard."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from central.insight import synth


class Command(BaseCommand):
    help = "Fill the demo county with synthetic usage of the last N days (run `central demo` first)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=30)
        parser.add_argument("--seed", type=int, default=7)

    def handle(self, *args: Any, **options: Any) -> None:
        if not 1 <= options["days"] <= 89:
            raise CommandError("--days must be 1 to 89 (events older than 90 days are refused)")
        self.stdout.write(json.dumps(synth.fill(options["days"], options["seed"])))
