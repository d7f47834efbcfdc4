from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from central.conf import conf
from central.publishing.content import ContentInvalid, import_content


class Command(BaseCommand):
    help = "Load pack.yaml and flows/*.yaml from a content folder (validated; nothing on failure)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--locality", type=Path, action="append", default=[],
                            help="a locality file to load too (repeatable; default: the demo county's "
                                 "when no locality is loaded yet)")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        if not (path / "pack.yaml").is_file():
            raise CommandError(f"{path} has no pack.yaml")
        localities = options["locality"]
        from central.publishing.models import LocalityDocument

        if not localities and not LocalityDocument.objects.exists():
            localities = [Path(conf("LOCALITY_FILE"))]
        try:
            done = import_content(path, localities)
        except ContentInvalid as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"not imported: {len(exc.problems)} problem(s)") from exc
        from central.publishing.content import PACK_FILES
        from central.review.state import baseline

        imported = {f"flows/{p.name}" for p in path.glob("flows/*.yaml")}
        imported |= {p.relative_to(path).as_posix() for pattern in PACK_FILES for p in path.glob(pattern)}
        baseline("imported", imported)  # the pack's own files were reviewed where the pack is kept
        self.stdout.write(f"imported {done['flows']} flow(s), {done['localities']} locality file(s)")
