"""`central applications [--json] [--status S]`: the applications, without personal data."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from central.casework.models import Application


class Command(BaseCommand):
    help = "List applications (code, kind, status, received_at); never personal data."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true")
        parser.add_argument("--status", help="only applications with this status")

    def handle(self, *args: Any, **options: Any) -> None:
        apps = Application.objects.order_by("received_at", "pk")
        if options["status"]:
            apps = apps.filter(status=options["status"])
        rows = [{"code": a.code, "kind": a.kind, "status": a.status,
                 "received_at": timezone.localtime(a.received_at).isoformat()}
                for a in apps.only("code", "kind", "status", "received_at")]
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False))
            return
        for row in rows:
            self.stdout.write(f"{row['code']}  {row['kind']:<24} {row['status']:<12} {row['received_at']}")
