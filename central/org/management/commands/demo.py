from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from central.demo import ensure_demo


class Command(BaseCommand):
    help = "Create the demo county, content, plans, counters, a kiosk and an admin (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        result = ensure_demo()
        if options["json"]:
            self.stdout.write(json.dumps(result))
        else:
            for key, value in result.items():
                self.stdout.write(f"{key}: {value}")
