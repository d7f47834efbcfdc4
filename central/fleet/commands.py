"""Remote command rules: issue (audited, county-scoped), deliver with the heartbeat, record
the kiosk's result once (docs/api.md, "Remote commands")."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone

from central.api.bounded import clean_text
from central.errors import ApiError
from central.fleet.command_models import FINAL, KINDS, CommandAudit, KioskCommand
from central.fleet.models import Kiosk
from central.org.scope import counties_of

MAX_ATTACHMENT = 1_000_000
MAX_DELIVERED = 10
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
GZIP_MAGIC = b"\x1f\x8b"


def may_command(user: Any, kiosk: Kiosk) -> bool:
    """Only staff of the kiosk's county (or a superuser) may command it."""
    if not getattr(user, "is_staff", False):
        return False
    counties = counties_of(user)
    return counties is None or counties.filter(pk=kiosk.county_id).exists()


def issue(kiosk: Kiosk, kind: str, user: Any) -> KioskCommand:
    if kind not in KINDS:
        raise ValueError(f"unknown command kind {kind!r}")
    if not may_command(user, kiosk):
        raise PermissionError("not staff of this kiosk's county")
    with transaction.atomic():
        Kiosk.objects.filter(pk=kiosk.pk).update(commands_waiting=True)  # locks the row till commit
        command = KioskCommand.objects.create(kiosk=kiosk, kind=kind, issued_by=user)
        CommandAudit.objects.create(command=command, actor=user.get_username(), action="issued",
                                    detail={"kind": kind, "kiosk": kiosk.code})
    return command


def pending(kiosk: Kiosk) -> list[dict[str, str]]:
    """What the heartbeat reply carries: commands without a final result, oldest first. Looked
    up only when the kiosk's row (read with its token) says some are waiting."""
    if not kiosk.commands_waiting:
        return []
    found = (KioskCommand.objects.filter(kiosk=kiosk).exclude(status__in=FINAL)
             .order_by("issued_at")[:MAX_DELIVERED])
    return [{"id": str(c.id), "kind": c.kind} for c in found]


def _check_attachment(kind: str, data: bytes | None) -> None:
    if data is None:
        return
    if len(data) > MAX_ATTACHMENT:
        raise ApiError(422, "bad_attachment", f"attachment larger than {MAX_ATTACHMENT} bytes")
    wanted = {"screenshot": PNG_MAGIC, "logs": GZIP_MAGIC}.get(kind)
    if wanted is None or not data.startswith(wanted):
        raise ApiError(422, "bad_attachment", "a screenshot is a PNG, logs are gzip text; nothing else")


def record_result(kiosk: Kiosk, command_id: str, status: str, detail: str,
                  attachment: bytes | None) -> KioskCommand:
    try:
        key = uuid.UUID(command_id[:40])
    except ValueError:
        raise ApiError(404, "unknown_command", "no such command for this kiosk") from None
    with transaction.atomic():
        # The kiosk's row first, as issue() does: its commands_waiting is decided in turn.
        list(Kiosk.objects.select_for_update().filter(pk=kiosk.pk).values_list("pk", flat=True))
        command = KioskCommand.objects.select_for_update().filter(pk=key, kiosk=kiosk).first()
        if command is None:
            raise ApiError(404, "unknown_command", "no such command for this kiosk")
        if command.status in FINAL:
            raise ApiError(409, "already_resulted", "this command already has a final result")
        _check_attachment(command.kind, attachment)
        command.status = status
        command.result = clean_text(detail)
        if attachment is not None:
            command.attachment = attachment
        if status in FINAL:
            command.done_at = timezone.now()
        command.save()
        if status in FINAL:
            still = KioskCommand.objects.filter(kiosk=kiosk).exclude(status__in=FINAL).exists()
            Kiosk.objects.filter(pk=kiosk.pk).update(commands_waiting=still)
        CommandAudit.objects.create(command=command, actor=f"kiosk:{kiosk.code}", action=status,
                                    detail={"detail": command.result,
                                            "attachment_bytes": len(attachment or b"")})
    return command
