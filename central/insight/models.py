"""Usage events from kiosks (no personal data), their daily rollups, and 差评 follow-ups.

UsageEvent is the raw record: on PostgreSQL a table partitioned by month on `at` (migration
0002), on SQLite a plain table. Dashboards and reports never read it: they read DailyCount,
which `refresh` (central/insight/rollup.py) rebuilds for the kiosk-days marked in DirtyDay.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from central.fleet.models import Kiosk


class UsageEvent(models.Model):
    #: The kiosk's event uuid: a resent event (same uuid, same time) is stored once. On
    #: PostgreSQL the unique index must hold the partition key, hence (uuid, at).
    uuid = models.UUIDField()
    kiosk = models.ForeignKey(Kiosk, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    county_id = models.BigIntegerField()
    kind = models.CharField(max_length=20)
    at = models.DateTimeField()
    detail = models.JSONField(default=dict)
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["uuid", "at"], name="usage_event_once")]
        indexes = [models.Index(fields=["kiosk", "at"], name="usage_event_kiosk_at")]

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%Y-%m-%d %H:%M}"


class DirtyDay(models.Model):
    """A kiosk-day that received events since its rollup was last built. `seq` grows with
    each batch, so a refresh racing an ingest leaves the mark for the next refresh."""

    kiosk = models.ForeignKey(Kiosk, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    seq = models.BigIntegerField(default=1)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kiosk", "day"], name="dirty_day_once")]


class DailyCount(models.Model):
    """One figure of one kiosk on one day (the bureau's date): `metric` with up to two keys,
    a count and a sum (seconds of visits, levels of ratings)."""

    day = models.DateField()
    kiosk = models.ForeignKey(Kiosk, on_delete=models.CASCADE, related_name="+")
    county_id = models.BigIntegerField()
    office_id = models.BigIntegerField(null=True)
    metric = models.CharField(max_length=20)
    key1 = models.CharField(max_length=80, default="")
    key2 = models.CharField(max_length=80, default="")
    count = models.BigIntegerField(default=0)
    total = models.BigIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["county_id", "day", "metric"], name="daily_county_day"),
                   models.Index(fields=["kiosk", "day"], name="daily_kiosk_day")]


class UptimeDay(models.Model):
    """Heartbeats a kiosk sent on a day: uptime = beats x poll interval / the day's seconds."""

    kiosk = models.ForeignKey(Kiosk, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    beats = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kiosk", "day"], name="uptime_day_once")]


class FollowUp(models.Model):
    """A bad rating whose resident asked to be called back: a task for the county's staff.
    The phone is stored only encrypted with the casework at-rest key, and removed on schedule."""

    OPEN, CALLED, CLOSED = "open", "called", "closed"
    # Both languages in the label: the shared catalogue's "closed" is an office's (休息).
    STATUSES = [(OPEN, "待回访 · to call back"), (CALLED, "已回访 · called back"),
                (CLOSED, "已办结 · closed")]
    rating = models.UUIDField(_("rating event"), unique=True)
    kiosk = models.ForeignKey(Kiosk, verbose_name=_("kiosk"), on_delete=models.SET_NULL, null=True,
                              related_name="+")
    county = models.ForeignKey("org.County", verbose_name=_("county"), on_delete=models.PROTECT,
                               related_name="+")
    level = models.PositiveSmallIntegerField(_("rating"))
    reasons = models.JSONField(_("reasons"), default=list)
    rated_at = models.DateTimeField(_("rated at"))
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    due = models.DateField(_("feedback due"))
    phone = models.BinaryField(null=True, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=STATUSES, default=OPEN, db_index=True)
    #: What staff did (their words; staff are told not to write the number here).
    action = models.TextField(_("what was done"), blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    purged_at = models.DateTimeField(_("phone removed"), null=True, blank=True)

    class Meta:
        verbose_name = _("bad rating follow-up")
        verbose_name_plural = _("bad rating follow-ups")
        ordering = ["due", "received_at"]

    def __str__(self) -> str:
        return f"{self.rating} {self.level}"


class FollowUpAudit(models.Model):
    """Who saw the phone number or changed the task, when (never the number itself)."""

    task = models.ForeignKey(FollowUp, on_delete=models.PROTECT, related_name="audit")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                             related_name="+")
    username = models.CharField(max_length=150, blank=True)
    at = models.DateTimeField(default=timezone.now)
    action = models.CharField(max_length=30)

    class Meta:
        ordering = ["-at", "-pk"]
