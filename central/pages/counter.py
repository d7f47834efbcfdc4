"""The staff counter page: call next, recall, no-show, finish. Staff of the office's county only."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from central.org.scope import counties_of
from central.queueing import logic
from central.queueing.models import Counter, Ticket

ACTIONS = {"next": logic.call_next, "recall": logic.recall, "no_show": logic.no_show, "finish": logic.finish}


def _allowed(request: HttpRequest, counter: Counter) -> bool:
    user = request.user
    if not user.is_staff or not user.has_perm("queueing.change_ticket"):
        return False
    counties = counties_of(user)
    return counties is None or counties.filter(pk=counter.office.county_id).exists()


@login_required
def counter_list(request: HttpRequest) -> HttpResponse:
    counters = [c for c in Counter.objects.select_related("office").prefetch_related("services")
                if _allowed(request, c)]
    return render(request, "central/counter_list.html", {"counters": counters})


@login_required
@require_http_methods(["GET", "POST"])
def counter_page(request: HttpRequest, counter_id: int) -> HttpResponse:
    counter = get_object_or_404(Counter.objects.select_related("office"), pk=counter_id)
    if not _allowed(request, counter):
        raise PermissionDenied(_("You may not serve at this counter."))
    if request.method == "POST":
        action = ACTIONS.get(request.POST.get("action", ""))
        if action is None:
            return HttpResponse(status=400)
        action(counter)
        return redirect("counter", counter_id=counter.pk)
    services = list(counter.services.all())
    waiting = (Ticket.objects.filter(office_id=counter.office_id, service__in=services,
                                     day=timezone.localdate(), status=Ticket.WAITING)
               .select_related("service").order_by("rank", "issued_at", "pk"))
    counts = waiting.values("service__prefix", "service__name_zh").annotate(n=Count("id")).order_by(
        "service__prefix")
    return render(request, "central/counter.html", {
        "counter": counter, "current": logic.current(counter), "upcoming": list(waiting[:8]),
        "counts": counts, "total": waiting.count()})
