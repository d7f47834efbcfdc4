"""Decisions of legal reviewers on content files (flows and pack files), one row each.

A file is approved when its current text's hash equals the hash of its latest decision that
approved it. The approved text is kept beside the hash so the review page can show what
changed since, even after reversion's history was pruned.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Decision(models.Model):
    APPROVED, RETURNED = "approved", "returned"
    DECISIONS = [(APPROVED, _("approved")), (RETURNED, _("returned"))]

    path = models.CharField(_("file"), max_length=160, db_index=True,
                            help_text=_("flows/<id>.yaml or a pack file's path"))
    decision = models.CharField(_("decision"), max_length=10, choices=DECISIONS)
    text = models.TextField(_("text decided on"))
    text_hash = models.CharField(_("SHA-256 of the text"), max_length=64)
    version_id = models.IntegerField(_("reversion version"), null=True, blank=True)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                 verbose_name=_("reviewer"), related_name="review_decisions")
    system = models.CharField(_("system baseline"), max_length=40, blank=True,
                              help_text=_("why the system approved it (shipped content), else empty"))
    comment = models.TextField(_("comment"), blank=True)
    decided_at = models.DateTimeField(_("decided at"))

    class Meta:
        verbose_name = _("review decision")
        verbose_name_plural = _("review decisions")
        ordering = ["-pk"]  # decisions are appended: the newest is the one in force
        permissions = [("review_content", _("Can approve or return changed content"))]

    def __str__(self) -> str:
        return f"{self.path} {self.decision}"

    @property
    def who(self) -> str:
        from django.utils.translation import gettext

        if self.reviewer is not None:
            return str(self.reviewer.get_username())
        return gettext("system (%(why)s)") % {"why": gettext(self.system) if self.system else "—"}


# Why the system approved a text (Decision.system), for translation.
_SYSTEM_REASONS = (_("shipped"), _("imported"), _("existing"))
