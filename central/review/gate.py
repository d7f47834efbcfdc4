"""The publishing gate: nothing is signed while a flow or pack file has unapproved changes."""

from __future__ import annotations

from django.utils.translation import gettext as _

from central.publishing.content import ContentInvalid, ContentProblem
from central.review.state import Pending, pending


def unapproved() -> list[Pending]:
    """Every file whose current text differs from its last approved text."""
    return pending()


def describe(item: Pending) -> str:
    who = ", ".join(item.editors)
    if item.returned is not None:
        return _("returned by the legal reviewer %(reviewer)s and not changed since (changed by %(who)s); "
                 "see /staff/review/") % {
            "reviewer": item.returned.who, "who": who}
    return _("changed by %(who)s and not yet approved by a legal reviewer (legal review: /staff/review/)") % {
        "who": who}


def refuse_unapproved() -> None:
    """Raise ContentInvalid naming each unapproved file and who changed it (publish_current)."""
    waiting = unapproved()
    if waiting:
        raise ContentInvalid([ContentProblem(item.path, None, None, describe(item)) for item in waiting])
