"""Remote commands for kiosks (issue 14, item 4) and their audit trail."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from central.fleet.models import Kiosk

KINDS = ["restart", "sync", "screenshot", "logs"]
#: A command with one of these results is never sent again.
FINAL = ("done", "failed")


class KioskCommand(models.Model):
    """One command to one kiosk. The uuid is what the kiosk remembers it ran."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kiosk = models.ForeignKey(Kiosk, verbose_name=_("kiosk"), on_delete=models.CASCADE,
                              related_name="commands")
    kind = models.CharField(_("kind"), max_length=20, choices=[(k, k) for k in KINDS])
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("issued by"),
                                  on_delete=models.SET_NULL, null=True, blank=True)
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)
    status = models.CharField(_("status"), max_length=20, default="pending")
    result = models.CharField(_("result"), max_length=500, blank=True)
    attachment = models.BinaryField(_("attachment"), null=True, blank=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)

    class Meta:
        verbose_name = _("kiosk command")
        verbose_name_plural = _("kiosk commands")
        ordering = ["-issued_at"]
        indexes = [models.Index(fields=["kiosk", "status"])]

    def __str__(self) -> str:
        return f"{self.kiosk} {self.kind}"


class CommandAudit(models.Model):
    """Who issued a command, and every result the kiosk reported: kept, never edited."""

    command = models.ForeignKey(KioskCommand, verbose_name=_("command"), on_delete=models.PROTECT,
                                related_name="audit")
    at = models.DateTimeField(_("at"), default=timezone.now)
    actor = models.CharField(_("by"), max_length=150)
    action = models.CharField(_("action"), max_length=40)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        verbose_name = _("command audit entry")
        verbose_name_plural = _("command audit entries")
        ordering = ["at", "pk"]
