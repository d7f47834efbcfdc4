"""Staff pages for 差评 follow-up: the county's tasks (due date, overdue first), one task
(show the number: audited; record the call; close)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from central.conf import conf
from central.insight import followup
from central.insight.kinds import LEVELS
from central.insight.models import FollowUp

REASONS_ZH = {"not_understood": "没看懂", "not_my_matter": "没有我的事项", "too_slow": "太慢",
              "device_fault": "机器故障", "staff": "工作人员", "other": "其他"}


def _staff(request: HttpRequest, change: bool = False) -> Any:
    user = request.user
    perm = "insight.change_followup" if change else "insight.view_followup"
    if not user.is_staff or not user.has_perm(perm):
        raise PermissionDenied("您无权处理差评回访 · You may not handle bad-rating follow-ups.")
    return user


def _row(task: FollowUp, today: Any) -> dict[str, Any]:
    return {"task": task, "level": LEVELS.get(task.level, task.level),
            "overdue": followup.overdue(task, today),
            "reasons": "、".join(REASONS_ZH.get(r, r) for r in task.reasons)}


@login_required
def task_list(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    show = request.GET.get("show", "open")
    tasks = followup.visible(user)
    if show != "all":
        tasks = tasks.exclude(status=FollowUp.CLOSED)
    today = timezone.localdate()
    rows = [_row(t, today) for t in tasks.order_by("due", "received_at")[:500]]
    rows.sort(key=lambda r: not r["overdue"])
    return render(request, "insight/followups.html", {
        "rows": rows, "show": show, "overdue": sum(r["overdue"] for r in rows),
        "days": conf("FOLLOWUP_WORKING_DAYS")})


@login_required
@require_http_methods(["GET", "POST"])
def task_page(request: HttpRequest, pk: int) -> HttpResponse:
    user = _staff(request)
    task = followup.visible(user).filter(pk=pk).first()
    if task is None:
        raise Http404("没有这个回访任务 · No such follow-up here.")
    phone = ""
    error = ""
    if request.method == "POST":
        _staff(request, change=True)
        action = request.POST.get("action", "")
        if action == "show_phone":
            phone = followup.phone_of(task, user) or "（号码已按期删除 · number removed）"
        elif action in ("called", "close"):
            text = request.POST.get("done", "").strip()
            if not text:
                error = "请写下回访情况和处理结果 · Write down what was done."
            else:
                followup.record(task, user, text, close=action == "close")
                return redirect("insight-followup", pk=task.pk)
    return render(request, "insight/followup.html", {
        "row": _row(task, timezone.localdate()), "phone": phone, "error": error,
        "audit": task.audit.all()[:50]}, status=422 if error else 200)
