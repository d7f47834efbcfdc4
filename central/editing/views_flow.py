"""The flow list, a flow's page with its map, the map itself, saving and the YAML view."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from central.editing import graph
from central.editing.access import editor_required, get_flow, is_changed, lang, working_copy
from central.editing.checks import by_node, problems_of
from central.editing.doc import DocError, FlowDoc
from central.editing.models import WorkingCopy
from central.editing.plain import plain
from central.editing.store import EditConflict, FlowInvalid, save_flow_text, token
from central.publishing.models import Flow


@editor_required
def flow_list(request: HttpRequest) -> HttpResponse:
    copies = set(WorkingCopy.objects.filter(user=request.user.pk).values_list("flow_id", flat=True))
    rows = [{"flow": f, "editing": f.flow_id in copies} for f in Flow.objects.order_by("flow_id")]
    return render(request, "editing/list.html", {"rows": rows})


def _map_svg(request: HttpRequest, flow_id: str, text: str, doc: FlowDoc | None = None) -> str:
    doc = doc or FlowDoc.read(text)
    problems = by_node(problems_of(flow_id, text), lang(request))
    source = graph.dot_source(doc, problems, lang(request),
                              lambda node_id: reverse("editing-node", args=[flow_id, node_id]))
    return graph.render_svg(source)


@editor_required
def flow_page(request: HttpRequest, flow_id: str) -> HttpResponse:
    flow = get_flow(flow_id)
    copy = working_copy(request.user, flow)
    problems = [{"node": p.node, "message": plain(p.message, lang(request))}
                for p in problems_of(flow_id, copy.text)]
    svg, map_error = "", ""
    try:
        doc = FlowDoc.read(copy.text)
        svg = _map_svg(request, flow_id, copy.text, doc)
        nodes = [{"id": n.get("id"), "kind": n.get("kind")} for n in doc.nodes]
    except (DocError, graph.MapError) as exc:
        map_error, nodes = str(exc), []
    # the SVG's own XML header would be invalid inside the page
    svg = svg[svg.find("<svg"):] if "<svg" in svg else ""
    return render(request, "editing/flow.html", {
        "flow": flow, "copy": copy, "changed": is_changed(copy), "problems": problems,
        "svg": svg, "map_error": map_error, "nodes": nodes,
        "stale": copy.base_token != token(flow.text)})


@editor_required
def map_svg(request: HttpRequest, flow_id: str) -> HttpResponse:
    flow = get_flow(flow_id)
    copy = working_copy(request.user, flow)
    try:
        svg = _map_svg(request, flow_id, copy.text)
    except (DocError, graph.MapError) as exc:
        return HttpResponse(str(exc), status=409, content_type="text/plain; charset=utf-8")
    return HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")


@editor_required
@require_POST
def save_flow(request: HttpRequest, flow_id: str) -> HttpResponse:
    flow = get_flow(flow_id)
    copy = working_copy(request.user, flow)
    if not is_changed(copy):
        messages.info(request, _("Nothing to save: the flow is as it was."))
        return redirect("editing-flow", flow_id)
    comment = request.POST.get("comment", "").strip()[:200]
    try:
        save_flow_text(flow_id, copy.text, request.user, copy.base_token, comment)
    except FlowInvalid as exc:
        messages.error(request, _("Not saved: the kiosk would refuse this flow. Fix the problems "
                                  "marked in red on the map (your changes are kept)."))
        for p in exc.problems[:20]:
            messages.error(request, f"[{p.node or flow_id}] {plain(p.message, lang(request))}")
        return redirect("editing-flow", flow_id)
    except EditConflict as exc:
        messages.error(request, str(exc))
        return redirect("editing-flow", flow_id)
    copy.delete()
    messages.success(request, _("Saved. The change will reach kiosks when content is published."))
    return redirect("editing-flow", flow_id)


@editor_required
@require_POST
def discard(request: HttpRequest, flow_id: str) -> HttpResponse:
    WorkingCopy.objects.filter(user=request.user.pk, flow_id=flow_id).delete()
    messages.info(request, _("Your unsaved changes were discarded; you see the saved flow."))
    return redirect("editing-flow", flow_id)


@editor_required
@require_http_methods(["GET", "POST"])
def yaml_page(request: HttpRequest, flow_id: str) -> HttpResponse:
    """For experts: the whole file, saved through the same function as the forms."""
    flow = get_flow(flow_id)
    text, base, problems, status = flow.text, token(flow.text), [], 200
    if request.method == "POST":
        text = request.POST.get("text", "").replace("\r\n", "\n")
        base = request.POST.get("base_token", "")
        try:
            save_flow_text(flow_id, text, request.user, base, _("Changed in the YAML view"))
        except FlowInvalid as exc:
            problems, status = [str(p) for p in exc.problems], 400
        except EditConflict as exc:
            problems, status = [str(exc)], 409
        else:
            WorkingCopy.objects.filter(flow_id=flow_id, user=request.user.pk).delete()
            messages.success(request, _("Saved."))
            return redirect("editing-flow", flow_id)
    return render(request, "editing/yaml.html", {"flow": flow, "text": text, "base_token": base,
                                                 "problems": problems}, status=status)
