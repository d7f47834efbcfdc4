"""One node: its form (changes go to the editor's working copy), the preview as the
kiosk draws it, adding and deleting nodes."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from central.conf import conf
from central.editing import laws
from central.editing.access import editor_required, get_flow, lang, working_copy
from central.editing.checks import by_node, problems_of
from central.editing.doc import FlowDoc
from central.editing.formctx import node_context
from central.editing.newnode import KINDS, new_node
from central.editing.nodeform import IDENT, read_fields, write_fields
from central.editing.preview import PreviewUnavailable, bundle_for, node_screen


def _doc_and_node(text: str, node_id: str) -> FlowDoc:
    """The flow for reading (fast), with a 404 when it has no such node."""
    doc = FlowDoc.read(text)
    if node_id not in doc.node_ids():
        raise Http404(_("There is no node “%(node)s” in this flow.") % {"node": node_id[:60]})
    return doc


def _citations(post: Any, errors: dict[str, str]) -> None:
    for key in post:
        if key.startswith(("basis-", "deadline-")) and key.endswith("-law.zh-CN"):
            prefix = key[: -len("-law.zh-CN")]
            article = post.get(f"{prefix}-article.zh-CN", "").strip()
            problem = laws.citation_problem(post.get(key, "").strip(), article)
            if problem:
                errors[f"{prefix}-article.zh-CN"] = (_("This citation does not check out: %(why)s")
                                                     % {"why": problem})


@editor_required
@require_http_methods(["GET", "POST"])
def node_page(request: HttpRequest, flow_id: str, node_id: str) -> HttpResponse:
    flow = get_flow(flow_id)
    copy = working_copy(request.user, flow)
    locales = list(conf("LOCALES"))
    doc = _doc_and_node(copy.text, node_id)
    fields: Any = read_fields(copy.text, node_id, locales)
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        new_text, errors = write_fields(copy.text, node_id, request.POST, locales)
        _citations(request.POST, errors)
        if errors:
            fields, status = request.POST, 400  # shown again as typed: nothing is lost
            messages.error(request, _("Not changed: see the fields marked in red."))
        else:
            if new_text != copy.text:
                copy.text = new_text
                copy.save()
                messages.success(request, _("Changed in your working copy. Save the flow when the map "
                                            "shows no problems."))
            return redirect("editing-node", flow_id, node_id)
    ctx = node_context(doc, fields, errors, locales, lang(request))
    problems = by_node(problems_of(flow_id, copy.text), lang(request)).get(node_id, [])
    return render(request, "editing/node.html", {
        "flow": flow, "copy": copy, "problems": problems, "laws": laws.law_titles(),
        "pointing": doc.pointing_at(node_id), "screens": _screens(flow_id, copy.text, node_id),
        "rules": _rules(flow_id, copy.text), **ctx}, status=status)


def _rules(flow_id: str, text: str) -> list[str]:
    """The locality's rule names, for the condition builder (rules.NAME)."""
    try:
        return sorted(bundle_for(flow_id, text).locality.rules)
    except PreviewUnavailable:
        return []


def _screens(flow_id: str, text: str, node_id: str) -> list[dict[str, Any]]:
    """The node in each language as the kiosk draws it ([] while the kiosk cannot load the flow)."""
    try:
        bundle = bundle_for(flow_id, text)
        return [{"locale": loc, "screen": node_screen(bundle, flow_id, node_id, loc)}
                for loc in conf("LOCALES")]
    except (PreviewUnavailable, KeyError):
        return []


@editor_required
def node_preview(request: HttpRequest, flow_id: str, node_id: str) -> HttpResponse:
    flow = get_flow(flow_id)
    copy = working_copy(request.user, flow)
    _doc_and_node(copy.text, node_id)
    screens = _screens(flow_id, copy.text, node_id)
    return render(request, "editing/preview.html", {"flow": flow, "node_id": node_id, "screens": screens,
                                                    "modes": ["normal", "large"]})


@editor_required
@require_POST
def add_node(request: HttpRequest, flow_id: str) -> HttpResponse:
    flow = get_flow(flow_id)
    copy = working_copy(request.user, flow)
    doc = FlowDoc.parse(copy.text)
    node_id, kind = request.POST.get("id", "").strip(), request.POST.get("kind", "")
    if not IDENT.match(node_id) or len(node_id) > 48:
        messages.error(request, _("A node's name uses lower-case letters, digits and _ "
                                  "(e.g. q_has_contract)."))
    elif node_id in doc.node_ids():
        messages.error(request, _("There is already a node “%(id)s”: choose another name.") % {"id": node_id})
    elif kind not in KINDS:
        messages.error(request, _("Choose what kind of node to add."))
    else:
        new_node(doc, node_id, kind, request.POST.get("after") or None)
        copy.text = doc.dump()
        copy.save()
        messages.success(request, _("Node “%(id)s” added. Fill in its texts, then lead a branch to it.")
                         % {"id": node_id})
        return redirect("editing-node", flow_id, node_id)
    return redirect("editing-flow", flow_id)


@editor_required
@require_POST
def delete_node(request: HttpRequest, flow_id: str, node_id: str) -> HttpResponse:
    flow = get_flow(flow_id)
    copy = working_copy(request.user, flow)
    _doc_and_node(copy.text, node_id)
    doc = FlowDoc.parse(copy.text)  # the whole file, round-trip: several nodes may change
    pointing = doc.pointing_at(node_id)
    repoint = request.POST.get("repoint", "").strip() or None
    if pointing and (repoint is None or repoint == node_id or repoint not in doc.node_ids()):
        messages.error(request, _("Not deleted: %(nodes)s lead to “%(id)s”. Choose a node to send them "
                                  "to instead, or change those branches first.")
                       % {"nodes": "、".join(pointing), "id": node_id})
        return redirect("editing-node", flow_id, node_id)
    doc.delete_node(node_id, repoint)
    copy.text = doc.dump()
    copy.save()
    messages.success(request, _("Node “%(id)s” deleted.") % {"id": node_id})
    return redirect("editing-flow", flow_id)


@editor_required
def law_articles(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"articles": laws.articles(request.GET.get("law", "")[:200])})
