"""The kiosk fleet: registered terminals, their hashed tokens, health and reported events."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from central.org.models import County, Office

#: The kiosk's own rule (kiosk/connector/settings.py): a capital letter, then up to 5 more.
PREFIX_VALIDATOR = RegexValidator(r"^[A-Z][A-Z0-9]{0,5}$",
                                  _("A capital letter, then up to 5 capital letters or digits."))


def token_digest(token: str) -> str:
    """Tokens are 256-bit random strings, so one SHA-256 is enough (no password stretching)."""
    return hashlib.sha256(token.encode()).hexdigest()


class Kiosk(models.Model):
    county = models.ForeignKey(County, verbose_name=_("county"), on_delete=models.PROTECT,
                               related_name="kiosks")
    office = models.ForeignKey(Office, verbose_name=_("office"), on_delete=models.SET_NULL,
                               null=True, blank=True,
                               help_text=_("Where its queue tickets are for."))
    code = models.SlugField(_("kiosk id"), unique=True)
    #: Offline tickets from this kiosk are numbered `<prefix>-017`; kept here so a kiosk cannot
    #: claim server numbers (A002) or another kiosk's tickets. Blank: given K<id> on first save.
    ticket_prefix = models.CharField(
        _("offline ticket prefix"), max_length=6, blank=True, validators=[PREFIX_VALIDATOR],
        help_text=_("Must match ticket_prefix in the kiosk's kiosk.toml (e.g. K3)."))
    location = models.CharField(_("location"), max_length=200, blank=True)
    token_hash = models.CharField(_("token digest"), max_length=64, blank=True, editable=False,
                                  db_index=True)
    token_issued_at = models.DateTimeField(_("token issued"), null=True, blank=True, editable=False)
    revoked = models.BooleanField(_("revoked"), default=False)
    last_heartbeat = models.DateTimeField(_("last heartbeat"), null=True, blank=True, editable=False)
    state = models.CharField(_("state"), max_length=40, blank=True, editable=False)
    content_version = models.CharField(_("content version"), max_length=80, blank=True, editable=False)
    app_version = models.CharField(_("app version"), max_length=40, blank=True, editable=False)
    printer_status = models.CharField(_("printer"), max_length=40, blank=True, editable=False)
    paper = models.CharField(_("paper"), max_length=20, blank=True, editable=False)
    health = models.JSONField(_("device health"), default=dict, blank=True, editable=False)
    #: A remote command has no final result yet (central/fleet/commands.py keeps it): a heartbeat
    #: looks the commands up only then, not on every beat of every kiosk.
    commands_waiting = models.BooleanField(_("commands waiting"), default=False, editable=False)

    class Meta:
        verbose_name = _("kiosk")
        verbose_name_plural = _("kiosks")
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["county", "ticket_prefix"],
                                               condition=~models.Q(ticket_prefix=""),
                                               name="ticket_prefix_per_county")]

    def __str__(self) -> str:
        return self.code

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        prefix = f"K{self.pk}"
        if not self.ticket_prefix and self.pk < 100000 and not Kiosk.objects.filter(
                county_id=self.county_id, ticket_prefix=prefix).exists():
            self.ticket_prefix = prefix
            Kiosk.objects.filter(pk=self.pk).update(ticket_prefix=prefix)

    def issue_token(self) -> str:
        """A new token; the old one stops working. The plain token is shown once, never stored."""
        token = secrets.token_urlsafe(32)
        self.token_hash = token_digest(token)
        self.token_issued_at = timezone.now()
        self.revoked = False
        return token

    def revoke(self) -> None:
        self.revoked = True
        self.token_hash = ""


class KioskEvent(models.Model):
    KINDS = ["paper_out", "paper_near_end", "printer_offline", "content_verification_failed",
             "content_stale", "crash_restart", "usage"]
    kiosk = models.ForeignKey(Kiosk, on_delete=models.CASCADE, related_name="events",
                              verbose_name=_("kiosk"))
    kind = models.CharField(_("kind"), max_length=40, choices=[(k, k) for k in KINDS])
    at = models.DateTimeField(_("at"))
    received_at = models.DateTimeField(_("received"), auto_now_add=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        verbose_name = _("kiosk event")
        verbose_name_plural = _("kiosk events")
        ordering = ["-at"]
        indexes = [models.Index(fields=["kiosk", "-at"])]

    def __str__(self) -> str:
        return f"{self.kiosk} {self.kind}"


class IdempotencyRecord(models.Model):
    """The first answer to a kiosk's POST, so a retried POST gets it again (kept >= 24 h)."""

    kiosk = models.ForeignKey(Kiosk, on_delete=models.CASCADE)
    key = models.CharField(max_length=100)
    body_digest = models.CharField(max_length=64)
    path = models.CharField(max_length=200)
    status = models.PositiveSmallIntegerField()
    response = models.BinaryField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kiosk", "key"], name="idempotency_key_per_kiosk")]


# Remote commands live in their own module; imported here so Django finds the models.
from central.fleet.command_models import CommandAudit, KioskCommand  # noqa: E402

__all__ = ["CommandAudit", "IdempotencyRecord", "Kiosk", "KioskCommand", "KioskEvent", "token_digest"]
