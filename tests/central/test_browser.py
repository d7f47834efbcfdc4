"""The admin, the staff counter page and the display board in headless Chromium (Debian's),
against `central serve`. Screenshots go to var/screenshots/central/ for a person to look at."""

from __future__ import annotations

import json
import re

from central.testing.servers import CentralServer
from tests.central.conftest import SHOTS, Api, login
from tests.central.review_helpers import approve_all

# Record what the board asks the browser to say (headless Chromium has no voices to hear).
SPEECH_PROBE = """
window.__spoken = [];
const realSpeak = window.speechSynthesis ? window.speechSynthesis.speak.bind(window.speechSynthesis) : null;
if (window.speechSynthesis) {
  window.speechSynthesis.speak = (u) => { window.__spoken.push({text: u.text, lang: u.lang}); };
}
"""


def test_admin_edits_a_flow_sees_problems_and_publishes(browser: object, sqlite_server: CentralServer) -> None:
    server = sqlite_server
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(f"{server.url}/admin/login/")
    page.screenshot(path=str(SHOTS / "admin-login.png"))
    login(page, server)
    assert "公共法律服务" in page.inner_text("#site-name")
    page.screenshot(path=str(SHOTS / "admin-index.png"), full_page=True)
    page.goto(f"{server.url}/admin/publishing/flow/?q=wage-arrears")
    page.click("text=wage-arrears")
    text = page.input_value("#id_text")
    page.fill("#id_text", text.replace("goto: ", "goto: zz_", 1))
    page.click("input[name=_save]")
    errors = page.inner_text(".errorlist")
    assert "zz_" in errors and "wage-arrears.yaml" in errors
    page.screenshot(path=str(SHOTS / "admin-flow-problems.png"))
    page.fill("#id_text", text + "\n# checked in the browser test\n")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")
    approve_all(server)  # the legal review itself: tests/central/test_review_browser.py
    page.goto(f"{server.url}/admin/publishing/publication/")
    page.click("#publish-now")
    success = page.inner_text(".messagelist .success")
    assert re.search(r"第 \d+ 版", success), success
    page.screenshot(path=str(SHOTS / "admin-published.png"))
    page.goto(f"{server.url}/admin/fleet/kiosk/")
    assert "demo-kiosk-1" in page.inner_text("#result_list")
    page.screenshot(path=str(SHOTS / "admin-kiosks.png"), full_page=True)
    context.close()
    english = browser.new_context(locale="en-US")  # type: ignore[attr-defined]
    page = english.new_page()
    login(page, server)
    assert "Public legal service" in page.inner_text("#site-name")
    page.screenshot(path=str(SHOTS / "admin-index-en.png"), full_page=True)
    english.close()


def test_staff_calls_next_and_the_board_shows_and_speaks_it(browser: object,
                                                            sqlite_server: CentralServer) -> None:
    server = sqlite_server
    api = Api(server)
    ids = json.loads(server.django(
        "import json; from central.fleet.models import Kiosk; from central.queueing.models import Counter; "
        "k = Kiosk.objects.get(code='demo-kiosk-1'); c = Counter.objects.get(office=k.office, number=1); "
        "print(json.dumps([c.pk, k.office_id]))").strip().splitlines()[-1])
    counter_id, office_id = ids
    # Clear what earlier tests left waiting at this office, so the next call is ours.
    server.django("from central.queueing.models import Ticket; "
                  f"Ticket.objects.filter(office_id={office_id}, status='waiting').update(status='served')")
    plain = api.post("/api/v1/tickets", {"service": "consultation"}).json()
    elder = api.post("/api/v1/tickets", {"service": "consultation", "priority": "elderly"}).json()

    # bypass_csp: the page forbids eval, which Playwright needs to poll the speech probe.
    board_ctx = browser.new_context(locale="zh-CN", viewport={"width": 1920, "height": 1080},  # type: ignore[attr-defined]
                                    bypass_csp=True)
    board_ctx.add_init_script(SPEECH_PROBE)
    board = board_ctx.new_page()
    board.goto(f"{server.url}/board/{office_id}/")
    board.wait_for_selector("#waiting:has-text('等候')")

    staff_ctx = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 800})  # type: ignore[attr-defined]
    staff = staff_ctx.new_page()
    login(staff, server)
    staff.goto(f"{server.url}/staff/counter/{counter_id}/")
    staff.click("button[value=next]")
    staff.wait_for_load_state()
    assert staff.inner_text("[data-testid=current]") == elder["number"], "the elderly resident goes first"
    staff.screenshot(path=str(SHOTS / "counter.png"), full_page=True)

    board.wait_for_selector(f"[data-testid=current-call]:has-text('{elder['number']}')", timeout=10000)
    call = board.inner_text("[data-testid=current-call]")
    assert elder["number"] in call and "窗口 1" in call and "→" in call
    board.wait_for_function("window.__spoken.length > 0", timeout=5000)
    spoken = board.evaluate("window.__spoken")
    assert spoken[0]["lang"] == "zh-CN" and "1 号窗口" in spoken[0]["text"]
    board.screenshot(path=str(SHOTS / "board.png"))

    staff.click("button[value=recall]")
    board.wait_for_function("window.__spoken.length > 2", timeout=10000)  # said twice, then again
    staff.click("button[value=next]")
    assert staff.inner_text("[data-testid=current]") == plain["number"]
    board.wait_for_selector(f"[data-testid=current-call]:has-text('{plain['number']}')", timeout=10000)
    board.screenshot(path=str(SHOTS / "board-next.png"))

    phone = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})  # type: ignore[attr-defined]
    q = phone.new_page()
    q.goto(plain["url"])
    assert "1 号窗口" in q.inner_text("body")
    q.screenshot(path=str(SHOTS / "phone-ticket.png"), full_page=True)
    for ctx in (board_ctx, staff_ctx, phone):
        ctx.close()
