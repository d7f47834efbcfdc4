from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from central.publishing import tuf_repo
from central.publishing.content import ContentInvalid
from central.publishing.keys import KeyMissing
from central.publishing.publish import publish_current, republish


class Command(BaseCommand):
    help = "Validate all content and publish it as the next signed TUF version (or roll back)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true")
        parser.add_argument("--rollback", type=int, metavar="VERSION",
                            help="publish that earlier version's files again as a new version")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            pub = republish(options["rollback"]) if options["rollback"] else publish_current()
        except ContentInvalid as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"not published: {len(exc.problems)} content problem(s)") from exc
        except (KeyMissing, tuf_repo.RepositoryMissing) as exc:
            raise CommandError(str(exc)) from exc
        result = {"version": pub.version, "root_path": str(tuf_repo.root_path())}
        if options["json"]:
            self.stdout.write(json.dumps(result))
        else:
            self.stdout.write(f"published version {pub.version}: {len(pub.changed)} changed file(s); "
                              f"kiosks trust {result['root_path']}")
