"""Counters (windows), queue tickets, and the per-day number counter row."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from central.fleet.models import Kiosk
from central.org.models import Office, Service

#: Lower is served first: checked-in appointments, then elderly and disabled, then everyone.
PRIORITY_RANK = {"appointment": 0, "elderly": 1, "disabled": 1, "none": 2}


class Counter(models.Model):
    office = models.ForeignKey(Office, verbose_name=_("office"), on_delete=models.CASCADE,
                               related_name="counters")
    number = models.PositiveSmallIntegerField(_("window number"))
    services = models.ManyToManyField(Service, verbose_name=_("services"))

    class Meta:
        verbose_name = _("counter")
        verbose_name_plural = _("counters")
        constraints = [models.UniqueConstraint(fields=["office", "number"], name="counter_number_per_office")]
        ordering = ["office", "number"]

    def __str__(self) -> str:
        return f"{self.office} · 窗口 {self.number}"


class TicketSequence(models.Model):
    """The last number given for one service at one office on one day; locked to take the next."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE)
    service = models.ForeignKey(Service, on_delete=models.CASCADE)
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["office", "service", "day"],
                                               name="one_sequence_a_day")]


class Ticket(models.Model):
    WAITING, CALLED, SERVED, NO_SHOW = "waiting", "called", "served", "no_show"
    STATUSES = [(WAITING, _("waiting")), (CALLED, _("called")), (SERVED, _("served")),
                (NO_SHOW, _("no-show"))]
    PRIORITIES = [("none", _("none")), ("elderly", _("elderly")), ("disabled", _("disabled")),
                  ("appointment", _("appointment"))]
    public_id = models.CharField(max_length=16, unique=True)
    office = models.ForeignKey(Office, verbose_name=_("office"), on_delete=models.PROTECT)
    service = models.ForeignKey(Service, verbose_name=_("service"), on_delete=models.PROTECT)
    day = models.DateField(_("day"))
    number = models.CharField(_("number"), max_length=16)
    priority = models.CharField(_("priority"), max_length=12, choices=PRIORITIES, default="none")
    rank = models.PositiveSmallIntegerField(default=2)
    issued_at = models.DateTimeField(_("issued at"))
    status = models.CharField(_("status"), max_length=10, choices=STATUSES, default=WAITING)
    counter = models.ForeignKey(Counter, verbose_name=_("counter"), on_delete=models.SET_NULL,
                                null=True, blank=True)
    called_at = models.DateTimeField(_("called at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    calls = models.PositiveSmallIntegerField(_("times called"), default=0)
    #: Set on every call and recall: the display board speaks a ticket again when it changes.
    announced_at = models.DateTimeField(null=True, blank=True, db_index=True)
    kiosk = models.ForeignKey(Kiosk, on_delete=models.SET_NULL, null=True, blank=True)
    provisional = models.BooleanField(_("issued offline by a kiosk"), default=False)

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        ordering = ["rank", "issued_at"]
        indexes = [models.Index(fields=["office", "service", "day", "status", "rank", "issued_at"])]
        constraints = [models.UniqueConstraint(fields=["office", "service", "day", "number"],
                                               name="ticket_number_per_day")]

    def __str__(self) -> str:
        return self.number
