"""Applications from kiosks, who may handle which kind, and the audit trail.

Personal fields (and the resident's free-text case fields) are stored only encrypted with
the at-rest key (central/casework/keys.py); `__str__` and the admin never show them.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from central.fleet.models import Kiosk
from central.org.models import Office


class Application(models.Model):
    RECEIVED, ACCEPTED, MORE_NEEDED, REFUSED = "received", "accepted", "more_needed", "refused"
    CLOSED = "closed"
    WAITING, CALLED_BACK, NO_ANSWER = "waiting", "called_back", "no_answer"
    # Status words have their own context: "received" is also a field label elsewhere.
    STATUSES = [(RECEIVED, pgettext_lazy("status", "received")),
                (ACCEPTED, pgettext_lazy("status", "accepted")),
                (MORE_NEEDED, pgettext_lazy("status", "more material needed")),
                (REFUSED, pgettext_lazy("status", "refused")), (CLOSED, pgettext_lazy("status", "closed")),
                (WAITING, pgettext_lazy("status", "waiting for a call")),
                (CALLED_BACK, pgettext_lazy("status", "called back")),
                (NO_ANSWER, pgettext_lazy("status", "no answer"))]
    #: Not yet decided: the statutory clock runs.
    UNDECIDED = (RECEIVED, WAITING, NO_ANSWER)

    code = models.CharField(_("application code"), max_length=8, unique=True)
    kind = models.SlugField(_("kind"), max_length=48)
    flow = models.CharField(_("flow"), max_length=48, blank=True)
    outcome = models.CharField(_("outcome"), max_length=48, blank=True)
    content_version = models.CharField(_("content version"), max_length=80, blank=True)
    locale = models.CharField(_("language"), max_length=10, blank=True)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    consent = models.JSONField(_("consent"), default=dict, blank=True)
    kiosk = models.ForeignKey(Kiosk, verbose_name=_("kiosk"), on_delete=models.SET_NULL, null=True,
                              blank=True)
    office = models.ForeignKey(Office, verbose_name=_("receiving body"), on_delete=models.PROTECT,
                               related_name="applications")
    status = models.CharField(_("status"), max_length=12, choices=STATUSES, default=RECEIVED,
                              db_index=True)
    created_at = models.DateTimeField(_("made at the kiosk"))
    received_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    decision_due = models.DateField(_("decision due"), null=True, blank=True)
    decision_basis = models.CharField(_("deadline basis"), max_length=200, blank=True)
    retention_days = models.PositiveIntegerField(_("keep personal data (days after closing)"), default=365)
    #: SecretBox(JSON person) and SecretBox(JSON case fields); NULL once purged.
    personal = models.BinaryField(null=True, editable=False)
    case_fields = models.BinaryField(null=True, editable=False)
    #: SHA-256 of what the kiosk sent (the person as unsealed, not the box): a resend of the
    #: same application under the same code is recognised; a different one is `code_taken`.
    digest = models.CharField(max_length=64, editable=False)
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("assigned to"),
                                    on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    needed = models.TextField(_("material needed"), blank=True)
    refusal_reason = models.TextField(_("reason for refusal"), blank=True)
    refusal_basis = models.CharField(_("legal basis of the refusal"), max_length=200, blank=True)
    tries = models.PositiveSmallIntegerField(_("call attempts"), default=0)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    purged_at = models.DateTimeField(_("personal data deleted"), null=True, blank=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-received_at"]
        permissions = [("decide_application", _("Can change the status of applications"))]

    def __str__(self) -> str:
        return f"{self.code} {self.kind}"

    @property
    def shown_code(self) -> str:
        return f"{self.code[:4]}-{self.code[4:]}"

    @property
    def is_callback(self) -> bool:
        return self.kind == "callback"

    def is_overdue(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.status in self.UNDECIDED and self.decision_due is not None and self.decision_due < today


class KindAccess(models.Model):
    """Members of `group` handle applications of `kind`: they see its personal fields and decide."""

    group = models.ForeignKey(Group, verbose_name=_("group"), on_delete=models.CASCADE,
                              related_name="application_kinds")
    kind = models.SlugField(_("application kind"), max_length=48,
                            help_text=_("An application kind id, e.g. legal-aid, or * for every kind."))

    class Meta:
        verbose_name = _("kind handled by a group")
        verbose_name_plural = _("kinds handled by groups")
        constraints = [models.UniqueConstraint(fields=["group", "kind"], name="one_kind_per_group")]

    def __str__(self) -> str:
        return f"{self.group} · {self.kind}"


class AuditEntry(models.Model):
    """Who did or saw what, when: every status change and every view of personal data."""

    application = models.ForeignKey(Application, verbose_name=_("application"), on_delete=models.PROTECT,
                                    related_name="audit")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.SET_NULL,
                             null=True, blank=True, related_name="+")
    username = models.CharField(_("user name"), max_length=150, blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)
    action = models.CharField(_("action"), max_length=30)
    #: Non-personal: statuses, field names, an assignee's user name, never a value.
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action}"


class LookupMiss(models.Model):
    """Status look-ups that found nothing, per kiosk and hour: guessing codes is rate-limited."""

    kiosk = models.ForeignKey(Kiosk, on_delete=models.CASCADE)
    hour = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kiosk", "hour"], name="one_miss_row_per_hour")]
