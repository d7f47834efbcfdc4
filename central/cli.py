"""The `central` command: Django's management commands under short names.

    central migrate | serve --port P [--dev] | demo [--json] | import-content PATH
    central publish [--json] [--rollback N] | refresh-timestamp | housekeeping | <any manage.py command>
    central applications [--json] | purge-applications
    central report [--county ID] --month YYYY-MM --format xlsx|pdf --out FILE | refresh-usage
    central demo-usage --days N
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "central.settings")
    from django.core.management import execute_from_command_line

    if args and not args[0].startswith("-"):
        args[0] = args[0].replace("-", "_")
    if args and args[0] == "migrate" and "--verbosity" not in args and "-v" not in args:
        args += ["--verbosity", "1"]
    execute_from_command_line(["central", *args])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
