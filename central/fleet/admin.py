from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from central.fleet.command_admin import SEND_ACTIONS
from central.fleet.models import Kiosk, KioskEvent
from central.org.admin_scope import CountyScopedAdmin

STALE_AFTER_S = 180


def _show_token(request: HttpRequest, kiosk: Kiosk, token: str) -> None:
    messages.warning(request, _("New token for %(kiosk)s (shown once, copy it now): %(token)s")
                     % {"kiosk": kiosk.code, "token": token})


@admin.register(Kiosk)
class KioskAdmin(CountyScopedAdmin):
    list_display = ["code", "county", "office", "ticket_prefix", "location", "online", "last_heartbeat",
                    "paper", "printer_status", "content_version", "revoked"]
    list_filter = ["county", "revoked", "paper"]
    search_fields = ["code", "location"]
    readonly_fields = ["token_issued_at", "last_heartbeat", "state", "content_version", "app_version",
                       "printer_status", "paper", "health"]
    actions = ["issue_token", "revoke_token", *SEND_ACTIONS]

    @admin.display(boolean=True, description=_("online"))
    def online(self, kiosk: Kiosk) -> bool:
        return bool(kiosk.last_heartbeat and
                    (timezone.now() - kiosk.last_heartbeat).total_seconds() < STALE_AFTER_S)

    def save_model(self, request: HttpRequest, obj: Kiosk, form: Any, change: bool) -> None:
        token = None if change else obj.issue_token()
        super().save_model(request, obj, form, change)
        if token:
            _show_token(request, obj, token)

    @admin.action(description=_("Issue a new token (the old one stops working)"), permissions=["change"])
    def issue_token(self, request: HttpRequest, queryset: QuerySet[Kiosk]) -> None:
        for kiosk in queryset:
            token = kiosk.issue_token()
            kiosk.save()
            _show_token(request, kiosk, token)

    @admin.action(description=_("Revoke the token"), permissions=["change"])
    def revoke_token(self, request: HttpRequest, queryset: QuerySet[Kiosk]) -> None:
        for kiosk in queryset:
            kiosk.revoke()
            kiosk.save()
        messages.success(request, _("%(n)d kiosk(s) revoked.") % {"n": queryset.count()})


@admin.register(KioskEvent)
class KioskEventAdmin(CountyScopedAdmin):
    county_path = "kiosk__county"
    list_display = ["at", "kiosk", "kind", "received_at"]
    list_filter = ["kind"]
    readonly_fields = ["kiosk", "kind", "at", "received_at", "detail"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
