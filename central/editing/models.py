"""An editor's working copy of a flow: edits land here first, so a half-finished change
(a new node nothing points to yet) is kept and drawn on the map, and only a copy the
kiosk's validator accepts is saved into the flow (central.editing.store)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkingCopy(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, verbose_name=_("editor"))
    flow_id = models.SlugField(_("flow id"))
    text = models.TextField(_("flow YAML being edited"))
    #: The token of the flow text this copy started from (see store.token).
    base_token = models.CharField(_("based on"), max_length=64)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("working copy")
        verbose_name_plural = _("working copies")
        constraints = [models.UniqueConstraint(fields=["user", "flow_id"], name="one_copy_per_editor")]

    def __str__(self) -> str:
        return f"{self.flow_id} ({self.user_id})"
