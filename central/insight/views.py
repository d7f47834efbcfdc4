"""Staff pages: the county dashboard, drop-off per flow, the report download.

Figures come from the rollups (central/insight/figures.py), scoped to the user's counties:
a county administrator never sees another county's figures; a superuser (the province)
sees every county, one row each. Charts: Chart.js 4 vendored under static/insight/chartjs.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from central.insight import figures as f
from central.insight import flows, report
from central.org.models import County
from central.org.scope import counties_of

GRAINS = {"day": "日", "week": "周", "month": "月"}
LEVELS = {"county": "县（区）", "town": "乡镇（所）", "kiosk": "终端"}


def _staff(request: HttpRequest, perm: str = "insight.view_dailycount") -> Any:
    user = request.user
    if not user.is_staff or not user.has_perm(perm):
        raise PermissionDenied("您无权查看统计 · You may not see usage figures.")
    return user


def _counties(user: Any, wanted: str) -> tuple[list[County], list[County]]:
    """(counties shown, counties the user may pick); `wanted` narrows to one of them."""
    scope = counties_of(user)
    allowed = list(County.objects.all() if scope is None else scope)
    chosen = [c for c in allowed if str(c.pk) == wanted]
    return (chosen or allowed), allowed


def _date(text: str | None, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(text) if text else default
    except ValueError:
        return default


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    shown, allowed = _counties(user, request.GET.get("county", ""))
    today = timezone.localdate()
    end = _date(request.GET.get("to"), today) + dt.timedelta(days=1)
    start = min(_date(request.GET.get("from"), end - dt.timedelta(days=30)), end - dt.timedelta(days=1))
    start = max(start, end - dt.timedelta(days=800))
    grain = str(request.GET.get("grain")) if request.GET.get("grain") in GRAINS else "day"
    level = str(request.GET.get("level")) if request.GET.get("level") in LEVELS else "kiosk"
    scope = f.Scope(tuple(c.pk for c in shown), start, end)
    per = f.services_by(scope, level)
    names = report.level_names(level, [k for k in per if k is not None])
    groups = [{"name": names.get(k, "—"), "counts": [v.get(m, 0) for m, _, _ in f.SERVICES]}
              for k, v in sorted(per.items(), key=lambda kv: names.get(kv[0], ""))]
    titles = flows.titles()
    outcomes = [{"flow": titles.get(k1, k1), "outcome": k2, "n": n}
                for k1, k2, n in f.by_keys(scope, "outcome", 15)]
    matters = [{"flow": titles.get(k1, k1), "n": n}
               for k1, n in _sum_key1(f.by_keys(scope, "flow_started", 500))]
    rated = f.ratings(scope)
    data: dict[str, Any] = {
        "visits": f.series(scope, "visits", grain),
        "services": [[zh, n] for _, zh, _, n in f.services(scope)],
        "ratings": rated,
        "matters": [[m["flow"], m["n"]] for m in matters[:12]],
    }
    month = (today.replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
    context = {"data": data, "groups": groups, "heads": [zh for _, zh, _ in f.SERVICES],
               "outcomes": outcomes, "tickets": f.tickets(scope), "bookings": f.bookings(scope),
               "applications": f.applications(scope),
               "uptime": f.uptime(scope), "start": start, "end": end - dt.timedelta(days=1), "grain": grain,
               "level": level, "grains": GRAINS, "levels": LEVELS, "allowed": allowed,
               "county": request.GET.get("county", ""), "shown": shown, "month": month,
               "satisfaction": rated["satisfaction"], "status_zh": report.STATUS_ZH}
    return render(request, "insight/dashboard.html", context)


def _sum_key1(rows: list[tuple[str, str, int]]) -> list[tuple[str, int]]:
    sums: dict[str, int] = {}
    for k1, _, n in rows:
        sums[k1] = sums.get(k1, 0) + n
    return sorted(sums.items(), key=lambda kv: -kv[1])


@login_required
def report_download(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    shown, _ = _counties(user, request.GET.get("county", ""))
    month = request.GET.get("month", "")
    fmt = "pdf" if request.GET.get("format") == "pdf" else "xlsx"
    try:
        f.month_scope(None, month)
        data, _ = report.build(shown if counties_of(user) is not None or request.GET.get("county") else None,
                               month, fmt)
    except ValueError:
        return render(request, "insight/message.html",
                      {"message": "月份格式应为 YYYY-MM · The month must be YYYY-MM."}, status=400)
    kind = ("application/pdf" if fmt == "pdf"
            else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response = HttpResponse(data, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="usage-report-{month}.{fmt}"'
    return response


@login_required
def dropoff(request: HttpRequest) -> HttpResponse:
    """Where residents leave each flow, and what they searched for in vain. Content editors
    (one content pack for the province) see every county; county staff their own."""
    user = request.user
    editor = user.is_staff and user.has_perm("publishing.change_flow")
    if not editor:
        _staff(request)
    scope_counties = counties_of(user)
    counties = None if (scope_counties is None or (editor and not scope_counties.exists())) else tuple(
        c.pk for c in scope_counties)
    today = timezone.localdate()
    end = _date(request.GET.get("to"), today) + dt.timedelta(days=1)
    start = min(_date(request.GET.get("from"), end - dt.timedelta(days=30)), end - dt.timedelta(days=1))
    scope = f.Scope(counties, start, end)
    titles = flows.titles()
    flow = request.GET.get("flow") or next(iter(titles), "")
    nodes = flows.dropoff(scope, flow)
    misses = f.by_keys(scope, "search_miss", 200)
    grouped: dict[str, int] = {}
    for query, _, n in misses:
        grouped[query] = grouped.get(query, 0) + n
    context = {"flows": titles, "flow": flow, "nodes": nodes, "start": start,
               "end": end - dt.timedelta(days=1),
               "misses": sorted(grouped.items(), key=lambda kv: -kv[1])[:50],
               "chart": {"labels": [n["node"] for n in nodes], "reached": [n["reached"] for n in nodes],
                         "left": [n["left"] for n in nodes]}}
    return render(request, "insight/dropoff.html", context)
