"""Admin for applications: which groups handle which kinds, the record without personal data,
the audit trail (read-only), and the kind files published with the pack."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from central.casework.kinds import load_yaml, parse_kind
from central.casework.models import Application, AuditEntry, KindAccess
from central.org.admin_scope import CountyScopedAdmin
from central.publishing.models import ApplicationDocument


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


PATH_RE = re.compile(r"^(applications/[a-z][a-z0-9-]{0,47}\.yaml|forms/[a-z][a-z0-9-]{0,47}\.html)$")


class ApplicationDocumentForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = ApplicationDocument
        fields = ["path", "text"]

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        path, text = str(data.get("path", "")), str(data.get("text", ""))
        if not PATH_RE.match(path):
            raise forms.ValidationError(_("The path is applications/<kind>.yaml or forms/<kind>.html."))
        if path.endswith(".yaml"):
            import yaml

            try:
                parsed = load_yaml(text)
            except yaml.YAMLError as exc:
                raise forms.ValidationError(str(exc)) from None
            if parse_kind(Path(path).stem, parsed) is None:
                raise forms.ValidationError(_("An application kind needs at least its receiving `service`."))
        return data


@admin.register(ApplicationDocument)
class ApplicationDocumentAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Kind files travel with the next publication; the kiosk's validator checks them there."""

    form = ApplicationDocumentForm
    list_display = ("path", "updated_at")
