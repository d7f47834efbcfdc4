"""Casework rules: who may see and decide what, status changes, audit, purge.

Every status change and every view of personal fields leaves an AuditEntry; a closed
application cannot change (CaseClosed), whoever asks.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from central.casework import keys
from central.casework.models import Application, AuditEntry, KindAccess
from central.org.scope import limit

A = Application
#: status -> statuses a staff member may move it to
MOVES: dict[str, tuple[str, ...]] = {
    A.RECEIVED: (A.ACCEPTED, A.MORE_NEEDED, A.REFUSED),
    A.MORE_NEEDED: (A.ACCEPTED, A.REFUSED, A.CLOSED),
    A.ACCEPTED: (A.CLOSED,),
    A.REFUSED: (A.CLOSED,),
    A.WAITING: (A.CALLED_BACK, A.NO_ANSWER, A.CLOSED),
    A.NO_ANSWER: (A.CALLED_BACK, A.NO_ANSWER, A.CLOSED),
    A.CALLED_BACK: (A.CLOSED,),
}
MAX_TRIES = 3


class CaseError(Exception):
    """A change staff may not make; the message is shown to them as it is."""


class CaseClosed(CaseError):
    pass


def person_of(app: Application) -> dict[str, str]:
    """Decrypted personal fields ({} once purged). Callers showing them to a person audit it."""
    if app.personal is None:
        return {}
    value: dict[str, str] = json.loads(keys.decrypt_at_rest(bytes(app.personal)))
    return value


def case_of(app: Application) -> dict[str, str]:
    if app.case_fields is None:
        return {}
    value: dict[str, str] = json.loads(keys.decrypt_at_rest(bytes(app.case_fields)))
    return value


def handled_kinds(user: Any) -> set[str] | None:
    """Kinds the user handles (None: every kind, for superusers and groups given '*')."""
    if user.is_superuser:
        return None
    kinds = set(KindAccess.objects.filter(group__user=user).values_list("kind", flat=True))
    return None if "*" in kinds else kinds


def handles(user: Any, kind: str) -> bool:
    kinds = handled_kinds(user)
    return kinds is None or kind in kinds


def visible(user: Any) -> QuerySet[Application]:
    """Applications a staff member may list: their counties, kinds they handle."""
    if not user.is_active or not user.is_staff or not user.has_perm("casework.view_application"):
        return Application.objects.none()
    qs = limit(Application.objects.select_related("office", "assigned_to"), user, "office__county")
    kinds = handled_kinds(user)
    return qs if kinds is None else qs.filter(kind__in=kinds)


def may_decide(user: Any, app: Application) -> bool:
    return bool(user.has_perm("casework.decide_application")) and handles(user, app.kind)


def audit(app: Application, user: Any, action: str, **detail: Any) -> None:
    AuditEntry.objects.create(application=app, user=user, username=user.get_username() if user else "",
                              action=action, detail=detail)


def view_personal(app: Application, user: Any) -> tuple[dict[str, str], dict[str, str]]:
    """The person and case fields for a user who handles the kind, audited; ({}, {}) otherwise."""
    if not handles(user, app.kind) or app.personal is None:
        return {}, {}
    person, case = person_of(app), case_of(app)
    audit(app, user, "viewed_personal", fields=sorted(person) + [f"case.{k}" for k in sorted(case)])
    return person, case


def _locked(app: Application) -> Application:
    locked = Application.objects.select_for_update().get(pk=app.pk)
    if locked.status == A.CLOSED:
        raise CaseClosed(_("This application is closed and can no longer be changed."))
    return locked


@transaction.atomic
def move(app: Application, user: Any, to: str, needed: str = "", reason: str = "",
         basis: str = "") -> Application:
    """Change the status; CaseError with a plain message when the change is not allowed."""
    if not may_decide(user, app):
        raise CaseError(_("You do not handle this kind of application."))
    current = _locked(app)
    if to not in MOVES.get(current.status, ()):
        raise CaseError(_("An application that is “%(now)s” cannot become “%(to)s”.") % {
            "now": current.get_status_display(), "to": dict(A.STATUSES).get(to, to)})
    now = timezone.now()
    if to == A.MORE_NEEDED:
        if not needed.strip():
            raise CaseError(_("Say what material is needed."))
        current.needed = needed.strip()[:2000]
    elif to == A.REFUSED:
        if not reason.strip() or not basis.strip():
            raise CaseError(_("A refusal needs its reason and its legal basis."))
        current.refusal_reason, current.refusal_basis = reason.strip()[:2000], basis.strip()[:200]
    elif to == A.NO_ANSWER:
        if current.tries >= MAX_TRIES:
            raise CaseError(_("Already tried three times: close the callback."))
        current.tries += 1
    elif to == A.CALLED_BACK:
        current.tries += 1
    elif to == A.CLOSED:
        current.closed_at = now
    before = current.status
    current.status, current.updated_at = to, now
    current.save()
    audit(current, user, "status", before=before, after=to, tries=current.tries)
    return current


@transaction.atomic
def assign(app: Application, user: Any, assignee: Any) -> Application:
    if not may_decide(user, app):
        raise CaseError(_("You do not handle this kind of application."))
    current = _locked(app)
    if assignee is not None and not (assignee.is_active and handles(assignee, app.kind)
                                     and visible(assignee).filter(pk=app.pk).exists()):
        raise CaseError(_("That staff member does not handle this kind of application here."))
    current.assigned_to, current.updated_at = assignee, timezone.now()
    current.save(update_fields=["assigned_to", "updated_at"])
    audit(current, user, "assigned", to=assignee.get_username() if assignee else "")
    return current


def purge_due(now: dt.datetime | None = None) -> int:
    """Delete personal and case fields, and the flow answers (which can be as sensitive: a yes to
    "did he hit you"), of applications closed longer than their retention; the rest stays."""
    now = now or timezone.now()
    done = 0
    for app in Application.objects.filter(status=A.CLOSED, purged_at__isnull=True, closed_at__isnull=False):
        if app.closed_at is not None and app.closed_at + dt.timedelta(days=app.retention_days) <= now:
            with transaction.atomic():
                if Application.objects.filter(pk=app.pk, purged_at__isnull=True).update(
                        personal=None, case_fields=None, answers={}, purged_at=now):
                    audit(app, None, "purged", retention_days=app.retention_days)
                    done += 1
    return done
