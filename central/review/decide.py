"""A legal reviewer's decision on one changed file: approve it or return it with a comment.

The reviewer carries the hash of the text they looked at; a file changed since is refused,
so nobody approves what they have not seen. Four eyes: whoever changed the file since its
last approval cannot approve it. Approving a flow sets its `reviewed:` date (one line of
the YAML) in a reversion revision by the reviewer, and the approval is recorded against
that resulting text.
"""

from __future__ import annotations

from typing import Any

import reversion
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from central.publishing.models import Flow, PackFile
from central.review import state
from central.review.models import Decision
from central.review.reviewed import set_reviewed


class ReviewRefused(Exception):
    """A decision that cannot be taken; the message is for the reviewer, in their language."""


def _locked(path: str) -> Flow | PackFile:
    obj = state.obj_for(path)
    if obj is None:
        raise ReviewRefused(_("There is no such file any more: %(path)s.") % {"path": path})
    locked: Flow | PackFile = type(obj).objects.select_for_update().get(pk=obj.pk)
    return locked


def _check_seen(obj: Flow | PackFile, seen: str) -> None:
    if state.text_hash(obj.text) != seen:
        raise ReviewRefused(_(
            "%(path)s was changed after you opened it. Nothing was decided: look at the changes "
            "again and decide on what is there now.") % {"path": _path(obj)})


def _path(obj: Flow | PackFile) -> str:
    return obj.path


def decide(path: str, reviewer: Any, seen: str, decision: str, comment: str) -> Decision:
    """Record `decision` ("approved" or "returned") by `reviewer` on the text whose hash is `seen`."""
    comment = comment.strip()
    if decision not in (Decision.APPROVED, Decision.RETURNED):
        raise ReviewRefused(_("Choose approve or return."))
    if decision == Decision.RETURNED and not comment:
        raise ReviewRefused(_("Say in the comment what must change before it can be approved."))
    with transaction.atomic():
        obj = _locked(path)
        _check_seen(obj, seen)
        approval = state.last_approval(path)
        if approval is not None and approval.text_hash == seen:
            raise ReviewRefused(_("%(path)s has no changes waiting for review.") % {"path": path})
        if decision == Decision.APPROVED and int(reviewer.pk) in state.editor_ids_since(obj, approval):
            raise ReviewRefused(_(
                "You changed %(path)s yourself since its last approval, so another legal reviewer "
                "must approve it (four eyes).") % {"path": path})
        text = obj.text
        if decision == Decision.APPROVED and isinstance(obj, Flow):
            try:
                text = set_reviewed(obj.text, timezone.localdate())
            except ValueError as exc:
                raise ReviewRefused(_("The flow's reviewed date cannot be set: %(reason)s")
                                    % {"reason": exc}) from exc
            with reversion.create_revision():
                reversion.set_user(reviewer)
                reversion.set_comment(_("Legal review: approved. %(comment)s") % {"comment": comment})
                obj.text = text
                obj.save()
        return Decision.objects.create(path=path, decision=decision, text=text,
                                       text_hash=state.text_hash(text),
                                       version_id=state.newest_version_id(obj), reviewer=reviewer,
                                       comment=comment, decided_at=timezone.now())
