"""Who may use the flow editor, and the working copy an editor's changes land in."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from central.editing.models import WorkingCopy
from central.editing.store import token
from central.publishing.models import Flow

View = Callable[..., HttpResponse]


def editor_required(view: View) -> View:
    """Staff with the right to change flows (the "Content editors" group, or superusers)."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not user.is_staff or not user.has_perm("publishing.change_flow"):
            raise PermissionDenied(_("Only content editors may edit flows."))
        return view(request, *args, **kwargs)

    return wrapped


def lang(request: HttpRequest) -> str:
    """The content locale matching the editor's language."""
    return "en" if (getattr(request, "LANGUAGE_CODE", "") or "").startswith("en") else "zh-CN"


def get_flow(flow_id: str) -> Flow:
    flow = Flow.objects.filter(flow_id=flow_id).first()
    if flow is None:
        raise Http404(_("There is no flow “%(flow)s”.") % {"flow": flow_id[:60]})
    return flow


def working_copy(user: Any, flow: Flow) -> WorkingCopy:
    """The editor's copy of the flow (unsaved in the database until they change something)."""
    copy = WorkingCopy.objects.filter(user=user, flow_id=flow.flow_id).first()
    return copy or WorkingCopy(user=user, flow_id=flow.flow_id, text=flow.text, base_token=token(flow.text))


def is_changed(copy: WorkingCopy) -> bool:
    return copy.pk is not None and token(copy.text) != copy.base_token
