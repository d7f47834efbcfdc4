"""Phone pages behind the QR codes on slips: no login, no personal data beyond a masked phone."""

from __future__ import annotations

from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from central import guesses
from central.booking import logic as booking_logic
from central.errors import ApiError
from central.org.client_address import client_address
from central.org.scope import mask_phone
from central.publishing import tuf_repo
from central.publishing.models import Publication
from central.queueing import logic as queue_logic
from central.queueing.models import Ticket


def _guarded(request: HttpRequest) -> HttpResponse | None:
    """429 while this address has tried too many codes that do not exist (central/guesses.py)."""
    wait = guesses.blocked("page", client_address(request))
    if not wait:
        return None
    response = HttpResponse(_("Too many wrong codes from here. Please try again later."), status=429,
                            content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(wait)
    return response


def ticket_page(request: HttpRequest, ticket_id: str) -> HttpResponse:
    refused = _guarded(request)
    if refused is not None:
        return refused
    ticket = (Ticket.objects.select_related("service", "office", "counter")
              .filter(public_id=ticket_id[:20]).first())
    if ticket is None:
        guesses.miss("page", client_address(request))
        raise Http404("no such ticket")
    ahead = queue_logic.people_ahead(ticket)
    return render(request, "central/ticket.html", {
        "ticket": ticket, "ahead": ahead, "wait": queue_logic.wait_minutes(ticket, ahead)})


def booking_page(request: HttpRequest, code: str) -> HttpResponse:
    refused = _guarded(request)
    if refused is not None:
        return refused
    try:
        booking = booking_logic.find(code[:20])
    except ApiError as exc:
        guesses.miss("page", client_address(request))
        raise Http404("no such booking") from exc
    return render(request, "central/booking.html", {"booking": booking, "phone": mask_phone(booking.phone)})


def healthz(request: HttpRequest) -> JsonResponse:
    """Database reachable, and the TUF repository this node serves: its version and when the
    timestamp expires. 200 while the node can serve; `tuf.ok` false asks the operator to look
    (no repository mounted, or a timestamp that nobody re-signs)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    tuf = tuf_repo.status()
    published = Publication.objects.order_by("-version").values_list("version", flat=True).first()
    tuf["published"] = published or 0
    left, served = tuf.get("expires_in_s"), tuf.get("targets_version")
    # A node on the shared repository serves at least what the database says was published.
    tuf["ok"] = not published or (isinstance(left, int) and left > 0 and isinstance(served, int)
                                  and served >= published)
    return JsonResponse({"ok": True, "database": connection.vendor, "tuf": tuf})
