from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from reversion.admin import VersionAdmin

from central.org.admin_scope import CountyScopedAdmin
from central.publishing.content import ContentInvalid, validate_files, validate_flow_text
from central.publishing.models import (
    Announcement,
    Flow,
    LocalityDocument,
    PackDocument,
    PackFile,
    Publication,
)
from central.publishing.publish import publish_current, republish

MONO = forms.Textarea(attrs={"rows": 32, "cols": 110, "spellcheck": "false",
                             "style": "font-family: monospace; font-size: 14px; width: 95%"})


class FlowForm(forms.ModelForm):  # type: ignore[type-arg]
    upload = forms.FileField(label=_("or upload a YAML file"), required=False)

    class Meta:
        model = Flow
        fields = ["flow_id", "text", "upload"]
        widgets = {"text": MONO}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["text"].required = False
        text_field = self.fields["text"]
        assert isinstance(text_field, forms.CharField)
        text_field.strip = False  # YAML keeps its final newline

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("upload")
        if upload:
            try:
                data["text"] = upload.read().decode("utf-8")
            except UnicodeDecodeError:
                self.add_error("upload", _("The file is not UTF-8 text."))
                return data
        if not data.get("text"):
            self.add_error("text", _("Write the flow here or upload its file."))
            return data
        flow_id = data.get("flow_id")
        if flow_id:
            for problem in validate_flow_text(flow_id, data["text"]):
                self.add_error("text", str(problem))
        return data


@admin.register(Flow)
class FlowAdmin(VersionAdmin):  # type: ignore[misc]
    form = FlowForm
    list_display = ["flow_id", "updated_at", "updated_by"]
    search_fields = ["flow_id", "text"]

    def save_model(self, request: HttpRequest, obj: Flow, form: Any, change: bool) -> None:
        obj.updated_by = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)


class LocalityForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = LocalityDocument
        fields = ["county", "text"]
        widgets = {"text": MONO}

    def clean(self) -> dict[str, Any]:
        from central.publishing.content import content_files

        data = super().clean() or {}
        county, text = data.get("county"), data.get("text")
        if county and text:
            files = {p: b for p, b in content_files().items() if not p.startswith("localities/")}
            files[f"localities/{county.slug}.yaml"] = text.encode()
            for problem in validate_files(files):
                self.add_error("text", str(problem))
        return data


@admin.register(LocalityDocument)
class LocalityAdmin(CountyScopedAdmin, VersionAdmin):  # type: ignore[misc]
    form = LocalityForm
    list_display = ["__str__", "county", "updated_at"]


class PackForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = PackDocument
        fields = ["text"]
        widgets = {"text": MONO}

    def clean(self) -> dict[str, Any]:
        from central.publishing.content import content_files

        data = super().clean() or {}
        if data.get("text"):
            files = content_files()
            files["pack.yaml"] = data["text"].encode()
            for problem in validate_files(files):
                self.add_error("text", str(problem))
        return data


@admin.register(PackDocument)
class PackAdmin(VersionAdmin):  # type: ignore[misc]
    form = PackForm

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not PackDocument.objects.exists() and super().has_add_permission(request)


class PackFileForm(forms.ModelForm):  # type: ignore[type-arg]
    """An application kind or form template, validated with everything it must agree with."""

    class Meta:
        model = PackFile
        fields = ["text"]
        widgets = {"text": MONO}

    def clean(self) -> dict[str, Any]:
        from central.publishing.content import content_files

        data = super().clean() or {}
        if data.get("text") and self.instance.path:
            files = content_files()
            files[self.instance.path] = data["text"].encode()
            for problem in validate_files(files):
                self.add_error("text", str(problem))
        return data


@admin.register(PackFile)
class PackFileAdmin(VersionAdmin):  # type: ignore[misc]
    """Kinds and forms come with the pack (`central import`); here they can be corrected."""

    form = PackFileForm
    list_display = ["path", "updated_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Announcement)
class AnnouncementAdmin(CountyScopedAdmin, VersionAdmin):  # type: ignore[misc]
    list_display = ["text_zh", "county", "starts", "ends"]


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["version", "published_at", "published_by", "rollback_of", "changed_count"]
    readonly_fields = ["version", "published_at", "published_by", "files", "changed", "rollback_of"]
    actions = ["roll_back"]
    change_list_template = "admin/publishing/publication/change_list.html"

    @admin.display(description=_("changed files"))
    def changed_count(self, pub: Publication) -> int:
        return len(pub.changed)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_urls(self) -> list[Any]:
        view = require_POST(self.admin_site.admin_view(self.publish_view))
        return [path("publish/", view, name="publishing_publication_publish"), *super().get_urls()]

    def _may_publish(self, request: HttpRequest) -> bool:
        return request.user.has_perm("publishing.add_publication")

    def publish_view(self, request: HttpRequest) -> HttpResponse:
        if not self._may_publish(request):
            raise PermissionDenied
        try:
            pub = publish_current(request.user)
        except ContentInvalid as exc:
            messages.error(request, _("Not published: %(n)d problem(s).") % {"n": len(exc.problems)})
            for problem in exc.problems[:30]:
                messages.error(request, str(problem))
        except Exception as exc:  # a missing offline key, a full disk: tell the administrator
            messages.error(request, _("Not published: %(reason)s") % {"reason": exc})
        else:
            messages.success(request, _("Published version %(v)d (%(n)d changed file(s)).")
                             % {"v": pub.version, "n": len(pub.changed)})
        return HttpResponseRedirect(reverse("admin:publishing_publication_changelist"))

    @admin.action(description=_("Roll back: publish this version again as a new version"))
    def roll_back(self, request: HttpRequest, queryset: QuerySet[Publication]) -> None:
        if not self._may_publish(request) or queryset.count() != 1:
            messages.error(request, _("Choose one publication (and have the publish permission)."))
            return
        old = queryset.get()
        pub = republish(old.version, request.user)
        messages.success(request, _("Version %(old)d published again as version %(v)d.")
                         % {"old": old.version, "v": pub.version})
