"""Periodic chores: re-sign TUF timestamp, mark no-shows, forget old idempotency keys."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from central.housekeeping import run_once


class Command(BaseCommand):
    help = "Re-sign the TUF timestamp when due, mark no-shows, purge idempotency keys older than 48 h."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(str(run_once()))
