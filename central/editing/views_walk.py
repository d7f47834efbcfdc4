"""Walk this flow in the browser as a resident would: the kiosk's engine answers (server
side, on the editor's working copy), and a finished walk can be kept as a scenario test."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from central.editing.access import editor_required, get_flow, lang, working_copy
from central.editing.doc import FlowDoc
from central.editing.preview import (
    PreviewUnavailable,
    bundle_for,
    parse_answer,
    restore_walk,
    scenario_from_walk,
    start_walk,
)
from central.editing.store import EditConflict, FlowInvalid, save_flow_text
from kiosk.flows.answers import InvalidAnswer
from kiosk.flows.engine import StaleSession
from kiosk.flows.engine import default_chain as chain

ACTIONS = ("answer", "advance", "back", "restart", "save")


@editor_required
@require_http_methods(["GET", "POST"])
def walk(request: HttpRequest, flow_id: str) -> HttpResponse:
    flow = get_flow(flow_id)
    copy = working_copy(request.user, flow)
    key = f"walk:{flow_id}"
    locale = request.GET.get("locale") or request.POST.get("locale") or lang(request)
    locale = locale if locale in ("zh-CN", "en") else "zh-CN"
    try:
        bundle = bundle_for(flow_id, copy.text)
    except PreviewUnavailable:
        messages.error(request, _("The kiosk cannot load this flow yet: fix the problems on the map first."))
        return redirect("editing-flow", flow_id)
    state = request.session.get(key)
    try:
        session = restore_walk(bundle, state) if state else start_walk(bundle, flow_id, locale)
    except (StaleSession, KeyError, ValueError, TypeError):
        session = start_walk(bundle, flow_id, locale)
        if state:
            messages.info(request, _("The flow changed, so the walk starts again."))
    session.set_locale(locale)
    error, status = "", 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "restart":
            session = start_walk(bundle, flow_id, locale)
        elif action == "back":
            session.back()
        elif action == "advance":
            session.advance()
        elif action == "answer":
            try:
                session.answer(parse_answer(session.screen(), request.POST.get("answer", "").strip()))
            except InvalidAnswer as exc:
                error, status = exc.message(chain(locale)), 400
        elif action == "save" and session.finished:
            name = request.POST.get("name", "").strip()[:120]
            if not name:
                error, status = _("Give the scenario a name, e.g. “fired without notice”."), 400
            else:
                _save_scenario(request, flow_id, name, session)
        request.session[key] = session.to_json()
        if status == 200:
            return redirect(f"{request.path}?locale={locale}")
    request.session[key] = session.to_json()
    return render(request, "editing/walk.html", {
        "flow": flow, "screen": session.screen(), "finished": session.finished, "error": error,
        "locale": locale, "review": session.review()}, status=status)


def _save_scenario(request: HttpRequest, flow_id: str, name: str, session: object) -> None:
    copy = working_copy(request.user, get_flow(flow_id))
    doc = FlowDoc.parse(copy.text)
    doc.add_scenario(scenario_from_walk(session, name))  # type: ignore[arg-type]
    copy.text = doc.dump()
    copy.save()
    try:
        save_flow_text(flow_id, copy.text, request.user, copy.base_token,
                       _("Scenario “%(name)s” added from a walk") % {"name": name})
    except (FlowInvalid, EditConflict) as exc:
        messages.error(request, _("The scenario is in your working copy but the flow was not saved: "
                                  "%(why)s") % {"why": exc})
        return
    copy.delete()
    messages.success(request, _("Saved the walk as scenario “%(name)s”.") % {"name": name})
