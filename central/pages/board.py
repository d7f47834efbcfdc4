"""The waiting-room display board: big numbers, "A023 → 窗口 2", spoken by the browser."""

from __future__ import annotations

from django.db.models import Count
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from central.org.models import Office
from central.publishing.models import Announcement
from central.queueing.models import Ticket

SHOWN = 6


def board_page(request: HttpRequest, office_id: int) -> HttpResponse:
    office = get_object_or_404(Office, pk=office_id)
    return render(request, "central/board.html", {"office": office})


def board_state(request: HttpRequest, office_id: int) -> JsonResponse:
    office = get_object_or_404(Office, pk=office_id)
    today = timezone.localdate()
    called = (Ticket.objects.filter(office=office, day=today, announced_at__isnull=False)
              .exclude(status=Ticket.WAITING).select_related("counter", "service")
              .order_by("-announced_at")[:SHOWN])
    waiting = (Ticket.objects.filter(office=office, day=today, status=Ticket.WAITING)
               .values("service__prefix", "service__name_zh").annotate(n=Count("id"))
               .order_by("service__prefix"))
    now = timezone.now()
    notes = Announcement.objects.filter(county_id=office.county_id, starts__lte=now, ends__gt=now)
    return JsonResponse({
        "office": office.name,
        "now": timezone.localtime(now).isoformat(),
        "called": [{"number": t.number, "counter": t.counter.number if t.counter else None,
                    "status": t.status, "key": f"{t.pk}:{t.calls}"} for t in called],
        "waiting": [{"prefix": w["service__prefix"], "service": w["service__name_zh"], "count": w["n"]}
                    for w in waiting],
        "announcements": [a.text_zh for a in notes],
    })
