"""Staff accept an application in headless Chromium; the phone page then says accepted.
Screenshots in var/screenshots/central/ (casework-*.png) for a person to look at."""

from __future__ import annotations

import requests

from central.testing.servers import CentralServer
from tests.central.casework_helpers import PERSON, application, publish_kinds
from tests.central.conftest import SHOTS, Api, login


def test_staff_accept_in_the_browser_and_the_phone_page_says_accepted(
        browser: object, sqlite_server: CentralServer) -> None:
    server = sqlite_server
    publish_kinds(server)
    api = Api(server)
    body = application(api)
    assert api.post("/api/v1/applications", body).status_code == 201
    code = body["code"]
    before = requests.get(f"{server.url}/a/{code}", timeout=10).text
    assert "已收到，正在审查" in before

    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    login(page, server)
    caller = application(api, kind="callback", person={"name": "李四", "phone": "13900001111"})
    assert api.post("/api/v1/applications", caller).status_code == 201
    page.goto(f"{server.url}/staff/callbacks/")
    row = page.locator(f"tr[data-code='{caller['code']}']")
    assert "13900001111" in row.inner_text()
    row.locator("button[value=no_answer]").click()
    page.wait_for_load_state()
    assert "1 / 3" in page.locator(f"tr[data-code='{caller['code']}']").inner_text()
    page.screenshot(path=str(SHOTS / "casework-callbacks.png"), full_page=True)
    page.goto(f"{server.url}/staff/applications/")
    page.screenshot(path=str(SHOTS / "casework-list.png"), full_page=True)
    page.click(f"tr[data-code='{code}'] a")
    page.wait_for_selector("[data-testid=person]")
    assert PERSON["name"] in page.inner_text("[data-testid=person]")
    assert page.inner_text("[data-testid=status]").startswith("已收到")
    page.screenshot(path=str(SHOTS / "casework-application.png"), full_page=True)
    phone = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844},  # type: ignore[attr-defined]
                                is_mobile=True, has_touch=True, bypass_csp=True)
    mobile = phone.new_page()
    page.click("[data-testid=accept]")
    page.wait_for_load_state()
    assert page.inner_text("[data-testid=status]").startswith("已受理")
    assert "viewed_personal" in page.inner_text("[data-testid=audit]")
    mobile.goto(f"{server.url}/a/{code}")
    assert mobile.inner_text("[data-testid=status]") == "已受理"
    assert "工作人员会与您联系" in mobile.inner_text("[data-testid=next]")
    assert mobile.inner_text("[data-testid=name]") == "张**"
    assert mobile.evaluate("document.documentElement.scrollWidth") <= 390, "no sideways scrolling"
    mobile.screenshot(path=str(SHOTS / "casework-phone-status.png"), full_page=True)

    page.click("[data-testid=close]")
    page.wait_for_load_state()
    assert page.inner_text("[data-testid=status]").startswith("已办结")
    page.screenshot(path=str(SHOTS / "casework-closed.png"), full_page=True)
    context.close()
    mobile.reload()
    assert mobile.inner_text("[data-testid=status]") == "已办结"
    mobile.goto(f"{server.url}/o/legal-aid/o_apply?l=zh-CN")
    assert "您可以申请法律援助" in mobile.inner_text("[data-testid=title]")
    assert mobile.evaluate("document.documentElement.scrollWidth") <= 390
    mobile.screenshot(path=str(SHOTS / "casework-phone-outcome.png"), full_page=True)
    phone.close()
