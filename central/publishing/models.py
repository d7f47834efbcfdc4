"""Content as administrators edit it (pack, flows, localities, announcements) and publications."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from central.org.models import County


class PackDocument(models.Model):
    """pack.yaml: topics, the service catalogue and national hotlines (one row)."""

    text = models.TextField(_("pack.yaml"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("content pack (pack.yaml)")
        verbose_name_plural = _("content pack (pack.yaml)")

    def __str__(self) -> str:
        return "pack.yaml"


class Flow(models.Model):
    flow_id = models.SlugField(_("flow id"), unique=True, help_text=_("Also the file name: flows/<id>.yaml."))
    text = models.TextField(_("flow YAML"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   blank=True, editable=False, verbose_name=_("updated by"))

    class Meta:
        verbose_name = _("flow")
        verbose_name_plural = _("flows")
        ordering = ["flow_id"]

    def __str__(self) -> str:
        return self.flow_id

    @property
    def path(self) -> str:
        return f"flows/{self.flow_id}.yaml"


class PackFile(models.Model):
    """Another file of the pack, published and signed with it: an application kind
    (applications/<kind>.yaml) or an A4 form template (forms/<name>.html)."""

    path = models.CharField(_("path"), max_length=120, unique=True,
                            help_text=_("applications/<kind>.yaml or forms/<name>.html"))
    text = models.TextField(_("text"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("pack file (application kind or form)")
        verbose_name_plural = _("pack files (application kinds and forms)")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.path


class LocalityDocument(models.Model):
    """A county's locality file: offices, phone numbers and local figures flows refer to."""

    county = models.OneToOneField(County, on_delete=models.CASCADE, verbose_name=_("county"),
                                  related_name="locality")
    text = models.TextField(_("locality YAML"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("locality file")
        verbose_name_plural = _("locality files")

    def __str__(self) -> str:
        return f"localities/{self.county.slug}.yaml"

    @property
    def path(self) -> str:
        return f"localities/{self.county.slug}.yaml"


class Announcement(models.Model):
    county = models.ForeignKey(County, on_delete=models.CASCADE, verbose_name=_("county"))
    text_zh = models.CharField(_("text (Chinese)"), max_length=300)
    text_en = models.CharField(_("text (English)"), max_length=300, blank=True)
    starts = models.DateTimeField(_("shown from"))
    ends = models.DateTimeField(_("shown until"))

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        ordering = ["-starts"]

    def __str__(self) -> str:
        return self.text_zh[:40]


class Publication(models.Model):
    """One signed TUF version. `files` maps target path -> {"sha256", "length"}."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    published_at = models.DateTimeField(_("published at"), auto_now_add=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                     blank=True, verbose_name=_("published by"))
    files = models.JSONField(_("files"), default=dict)
    changed = models.JSONField(_("changed files"), default=list)
    rollback_of = models.PositiveIntegerField(_("republished from version"), null=True, blank=True)

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"v{self.version}"
