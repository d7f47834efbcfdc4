"""Admin for applications: which groups handle which kinds, the record without personal data,
and the audit trail (read-only). The kind files themselves are pack files (central/publishing)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from central.casework.models import Application, AuditEntry, KindAccess
from central.org.admin_scope import CountyScopedAdmin


@admin.register(KindAccess)
class KindAccessAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("group", "kind")
    list_filter = ("kind",)


class ReadOnly(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Application)
class ApplicationAdmin(CountyScopedAdmin, ReadOnly):
    """The non-personal record; staff open the casework page to see and decide."""

    county_path = "office__county"
    list_display = ("code", "kind", "status", "office", "received_at", "decision_due", "casework_link")
    list_filter = ("status", "kind")
    search_fields = ("code",)
    fields = ("code", "kind", "status", "office", "kiosk", "flow", "outcome", "content_version",
              "created_at", "received_at", "decision_due", "decision_basis", "assigned_to", "closed_at",
              "purged_at", "retention_days")

    @admin.display(description=_("casework"))
    def casework_link(self, app: Application) -> str:
        return format_html('<a href="/staff/applications/{}/">{}</a>', app.code, _("open in casework"))


@admin.register(AuditEntry)
class AuditAdmin(CountyScopedAdmin, ReadOnly):
    county_path = "application__office__county"
    list_display = ("at", "username", "action", "application", "detail")
    list_filter = ("action",)
    search_fields = ("application__code", "username")
