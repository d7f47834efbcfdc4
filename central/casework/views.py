"""Staff pages for applications: the list, one application, the callback queue.

Staff of the receiving body's county with casework permissions; personal fields only for
groups that handle the kind, and every such view audited (central/casework/logic.py).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_http_methods

from central.casework import logic
from central.casework.codes import normalise
from central.casework.kinds import kind_title
from central.casework.models import Application
from central.casework.personal import FIELDS

A = Application
OPEN = (A.RECEIVED, A.MORE_NEEDED, A.ACCEPTED, A.REFUSED, A.WAITING, A.NO_ANSWER, A.CALLED_BACK)
FILTERS = {"open": OPEN, "closed": (A.CLOSED,), "all": tuple(s for s, _ in A.STATUSES)}


def _staff(request: HttpRequest) -> Any:
    user = request.user
    if not user.is_staff or not user.has_perm("casework.view_application"):
        raise PermissionDenied(_("You may not see applications."))
    return user


def _find(request: HttpRequest, code: str) -> Application:
    wanted = normalise(code)
    app = logic.visible(request.user).filter(code=wanted).first() if wanted else None
    if app is None:
        raise Http404(_("No such application here."))
    return app


def _locale(request: HttpRequest) -> str:
    return "en" if (request.LANGUAGE_CODE or "").startswith("en") else "zh-CN"


def _rows(request: HttpRequest, apps: QuerySet[Application]) -> list[dict[str, Any]]:
    today, now, locale = timezone.localdate(), timezone.now(), _locale(request)
    rows = list(apps)
    titles = {kind: kind_title(kind, locale) for kind in {a.kind for a in rows}}
    return [{"app": a, "kind": titles[a.kind], "overdue": a.is_overdue(today),
             "waited": now - a.received_at} for a in rows]


@login_required
def application_list(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    shown = request.GET.get("show", "open")
    statuses = FILTERS.get(shown, OPEN)
    apps = logic.visible(user).filter(status__in=statuses).exclude(kind="callback").order_by(
        "decision_due", "received_at")
    rows = _rows(request, apps[:500])
    rows.sort(key=lambda r: not r["overdue"])  # overdue first, then by due date
    return render(request, "casework/list.html", {"rows": rows, "show": shown,
                                                   "overdue": sum(r["overdue"] for r in rows)})


@login_required
@require_http_methods(["GET", "POST"])
def application_page(request: HttpRequest, code: str) -> HttpResponse:
    user = _staff(request)
    app = _find(request, code)
    status = 200
    error = ""
    if request.method == "POST":
        try:
            app = _act(request, app)
            return redirect("casework-application", code=app.code)
        except logic.CaseClosed as exc:
            error, status = str(exc), 409
        except logic.CaseError as exc:
            error, status = str(exc), 422
        app = _find(request, code)
    person, case = logic.view_personal(app, user)
    staff = [u for u in get_user_model().objects.filter(is_active=True, is_staff=True).order_by("username")
             if logic.handles(u, app.kind) and logic.visible(u).filter(pk=app.pk).exists()]
    context = {
        "app": app, "kind": kind_title(app.kind, _locale(request)), "person": _ordered(person),
        "case": case, "handles": logic.handles(user, app.kind), "may_decide": logic.may_decide(user, app),
        "moves": logic.MOVES.get(app.status, ()), "overdue": app.is_overdue(), "error": error,
        "staff": staff, "audit": app.audit.all()[:50], "max_tries": logic.MAX_TRIES,
    }
    return render(request, "casework/application.html", context, status=status)


@login_required
def application_form(request: HttpRequest, code: str) -> HttpResponse:
    """The filled A4 form (PDF) for a handler of the kind; a view of personal data, audited."""
    from central.casework.api import public_base_url
    from central.casework.forms import form_pdf

    user = _staff(request)
    app = _find(request, code)
    if not logic.handles(user, app.kind) or app.personal is None:
        raise Http404(_("No form for this application."))
    person, case = logic.person_of(app), logic.case_of(app)
    pdf = form_pdf(app, person, case, f"{public_base_url(request)}/a/{app.code}")
    if pdf is None:
        raise Http404(_("No form for this application."))
    logic.audit(app, user, "viewed_personal", fields=sorted(person) + [f"case.{k}" for k in sorted(case)],
                form="pdf")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{app.code}.pdf"'
    return response


def _ordered(person: dict[str, str]) -> list[tuple[str, str]]:
    labels = {"name": _("Name"), "sex": _("Sex"), "ethnicity": _("Ethnicity"),
              "birth_date": _("Date of birth"),
              "id_number": _("ID number"), "address": _("Address"), "phone": _("Phone")}
    sexes = {"male": pgettext("sex", "male"), "female": pgettext("sex", "female")}
    return [(labels[f], sexes.get(person[f], person[f]) if f == "sex" else person[f])
            for f in FIELDS if f in person]


def _act(request: HttpRequest, app: Application) -> Application:
    user, post = request.user, request.POST
    action = post.get("action", "")
    if action == "assign":
        assignee = None
        if post.get("assignee"):
            assignee = get_user_model().objects.filter(pk=_int(post["assignee"])).first()
            if assignee is None:
                raise logic.CaseError(_("No such staff member."))
        return logic.assign(app, user, assignee)
    if action not in logic.MOVES.get(app.status, ()) and action not in dict(A.STATUSES):
        raise logic.CaseError(_("Unknown action."))
    return logic.move(app, user, action, needed=post.get("needed", ""), reason=post.get("reason", ""),
                      basis=post.get("basis", ""))


def _int(value: str) -> int:
    return int(value) if value.isdigit() and len(value) < 18 else 0


@login_required
@require_http_methods(["GET", "POST"])
def callback_queue(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    error, status = "", 200
    if request.method == "POST":
        app = _find(request, request.POST.get("code", ""))
        try:
            logic.move(app, user, request.POST.get("action", ""))
            return redirect("casework-callbacks")
        except logic.CaseClosed as exc:
            error, status = str(exc), 409
        except logic.CaseError as exc:
            error, status = str(exc), 422
    waiting = logic.visible(user).filter(kind="callback", status__in=(A.WAITING, A.NO_ANSWER)).order_by(
        "received_at")[:200]
    rows = _rows(request, waiting)
    for row in rows:
        person, case = logic.view_personal(row["app"], user)
        row["name"], row["phone"], row["case"] = person.get("name", ""), person.get("phone", ""), case
    return render(request, "casework/callbacks.html", {"rows": rows, "error": error,
                                                        "max_tries": logic.MAX_TRIES}, status=status)
