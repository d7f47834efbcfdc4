"""Working plans, the slots they make, and bookings. Capacity is kept by the database."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from central.fleet.models import Kiosk
from central.org.models import County, Office, Service

WEEKDAYS = [(1, _("Mon")), (2, _("Tue")), (3, _("Wed")), (4, _("Thu")), (5, _("Fri")),
            (6, _("Sat")), (7, _("Sun"))]


class WorkingPlan(models.Model):
    """Weekly hours of one service at one office: opening, a break, slot length, capacity."""

    office = models.ForeignKey(Office, verbose_name=_("office"), on_delete=models.CASCADE,
                               related_name="plans")
    service = models.ForeignKey(Service, verbose_name=_("service"), on_delete=models.PROTECT)
    weekdays = models.CharField(_("weekdays"), max_length=7, default="12345",
                                help_text=_("Digits 1 (Monday) to 7 (Sunday), e.g. 12345."))
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))
    break_start = models.TimeField(_("break from"), null=True, blank=True)
    break_end = models.TimeField(_("break until"), null=True, blank=True)
    slot_minutes = models.PositiveSmallIntegerField(_("slot length (minutes)"), default=30)
    capacity = models.PositiveSmallIntegerField(_("capacity per slot"), default=2)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        verbose_name = _("working plan")
        verbose_name_plural = _("working plans")
        ordering = ["office", "service"]

    def __str__(self) -> str:
        return f"{self.office} · {self.service.name_zh} ({self.weekdays})"


class Holiday(models.Model):
    """A day off, or a make-up working day (调休) on a weekend, for a whole county."""

    CLOSED, WORKING = "closed", "working"
    county = models.ForeignKey(County, verbose_name=_("county"), on_delete=models.CASCADE)
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=10, default=CLOSED,
                            choices=[(CLOSED, _("closed")), (WORKING, _("make-up working day"))])
    name = models.CharField(_("name"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        constraints = [models.UniqueConstraint(fields=["county", "date"], name="one_holiday_a_day")]
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


class Slot(models.Model):
    plan = models.ForeignKey(WorkingPlan, on_delete=models.CASCADE, related_name="slots")
    office = models.ForeignKey(Office, on_delete=models.CASCADE)
    service = models.ForeignKey(Service, on_delete=models.CASCADE)
    start = models.DateTimeField(_("start"), db_index=True)
    end = models.DateTimeField(_("end"))
    capacity = models.PositiveSmallIntegerField(_("capacity"))
    booked = models.PositiveSmallIntegerField(_("booked"), default=0)

    class Meta:
        verbose_name = _("slot")
        verbose_name_plural = _("slots")
        constraints = [
            models.UniqueConstraint(fields=["plan", "start"], name="one_slot_per_plan_start"),
            models.CheckConstraint(condition=models.Q(booked__lte=models.F("capacity")),
                                   name="slot_never_overbooked"),
        ]
        ordering = ["start"]

    def __str__(self) -> str:
        return f"{self.service.prefix} {self.start:%Y-%m-%d %H:%M} {self.booked}/{self.capacity}"


class Booking(models.Model):
    BOOKED, CANCELLED, CHECKED_IN, NO_SHOW = "booked", "cancelled", "checked_in", "no_show"
    STATUSES = [(BOOKED, _("booked")), (CANCELLED, _("cancelled")),
                (CHECKED_IN, _("checked in")), (NO_SHOW, _("no-show"))]
    code = models.CharField(_("booking code"), max_length=12, unique=True)
    slot = models.ForeignKey(Slot, verbose_name=_("slot"), on_delete=models.PROTECT,
                             related_name="bookings")
    service = models.ForeignKey(Service, verbose_name=_("service"), on_delete=models.PROTECT)
    office = models.ForeignKey(Office, verbose_name=_("office"), on_delete=models.PROTECT)
    phone = models.CharField(_("phone"), max_length=20)
    status = models.CharField(_("status"), max_length=12, choices=STATUSES, default=BOOKED)
    created_at = models.DateTimeField(_("booked at"), auto_now_add=True)
    kiosk = models.ForeignKey(Kiosk, verbose_name=_("kiosk"), on_delete=models.SET_NULL,
                              null=True, blank=True)

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.code


class PhoneDay(models.Model):
    """Bookings one phone number holds for one day: the per-phone limit, kept by the database."""

    phone_digest = models.CharField(max_length=64)
    day = models.DateField()
    count = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["phone_digest", "day"], name="one_row_per_phone_day")]
