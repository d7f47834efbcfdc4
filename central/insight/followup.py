"""差评 follow-up: a bad rating with a phone number becomes a task for the kiosk's county.

Deadline: 国办发〔2019〕51号 (关于建立政务服务"好差评"制度提高政务服务水平的意见) is not in
the collection under /work/shared/laws, so its text could not be checked here. Provincial
rules commonly require the feedback on a 差评 within 5 working days; that is the default of
CENTRAL_FOLLOWUP_WORKING_DAYS, a setting the bureau must confirm against its own rules.
Working days skip weekends and the county's holidays (central/casework/deadlines.py).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from central.casework.deadlines import due_date
from central.casework.keys import decrypt_at_rest, encrypt_at_rest
from central.conf import conf
from central.fleet.models import Kiosk
from central.insight.models import FollowUp, FollowUpAudit
from central.org.scope import counties_of

MOBILE = re.compile(r"^1[3-9]\d{9}$")


def _days() -> int:
    return int(conf("FOLLOWUP_WORKING_DAYS"))


def create(kiosk: Kiosk, rating: Any, level: int, reasons: list[str], phone: str,
           rated_at: dt.datetime, received: dt.datetime | None = None) -> FollowUp:
    """The task (or the one already made for this rating: a resend is not a second task).
    The deadline runs from when the call-back request reached the service."""
    found = FollowUp.objects.filter(rating=rating).first()
    if found is not None:
        return found
    received = received or timezone.now()
    task = FollowUp(rating=rating, kiosk=kiosk, county_id=kiosk.county_id, level=level,
                    reasons=reasons, rated_at=rated_at, received_at=received,
                    due=due_date(timezone.localdate(received), _days(), True, kiosk.county),
                    phone=encrypt_at_rest(phone.encode()))
    try:
        with transaction.atomic():
            task.save()
    except IntegrityError:  # the same rating's callback arrived twice at once
        return FollowUp.objects.get(rating=rating)
    return task


def visible(user: Any) -> QuerySet[FollowUp]:
    counties = counties_of(user)
    tasks = FollowUp.objects.select_related("kiosk", "county")
    return tasks if counties is None else tasks.filter(county__in=counties)


def audit(task: FollowUp, user: Any, action: str) -> None:
    FollowUpAudit.objects.create(task=task, user=user, action=action,
                                 username=user.get_username() if user else "")


def phone_of(task: FollowUp, user: Any) -> str:
    """The number, for a person about to call: every view is audited."""
    if task.phone is None:
        return ""
    audit(task, user, "viewed_phone")
    return decrypt_at_rest(bytes(task.phone)).decode()


def record(task: FollowUp, user: Any, action: str, close: bool) -> FollowUp:
    with transaction.atomic():
        current = FollowUp.objects.select_for_update().get(pk=task.pk)
        current.action = action.strip()[:2000]
        current.status = FollowUp.CLOSED if close else FollowUp.CALLED
        current.closed_at = timezone.now() if close else None
        current.save(update_fields=["action", "status", "closed_at"])
        audit(current, user, "closed" if close else "called")
    return current


def overdue(task: FollowUp, today: dt.date | None = None) -> bool:
    return task.status != FollowUp.CLOSED and task.due < (today or timezone.localdate())


def purge_due(now: dt.datetime | None = None) -> int:
    """Remove phone numbers: closed tasks after CENTRAL_FOLLOWUP_PHONE_KEEP_DAYS; any task
    after CENTRAL_FOLLOWUP_PHONE_MAX_DAYS (a number is not kept for a call never made)."""
    now = now or timezone.now()
    closed_before = now - dt.timedelta(days=int(conf("FOLLOWUP_PHONE_KEEP_DAYS")))
    any_before = now - dt.timedelta(days=int(conf("FOLLOWUP_PHONE_MAX_DAYS")))
    due = FollowUp.objects.filter(phone__isnull=False).filter(
        Q(status=FollowUp.CLOSED, closed_at__lt=closed_before) | Q(received_at__lt=any_before))
    done = 0
    for task in due:
        if FollowUp.objects.filter(pk=task.pk, phone__isnull=False).update(phone=None, purged_at=now):
            audit(task, None, "phone_removed")
            done += 1
    return done
