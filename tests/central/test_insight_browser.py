"""The usage dashboard, the drop-off view, the report download and the 差评 follow-up in
headless Chromium against `central serve` filled by `central demo-usage`. Screenshots go
to var/screenshots/central/ for a person to look at."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from central.testing.servers import CentralServer, start_central
from tests.central.conftest import SHOTS, login

RAW = """
import json, datetime as dt
from collections import Counter
from django.utils import timezone
from central.insight.models import UsageEvent
from central.insight.rollup import day_bounds
start = dt.date.fromisoformat(%r); end = dt.date.fromisoformat(%r)
kinds = Counter(UsageEvent.objects.filter(at__gte=day_bounds(start)[0], at__lt=day_bounds(end)[0])
                .values_list("kind", flat=True))
levels = Counter(d["level"] for d in UsageEvent.objects.filter(kind="rating", at__gte=day_bounds(start)[0],
                 at__lt=day_bounds(end)[0]).values_list("detail", flat=True))
print(json.dumps({"kinds": kinds, "levels": levels}))
"""


@pytest.fixture(scope="module")
def filled() -> Iterator[CentralServer]:
    data = Path(tempfile.mkdtemp(prefix="central-insight-"))
    server = start_central(None, data, workers=1, threads=4)
    try:
        server.command("demo-usage", "--days", "6")
        yield server
    finally:
        server.stop()
        shutil.rmtree(data, ignore_errors=True)


def _page(browser: Any, server: CentralServer, user: str, password: str) -> Any:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900}, accept_downloads=True)
    page = context.new_page()
    login(page, server, user, password)
    return page


def _raw(server: CentralServer, start: dt.date, end: dt.date) -> dict[str, Any]:
    return json.loads(server.django(RAW % (start.isoformat(), end.isoformat())))  # type: ignore[no-any-return]


def test_dashboard_figures_and_the_monthly_report(browser: Any, filled: CentralServer) -> None:
    page = _page(browser, filled, filled.demo["admin_user"], filled.demo["admin_password"])
    page.click("#insight-link")  # the admin's way in
    page.wait_for_selector("#chart-visits[data-drawn='1']")
    page.wait_for_selector("#chart-ratings[data-drawn='1']")
    page.screenshot(path=str(SHOTS / "insight-dashboard.png"), full_page=True)
    today = dt.date.fromisoformat(page.input_value("input[name=to]"))
    start = dt.date.fromisoformat(page.input_value("input[name=from]"))
    raw = _raw(filled, start, today + dt.timedelta(days=1))
    levels = raw["levels"]
    rate = round(100 * sum(levels.get(k, 0) for k in ("5", "4", "3")) / sum(levels.values()))
    assert page.inner_text("[data-testid=satisfaction]").strip() == f"{rate}%"
    rows = page.locator("[data-testid=groups] tbody tr")
    assert rows.count() == 3  # three demo kiosks
    visits = sum(int(rows.nth(i).locator("td").nth(1).inner_text()) for i in range(3))
    assert visits == raw["kinds"]["visit_started"]
    page.select_option("select[name=grain]", "week")
    page.select_option("select[name=level]", "town")
    page.click("#filters button[type=submit]")
    page.wait_for_selector("#chart-visits[data-drawn='1']")
    page.screenshot(path=str(SHOTS / "insight-dashboard-weekly-towns.png"), full_page=True)
    # The monthly report of the month of the demo days, from the button, compared with a count
    # over the raw events of that month.
    month_start = (today - dt.timedelta(days=3)).replace(day=1)
    month_end = (month_start + dt.timedelta(days=32)).replace(day=1)
    page.fill("input[name=month]", f"{month_start:%Y-%m}")
    with page.expect_download() as info:
        page.click("#download-report")
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(Path(info.value.path()).read_bytes()))
    first = list(book.worksheets[0].iter_rows(values_only=True))
    assert first[0][:2] == ("服务类型", "次数")
    counts = {row[2]: row[1] for row in first[1:]}
    assert [r[2] for r in first[1:]] == ["visits", "consultations", "queue tickets", "bookings", "applications",
                                         "prints", "ratings"]
    raw_month = _raw(filled, month_start, month_end)["kinds"]
    assert counts["visits"] == raw_month["visit_started"] > 0
    assert counts["queue tickets"] == raw_month["ticket"]
    assert counts["consultations"] == raw_month["flow_started"]
    assert counts["ratings"] == raw_month["rating"]
    page.context.close()


def test_dropoff_and_searches_that_found_nothing(browser: Any, filled: CentralServer) -> None:
    page = _page(browser, filled, filled.demo["admin_user"], filled.demo["admin_password"])
    page.goto(f"{filled.url}/staff/insight/dropoff/?flow=wage-arrears")
    page.wait_for_selector("#chart-dropoff[data-drawn='1']")
    page.screenshot(path=str(SHOTS / "insight-dropoff.png"), full_page=True)
    first = page.locator("[data-testid=dropoff] tbody tr").first
    node = first.get_attribute("data-node")
    reached = int(first.locator("td").nth(1).inner_text())
    count = filled.django(
        "from central.insight.models import UsageEvent as E\n"
        f"print(sum(1 for d in E.objects.filter(kind='node_reached').values_list('detail', flat=True) "
        f"if d == {{'flow': 'wage-arrears', 'node': '{node}'}}))").strip()
    assert reached == int(count) > 0  # the period shown (30 days) holds all the demo days
    misses = page.inner_text("[data-testid=misses]")
    assert "狗咬人" in misses or "邻居噪音" in misses
    page.context.close()


def test_a_bad_rating_is_called_back_and_closed(browser: Any, filled: CentralServer) -> None:
    page = _page(browser, filled, filled.demo["admin_user"], filled.demo["admin_password"])
    page.goto(f"{filled.url}/staff/insight/followups/")
    page.screenshot(path=str(SHOTS / "insight-followups.png"), full_page=True)
    page.locator("[data-testid=followups] tbody tr a").first.click()
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}.*", page.inner_text("[data-testid=due]").strip())
    page.click("#show-phone")
    assert re.fullmatch(r"1380000\d{4}", page.inner_text("[data-testid=phone]").strip())
    assert "viewed_phone" in page.inner_text("[data-testid=audit]")
    page.click("#close-task")  # nothing written: refused with a message, nothing changed
    assert "请写下" in page.inner_text(".error")
    page.fill("#done", "已电话回访，居民的问题已转调解员处理。")
    page.click("#record-call")
    assert "已回访" in page.inner_text("[data-testid=done]") or "called" in page.inner_text("[data-testid=status]")
    page.fill("#done", "已电话回访，调解员已联系居民，办结。")
    page.click("#close-task")
    page.screenshot(path=str(SHOTS / "insight-followup-closed.png"), full_page=True)
    assert page.locator("#close-task").count() == 0
    page.context.close()


def test_a_county_administrator_sees_only_their_county(browser: Any, filled: CentralServer) -> None:
    filled.django(
        "from django.contrib.auth.models import User, Group\n"
        "from central.org.models import County, StaffScope\n"
        "other, _ = County.objects.get_or_create(slug='other-county', defaults={'name': '邻县'})\n"
        "u, made = User.objects.get_or_create(username='neighbour', defaults={'is_staff': True})\n"
        "u.set_password('neighbour-pass-1'); u.save()\n"
        "u.groups.add(Group.objects.get(name='County administrators'))\n"
        "s, _ = StaffScope.objects.get_or_create(user=u); s.counties.set([other])")
    demo_county = filled.django("from central.org.models import County\n"
                                "print(County.objects.exclude(slug='other-county').first().pk)").strip()
    page = _page(browser, filled, "neighbour", "neighbour-pass-1")
    page.goto(f"{filled.url}/staff/insight/?county={demo_county}&level=county")
    page.wait_for_selector("#chart-visits[data-drawn='1']")
    assert "示范县" not in page.inner_text("main")
    assert "没有数据" in page.inner_text("[data-testid=groups]")
    page.screenshot(path=str(SHOTS / "insight-dashboard-other-county.png"), full_page=True)
    page.goto(f"{filled.url}/staff/insight/followups/")
    assert "没有待回访" in page.inner_text("[data-testid=followups]")
    page.context.close()


def test_the_report_command_every_county_one_county_and_an_empty_month(filled: CentralServer) -> None:
    from openpyxl import load_workbook

    out = filled.data_dir / "report.xlsx"
    said = filled.command("report", "--month", "2001-01", "--format", "xlsx", "--out", str(out))
    assert "本月无数据" in said
    rows = list(load_workbook(out).worksheets[0].iter_rows(values_only=True))
    assert len(rows) == 1 and "本月无数据" in str(rows[0])  # the heading only, and it says so
    month = f"{dt.date.today():%Y-%m}"
    pdf = filled.data_dir / "report.pdf"
    filled.command("report", "--county", "demo", "--month", month, "--format", "pdf", "--out", str(pdf))
    assert pdf.read_bytes().startswith(b"%PDF")
    with pytest.raises(RuntimeError, match="YYYY-MM"):
        filled.command("report", "--month", "2026-13", "--out", str(out))
    with pytest.raises(RuntimeError, match="no county"):
        filled.command("report", "--county", "nowhere", "--month", month, "--out", str(out))
