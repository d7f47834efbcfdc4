"""`central purge-applications`: delete personal fields of applications closed longer ago than
their kind's retention_days (CENTRAL_APPLICATION_RETENTION_DAYS when the kind says nothing).
Housekeeping runs the same every minute; the non-personal record stays."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand

from central.casework.logic import purge_due


class Command(BaseCommand):
    help = "Delete the personal fields of applications past their retention after closing."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(json.dumps({"purged": purge_due()}))
