"""Which content files differ from their last approved text, and who changed them since.

Files under review: every flow and every pack file (application kinds, form templates).
Edits are recorded by django-reversion (the admin and the editor save inside revisions);
a decision keeps the id of the newest version that existed when it was taken, so the
editors of a draft are the users of the versions after it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import yaml
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from reversion.models import Version

from central.publishing.models import Flow, PackFile
from central.review.models import Decision


def not_recorded() -> str:
    """Who saved a version when no user was recorded (a script, an import)."""
    return _("(not recorded)")


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def files() -> dict[str, models.Model]:
    """Every reviewed file by its path: flows first, then pack files."""
    found: dict[str, models.Model] = {f.path: f for f in Flow.objects.select_related("updated_by")}
    found.update({p.path: p for p in PackFile.objects.all()})
    return found


def obj_for(path: str) -> Flow | PackFile | None:
    if path.startswith("flows/") and path.endswith(".yaml"):
        return Flow.objects.filter(flow_id=path[len("flows/"):-len(".yaml")]).first()
    return PackFile.objects.filter(path=path).first()


def last_approval(path: str) -> Decision | None:
    return Decision.objects.filter(path=path, decision=Decision.APPROVED).select_related("reviewer").first()


def last_decision(path: str) -> Decision | None:
    return Decision.objects.filter(path=path).select_related("reviewer").first()


def versions(obj: models.Model) -> Any:
    """The object's reversion versions, newest first, with their revisions and users."""
    return Version.objects.get_for_object(obj).select_related("revision__user").order_by("-pk")


def newest_version_id(obj: models.Model) -> int | None:
    newest = versions(obj).first()
    return int(newest.pk) if newest is not None else None


def _versions_since(obj: Flow | PackFile, approval: Decision | None) -> Any:
    """The file's saved versions after `approval` (all of them when never approved)."""
    since = versions(obj)
    if approval is not None and approval.version_id is not None:
        since = since.filter(pk__gt=approval.version_id)
    return since


def editors_since(obj: Flow | PackFile, approval: Decision | None) -> list[str]:
    """Usernames of those who saved the file since `approval`, newest first."""
    names: list[str] = []
    for version in _versions_since(obj, approval):
        user = version.revision.user
        name = user.get_username() if user else not_recorded()
        if name not in names:
            names.append(name)
    if not names:  # saved outside a revision (a script): the admin's field is all we have
        updated_by = getattr(obj, "updated_by", None)
        names.append(updated_by.get_username() if updated_by else not_recorded())
    return names


def editor_ids_since(obj: Flow | PackFile, approval: Decision | None) -> set[int]:
    ids = {int(v.revision.user_id) for v in _versions_since(obj, approval) if v.revision.user_id is not None}
    updated_by = getattr(obj, "updated_by_id", None)
    if not ids and updated_by is not None:  # saved outside a revision: the admin's field
        ids.add(int(updated_by))
    return ids


@dataclass(frozen=True)
class Pending:
    """A file whose current text is not the approved one."""

    path: str
    editors: list[str]
    approved: Decision | None  # the last approval (None: never approved)
    returned: Decision | None  # a return of exactly this text, if any


def _unapproved(only: set[str] | None = None) -> Iterator[tuple[str, Any, str, str, Decision | None]]:
    """(path, file, text, its hash, last approval) of each file (of those in `only`) whose
    current text is not the approved one."""
    for path, obj in files().items():
        if only is not None and path not in only:
            continue
        text: str = obj.text  # type: ignore[attr-defined]
        digest = text_hash(text)
        approval = last_approval(path)
        if approval is None or approval.text_hash != digest:
            yield path, obj, text, digest, approval


def pending() -> list[Pending]:
    found: list[Pending] = []
    for path, obj, _text, digest, approval in _unapproved():
        latest = last_decision(path)
        returned = latest if latest is not None and latest.decision == Decision.RETURNED \
            and latest.text_hash == digest else None
        found.append(Pending(path, editors_since(obj, approval), approval, returned))
    return found


def reviewed_on(text: str) -> dt.date | None:
    """The flow's top-level `reviewed:` date, if it parses."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return None
    value = data.get("reviewed") if isinstance(data, dict) else None
    return value if isinstance(value, dt.date) else None


def baseline(reason: str, only: set[str] | None = None) -> int:
    """Record the current text of every file (or of those in `only`) not approved in this
    form as approved by the system: shipped or imported content, reviewed where it is kept
    (git). Dated from the flow's `reviewed:`. Returns how many were recorded."""
    count = 0
    for path, obj, text, digest, _approval in _unapproved(only):
        day = reviewed_on(text)
        when = timezone.make_aware(dt.datetime.combine(day, dt.time(12))) if day else timezone.now()
        Decision.objects.create(path=path, decision=Decision.APPROVED, text=text, text_hash=digest,
                                version_id=newest_version_id(obj), system=reason, decided_at=when)
        count += 1
    return count
