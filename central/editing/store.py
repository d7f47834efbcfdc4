"""The one way the editor writes a flow's text: checked by the kiosk's validator, refused
when someone else saved the flow since it was read, recorded as a reversion revision.

The token is a hash of the text the editor started from, so two editors saving the same
flow never overwrite each other silently: the second one is told, and keeps their edit.
"""

from __future__ import annotations

import hashlib
from typing import Any

import reversion
from django.db import transaction
from django.utils.translation import gettext as _

from central.publishing.content import ContentProblem
from central.publishing.models import Flow


class EditConflict(Exception):
    """The flow changed since the editor read it; their text is not saved (and not lost)."""


class FlowInvalid(Exception):
    """The kiosk's validator refuses the text; nothing was saved."""

    def __init__(self, problems: list[ContentProblem]) -> None:
        super().__init__(_("Not saved: %(n)d problem(s) in the flow.") % {"n": len(problems)})
        self.problems = problems


def token(text: str) -> str:
    """What the editor read, in 16 hex digits (a new flow's token is that of '')."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def current_token(flow_id: str) -> str:
    flow = Flow.objects.filter(flow_id=flow_id).first()
    return token(flow.text if flow is not None else "")


def save_flow_text(flow_id: str, new_text: str, user: Any, base_token: str,
                   comment: str = "") -> str:
    """Validate and save `new_text` as the flow's YAML; return the new token.

    Raises FlowInvalid (with the validator's problems) or EditConflict; either way the
    stored flow is unchanged.
    """
    from central.editing.checks import problems_of  # the same (cached) check the map shows

    problems = problems_of(flow_id, new_text)
    if problems:
        raise FlowInvalid(problems)
    with transaction.atomic():
        flow = Flow.objects.select_for_update().filter(flow_id=flow_id).first()
        if token(flow.text if flow is not None else "") != base_token:
            raise EditConflict(_("Someone else saved the flow “%(flow)s” after you opened it. "
                                 "Your changes are kept here: open the flow again to see theirs, "
                                 "then make your changes again.") % {"flow": flow_id})
        if flow is None:
            flow = Flow(flow_id=flow_id)
        flow.text = new_text
        flow.updated_by = user
        with reversion.create_revision(atomic=False):
            flow.save()
            reversion.set_user(user)
            reversion.set_comment(comment or _("Changed in the flow editor"))
    return token(new_text)
