"""`central unlock-login`: lift admin login locks (an officer locked out, or after an attack)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from central.org.throttle import unlock


class Command(BaseCommand):
    help = ("Forget failed admin logins and lift their locks: of one account (--user), one "
            "address (--address), both, or all (--all).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", help="account name, every address")
        parser.add_argument("--address", help="client address, every account")
        parser.add_argument("--all", action="store_true", help="every account and address")

    def handle(self, *args: Any, **options: Any) -> None:
        user, address = options["user"], options["address"]
        if not (user or address or options["all"]):
            raise CommandError("say which: --user NAME, --address IP, or --all")
        removed = unlock(user, address)
        self.stdout.write(f"lifted: {removed} failure record(s) removed\n")
