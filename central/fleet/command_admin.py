"""Admin for remote commands: "send command" actions on Kiosks (county staff only), and the
commands with their results and audit trail, read-only."""

from __future__ import annotations

import base64
import gzip
from collections.abc import Callable
from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from central.fleet import commands
from central.fleet.command_models import KINDS, CommandAudit, KioskCommand
from central.fleet.models import Kiosk
from central.org.admin_scope import CountyScopedAdmin

Action = Callable[[Any, HttpRequest, QuerySet[Kiosk]], None]


def send_action(kind: str) -> Action:
    """An admin action sending `kind` to each selected kiosk the user may command."""
    def action(modeladmin: Any, request: HttpRequest, queryset: QuerySet[Kiosk]) -> None:
        sent = refused = 0
        for kiosk in queryset:
            try:
                commands.issue(kiosk, kind, request.user)
                sent += 1
            except PermissionError:
                refused += 1
        if sent:
            messages.success(request, _("Command %(kind)s sent to %(n)d kiosk(s); it runs at their "
                                        "next heartbeat.") % {"kind": kind, "n": sent})
        if refused:
            messages.error(request, _("%(n)d kiosk(s) are not in your county: not sent.") % {"n": refused})
    action.__name__ = f"send_{kind}"
    return admin.action(description=format_lazy("{}: {}", _("Send command"), kind),
                        permissions=["change"])(action)


SEND_ACTIONS = [send_action(kind) for kind in KINDS]


class AuditInline(admin.TabularInline):  # type: ignore[type-arg]
    model = CommandAudit
    extra = 0
    can_delete = False
    readonly_fields = ["at", "actor", "action", "detail"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(KioskCommand)
class KioskCommandAdmin(CountyScopedAdmin):
    county_path = "kiosk__county"
    list_display = ["issued_at", "kiosk", "kind", "status", "issued_by", "done_at"]
    list_filter = ["kind", "status"]
    readonly_fields = ["kiosk", "kind", "issued_by", "issued_at", "status", "result", "done_at",
                       "attachment_view"]
    exclude = ["attachment"]
    inlines = [AuditInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # sent from the Kiosks list, where the county check is made

    @admin.display(description=_("attachment"))
    def attachment_view(self, command: KioskCommand) -> str:
        data = bytes(command.attachment or b"")
        if not data:
            return "-"
        if data.startswith(commands.PNG_MAGIC):
            return format_html('<img src="data:image/png;base64,{}" style="max-width:640px">',
                               base64.b64encode(data).decode())
        try:
            text = gzip.decompress(data).decode("utf-8", "replace")
        except (OSError, EOFError):
            return str(_("(unreadable attachment)"))
        return format_html('<pre style="max-height:480px;overflow:auto">{}</pre>', text)
