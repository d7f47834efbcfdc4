"""Legal review for tests that edit content and then publish: approve every waiting change
as a reviewer who edited nothing (publishing refuses unapproved changes, issue 17)."""

from __future__ import annotations

from central.testing.servers import CentralServer

APPROVE_ALL = """
from django.contrib.auth.models import Group, User
from central.review.decide import decide
from central.review.state import obj_for, pending, text_hash
user, _ = User.objects.get_or_create(username="test-reviewer", defaults={"is_staff": True})
user.groups.add(Group.objects.get(name="Legal reviewers"))
for item in pending():
    decide(item.path, user, text_hash(obj_for(item.path).text), "approved", "approved by the test")
"""


def approve_all(server: CentralServer | None = None) -> None:
    """Approve what waits, in `server`'s database (or in-process when None)."""
    if server is not None:
        server.django(APPROVE_ALL)
    else:
        exec(APPROVE_ALL, {})  # noqa: S102 - fixed test code, no input
