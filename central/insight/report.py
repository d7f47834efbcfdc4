"""The monthly report: the figures a bureau reports, in Chinese, as a workbook (openpyxl) or
a PDF (WeasyPrint: the house's PDF tool, and it embeds Noto Sans CJK, which ReportLab cannot).

The first sheet has one row per service type with its count (a month without any usage has
no rows there and says so). Below county level (town = office, kiosk) counts of 1 to 4 are
shown as "<5" so that no resident can be singled out; county totals are exact.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass, field
from typing import Any

from django.template.loader import render_to_string

from central.fleet.models import Kiosk
from central.insight import figures as f
from central.insight import flows
from central.org.models import County, Office

SMALL = 5
STATUS_ZH = {"waiting": "等候中", "called": "已叫号", "served": "已办理", "no_show": "过号未到",
             "booked": "已预约", "cancelled": "已取消", "checked_in": "已签到", "received": "已接收",
             "accepted": "已受理", "more_needed": "需补充材料", "refused": "不予受理", "closed": "已办结"}
LEVEL_ZH = {"5": "非常满意", "4": "满意", "3": "基本满意", "2": "不满意", "1": "非常不满意"}


def suppress(value: int) -> int | str:
    return "<5" if 0 < value < SMALL else value


@dataclass
class Sheet:
    title: str
    header: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    note: str = ""


def level_names(level: str, ids: list[Any]) -> dict[Any, str]:
    """What to call each county, town (office) or kiosk id in a table (the report and the pages)."""
    if level == "county":
        return {c.pk: c.name for c in County.objects.filter(pk__in=ids)}
    if level == "town":
        return {o.pk: o.name for o in Office.objects.filter(pk__in=ids)}
    return {k.pk: k.code for k in Kiosk.objects.filter(pk__in=ids)}


def sheets(scope: f.Scope, title: str) -> list[Sheet]:
    services = f.services(scope)
    has_data = any(n for _, _, _, n in services)
    first = Sheet("服务统计", ["服务类型", "次数", "英文"],
                  [[zh, n, en] for _, zh, en, n in services] if has_data else [],
                  "" if has_data else f"{title}：本月无数据（no usage recorded this month）")
    out = [first]
    titles = flows.titles()
    matters = Sheet("按事项咨询", ["事项", "流程", "进入方式", "次数"],
                    [[titles.get(k1, k1), k1, k2, n] for k1, k2, n in f.by_keys(scope, "flow_started", 500)])
    outcomes = Sheet("结果分布", ["事项", "流程", "结果", "次数"],
                     [[titles.get(k1, k1), k1, k2, n] for k1, k2, n in f.by_keys(scope, "outcome", 500)])
    out += [matters, outcomes]
    heads = [zh for _, zh, _ in f.SERVICES]
    for level, label in (("county", "县（区）"), ("town", "乡镇（所）"), ("kiosk", "终端")):
        per = f.services_by(scope, level)
        names = level_names(level, [k for k in per if k is not None])
        rows = []
        for group, values in sorted(per.items(), key=lambda kv: names.get(kv[0], "")):
            counts = [values.get(m, 0) for m, _, _ in f.SERVICES]
            shown = counts if level == "county" else [suppress(n) for n in counts]
            rows.append([names.get(group, "（未归属）"), *shown])
        note = "" if level == "county" else "小于 5 的数显示为 <5，以免识别个人"
        out.append(Sheet(f"按{label}", [label, *heads], rows, note))
    rated = f.ratings(scope)
    rate = rated["satisfaction"]
    satisfaction = Sheet("满意度", ["评价等级", "次数"],
                         [[LEVEL_ZH[k], n] for k, n in rated["levels"].items()]
                         + [["合计", rated["total"]],
                            ["满意率（非常满意+满意+基本满意）/全部",
                             f"{rate:.1%}" if rate is not None else "—"]])
    out.append(satisfaction)
    queue = f.tickets(scope)
    lines: list[list[Any]] = [["取号总数", queue["issued"]]]
    lines += [[f"取号·{STATUS_ZH.get(k, k)}", n] for k, n in sorted(queue["by_status"].items())]
    lines += [["平均等候（分钟）", queue["wait_avg_min"] if queue["wait_avg_min"] is not None else "—"]]
    lines += [[f"预约·{STATUS_ZH.get(k, k)}", n] for k, n in sorted(f.bookings(scope).items())]
    lines += [[f"申请·{STATUS_ZH.get(k, k)}", n] for k, n in sorted(f.applications(scope).items())]
    out.append(Sheet("排队预约申请", ["项目", "数量"], lines))
    out.append(Sheet("终端在线率", ["终端", "在线率"], [[c, f"{u:.1%}"] for c, u in f.uptime(scope)]))
    return out


def xlsx(parts: list[Sheet]) -> bytes:
    from openpyxl import Workbook  # type: ignore[import-untyped]
    from openpyxl.styles import Font  # type: ignore[import-untyped]

    book = Workbook()
    book.remove(book.active)
    for part in parts:
        ws = book.create_sheet(part.title[:31])
        ws.append(part.header + ([part.note] if part.note else []))
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in part.rows:
            ws.append(row)
        ws.column_dimensions["A"].width = 36
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def pdf(parts: list[Sheet], title: str) -> bytes:
    for name in ("weasyprint", "weasyprint.progress"):  # its progress lines are noise here
        logging.getLogger(name).setLevel(logging.WARNING)
    from weasyprint import HTML  # type: ignore[import-untyped]


    html = render_to_string("insight/report.html", {"title": title, "sheets": parts})
    return bytes(HTML(string=html).write_pdf())


def build(counties: list[County] | None, month: str, fmt: str) -> tuple[bytes, bool]:
    """The report file and whether the month had any usage; ValueError for a bad month."""
    scope = f.month_scope(None if counties is None else [c.pk for c in counties], month)
    where = "、".join(c.name for c in counties) if counties else "全部县（区）"
    title = f"{where} {month} 公共法律服务自助终端月报"
    parts = sheets(scope, title)
    data = xlsx(parts) if fmt == "xlsx" else pdf(parts, title)
    return data, bool(parts[0].rows)
