"""Phone pages behind the QR codes of applications: /a/<code> and /o/<flow>/<node>.

No login; the status page shows the name and phone masked, nothing else personal.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from central.casework.codes import normalise
from central.casework.kinds import kind_title
from central.casework.logic import person_of
from central.casework.models import Application
from central.casework.outcome import outcome_view
from central.casework.personal import mask_name
from central.casework.texts import next_step, status_text
from central.org.scope import mask_phone

#: These pages run no script at all: say so to the browser too.
CSP = ("default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; script-src 'none'; "
       "frame-ancestors 'none'; base-uri 'none'; form-action 'none'")


def _page(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    response = render(request, template, context, status=status)
    response["Content-Security-Policy"] = CSP
    return response


def _not_found(request: HttpRequest, what: str) -> HttpResponse:
    return _page(request, "casework/not_found.html", {"what": what}, status=404)


def application_page(request: HttpRequest, code: str) -> HttpResponse:
    wanted = normalise(code[:20])
    app = Application.objects.select_related("office").filter(code=wanted).first() if wanted else None
    if app is None:
        return _not_found(request, "application")
    person = person_of(app)
    status, step = status_text(app), next_step(app)
    return _page(request, "casework/status.html", {
        "app": app, "kind_zh": kind_title(app.kind, "zh-CN"), "kind_en": kind_title(app.kind, "en"),
        "status_zh": status["zh-CN"], "status_en": status["en"], "next_zh": step["zh-CN"],
        "next_en": step["en"], "name": mask_name(person.get("name", "")),
        "phone": mask_phone(person["phone"]) if person.get("phone") else ""})


def outcome_page(request: HttpRequest, flow: str, node: str) -> HttpResponse:
    locale = request.GET.get("l", "zh-CN")
    view = outcome_view(flow[:60], node[:60], locale, request.GET.get("c", "")[:60])
    if view is None:
        return _not_found(request, "outcome")
    return _page(request, "casework/outcome.html", {"o": view, "lang": view.locale,
                                                      "other": "en" if view.locale == "zh-CN" else "zh-CN"})


def blank_form(request: HttpRequest, kind: str) -> HttpResponse:
    """`/f/<kind>`: the kind's A4 form with nothing filled in, as a PDF to print or fill at
    home; the QR a kiosk without an A4 printer shows. No personal data."""
    from central.casework.forms import blank_form_pdf

    pdf = blank_form_pdf(kind[:48]) if kind.replace("-", "").isalnum() else None
    if pdf is None:
        return _not_found(request, "form")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{kind}.pdf"'
    response["Cache-Control"] = "public, max-age=3600"
    return response
