"""`central report [--county ID] --month YYYY-MM --format xlsx|pdf --out FILE`: the monthly
report of one county (its id or locality id) or, without --county, of every county."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from central.insight import report
from central.org.models import County


def county_of(value: str) -> County:
    found = County.objects.filter(pk=int(value)).first() if value.isdigit() else None
    found = found or County.objects.filter(slug=value).first()
    if found is None:
        raise CommandError(f"no county {value!r} (没有这个县区): give its id or locality id")
    return found


class Command(BaseCommand):
    help = "Write the monthly usage report (workbook or PDF) of one county or every county."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--county", default=None, help="county id or locality id (default: every county)")
        parser.add_argument("--month", required=True, help="YYYY-MM")
        parser.add_argument("--format", choices=["xlsx", "pdf"], default="xlsx")
        parser.add_argument("--out", required=True, help="the file to write")

    def handle(self, *args: Any, **options: Any) -> None:
        month = options["month"]
        if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", month):
            raise CommandError(f"--month must be YYYY-MM, e.g. 2026-11, not {month!r} (月份格式应为 YYYY-MM)")
        counties = [county_of(options["county"])] if options["county"] else None
        data, has_data = report.build(counties, month, options["format"])
        Path(options["out"]).write_bytes(data)
        said = "" if has_data else " — no usage recorded this month (本月无数据)"
        self.stdout.write(f"wrote {options['out']} ({len(data)} bytes){said}")
