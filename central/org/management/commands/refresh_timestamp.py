from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from central.publishing import tuf_repo


class Command(BaseCommand):
    help = "Re-sign the TUF timestamp (and snapshot when due) with the online keys."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true", help="sign even when not due")

    def handle(self, *args: Any, **options: Any) -> None:
        signed = tuf_repo.refresh_timestamp(force=options["force"])
        self.stdout.write("signed" if signed else "not due")
