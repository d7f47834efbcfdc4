"""Staff pages of the legal review: what waits for review, and one file's diff, decision
form and history. Anyone who may see flows may look; only legal reviewers decide."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from central.review import state
from central.review.decide import ReviewRefused, decide
from central.review.diff import flow_diff, line_diff
from central.review.gate import describe
from central.review.models import Decision

REVIEW_PERM = "review.review_content"


def _staff(request: HttpRequest) -> Any:
    user = request.user
    if not user.is_staff or not (user.has_perm("publishing.view_flow") or user.has_perm(REVIEW_PERM)):
        raise PermissionDenied(_("You may not see the legal review."))
    return user


def _locale(request: HttpRequest) -> str:
    return "en" if (request.LANGUAGE_CODE or "").startswith("en") else "zh-CN"


@login_required
def review_list(request: HttpRequest) -> HttpResponse:
    _staff(request)
    rows = [{"item": item, "why": describe(item)} for item in state.pending()]
    recent = Decision.objects.select_related("reviewer").filter(system="")[:20]
    return render(request, "review/list.html", {"rows": rows, "recent": recent})


@dataclass(frozen=True)
class Event:
    when: datetime
    who: str
    what: str
    comment: str
    kind: str  # "edit", "approved" or "returned"


def _history(path: str, obj: Any) -> list[Event]:
    events = [Event(v.revision.date_created,
                    v.revision.user.get_username() if v.revision.user else state.not_recorded(),
                    _("saved"), v.revision.get_comment(), "edit") for v in state.versions(obj)[:50]]
    for d in Decision.objects.filter(path=path).select_related("reviewer")[:50]:
        events.append(Event(d.decided_at, d.who, d.get_decision_display(), d.comment, d.decision))
    return sorted(events, key=lambda e: e.when, reverse=True)


@login_required
@require_http_methods(["GET", "POST"])
def review_page(request: HttpRequest, path: str) -> HttpResponse:
    user = _staff(request)
    obj = state.obj_for(path)
    if obj is None:
        raise Http404(_("No such content file."))
    status, error = 200, ""
    if request.method == "POST":
        if not user.has_perm(REVIEW_PERM):
            raise PermissionDenied(_("Only legal reviewers approve or return changes."))
        try:
            done = decide(path, user, request.POST.get("seen", ""), request.POST.get("decision", ""),
                          request.POST.get("comment", "")[:4000])
        except ReviewRefused as exc:
            status, error = 409, str(exc)
            obj = state.obj_for(path) or obj
        else:
            note = _("%(path)s approved.") if done.decision == Decision.APPROVED else _("%(path)s returned.")
            messages.success(request, note % {"path": path})
            return redirect("review-list")
    approval = state.last_approval(path)
    digest = state.text_hash(obj.text)
    waiting = approval is None or approval.text_hash != digest
    before = approval.text if approval is not None else None
    is_flow = path.startswith("flows/")
    diff = flow_diff(before, obj.text, _locale(request)) if is_flow and waiting else None
    raw = line_diff(before or "", obj.text) if not is_flow and waiting else []
    context = {"path": path, "obj": obj, "approval": approval, "waiting": waiting, "diff": diff, "raw": raw,
               "seen": digest, "error": error, "may_decide": user.has_perm(REVIEW_PERM),
               "editors": state.editors_since(obj, approval) if waiting else [],
               "history": _history(path, obj), "comment": request.POST.get("comment", "") if error else ""}
    return render(request, "review/file.html", context, status=status)
