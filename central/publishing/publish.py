"""Publications: validate everything, sign it as the next TUF version, or re-sign an old one."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from central.publishing import leader, tuf_repo
from central.publishing.content import ContentInvalid, content_files, validate_files
from central.publishing.models import Publication


def _record(files: dict[str, bytes], user: Any, rollback_of: int | None) -> Publication:
    # One signer at a time across all nodes; the lock is taken before reading the versions.
    with leader.exclusive(tuf_repo.lock_file()), transaction.atomic():
        recorded = Publication.objects.aggregate(v=Max("version"))["v"] or 0
        # The repository may be ahead of the table if a commit failed after signing.
        version = max(recorded, tuf_repo.latest_version()) + 1
        now = timezone.now()
        changed = tuf_repo.publish(files, version, now, published_before=recorded)
        manifest = tuf_repo.current_files()
        return Publication.objects.create(version=version, published_by=user, files=manifest,
                                          changed=changed, rollback_of=rollback_of)


def publish_current(user: Any = None) -> Publication:
    """Validate all content; refuse with every problem, or publish it as the next version.
    Files with changes a legal reviewer has not approved are refused first (central/review)."""
    from central.review.gate import refuse_unapproved

    refuse_unapproved()
    files = content_files()
    problems = validate_files(files)
    if problems:
        raise ContentInvalid(problems)
    return _record(files, user, None)


def republish(version: int, user: Any = None) -> Publication:
    """Roll back: the files of publication `version`, signed again as a new, higher version."""
    old = Publication.objects.get(version=version)
    files = {path: tuf_repo.read_target(path, str(meta["sha256"])) for path, meta in old.files.items()}
    return _record(files, user, version)
