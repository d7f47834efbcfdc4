"""Legal review in headless Chromium against `central serve`: an editor changes two flows in
the admin, publishing refuses them by name; the demo legal reviewer sees the diff, returns
one with a comment and approves the other; the editor fixes the returned one, it is
approved, publishing succeeds, and a kiosk's real sync (python-tuf) picks the change up.
Screenshots: var/screenshots/central/review-*.png."""

from __future__ import annotations

import dataclasses
import json
import os
import re
from pathlib import Path
from typing import Any

from central.testing.servers import CentralServer
from tests.central.conftest import SHOTS, login
from tests.central.review_helpers import approve_all

MEDIATION, CONSUMER = "flows/mediation.yaml", "flows/consumer.yaml"


def _kiosk_sync(server: CentralServer, root: str, state: Path) -> Any:
    """The kiosk's own connector (python-tuf client) pointed at this server."""
    from kiosk.config import load_config
    from kiosk.connector.factory import build_connector
    from kiosk.connector.settings import load_central_settings

    env = {k: v for k, v in os.environ.items() if not k.startswith(("KIOSK_", "CENTRAL_", "DATABASE_"))}
    env.update(KIOSK_CENTRAL_URL=server.url, KIOSK_TOKEN=server.demo["kiosk_token"], KIOSK_TUF_ROOT=root,
               KIOSK_STATE_DIR=str(state))
    cfg = load_config(env=env)
    settings = dataclasses.replace(load_central_settings(cfg, env), retries=0, read_timeout_s=20)
    return build_connector(settings, cfg)


def _edit(page: Any, server: CentralServer, flow_id: str, old: str, new: str) -> None:
    page.goto(f"{server.url}/admin/publishing/flow/?q={flow_id}")
    page.click(f"text={flow_id}")
    text = page.input_value("#id_text")
    assert old in text, old
    page.fill("#id_text", text.replace(old, new, 1))
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")


def _publish(page: Any, server: CentralServer) -> str:
    page.goto(f"{server.url}/admin/publishing/publication/")
    page.click("#publish-now")
    page.wait_for_selector(".messagelist")
    return str(page.text_content(".messagelist")).lower()  # the admin capitalises each message


def _decide(page: Any, server: CentralServer, path: str, decision: str, comment: str, shot: str) -> str:
    page.goto(f"{server.url}/staff/review/")
    page.click(f"a[href='/staff/review/{path}']")
    page.fill("#comment", comment)
    body = str(page.inner_html("main"))
    page.screenshot(path=str(SHOTS / shot), full_page=True)
    page.click("#approve" if decision == "approved" else "#return")
    page.wait_for_selector("[data-testid=message]")
    return body


def test_reviewer_returns_one_flow_approves_another_then_publishing_and_kiosk_sync(
        browser: Any, sqlite_server: CentralServer, tmp_path: Path) -> None:
    server = sqlite_server
    approve_all(server)  # whatever earlier tests on this shared server left waiting
    root = json.loads(server.command("publish", "--json"))["root_path"]
    kiosk = _kiosk_sync(server, root, tmp_path / "kiosk")
    assert kiosk.sync is not None
    kiosk.sync.sync_once()

    editor = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    page = editor.new_page()
    login(page, server)
    _edit(page, server, "mediation", "zh-CN: 这件事调解过吗？", "zh-CN: 这件纠纷以前调解过吗？")
    _edit(page, server, "consumer", "zh-CN: 您遇到了什么问题？", "zh-CN: 您遇到了啥问题？")
    refused = _publish(page, server)
    assert MEDIATION in refused and CONSUMER in refused and "admin" in refused, refused
    page.screenshot(path=str(SHOTS / "review-publish-refused.png"), full_page=True)

    reviewer = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    rpage = reviewer.new_page()
    rpage.goto(f"{server.url}/admin/login/")
    rpage.fill("#id_username", server.demo["reviewer_user"])
    rpage.fill("#id_password", server.demo["reviewer_password"])
    rpage.click("input[type=submit]")
    rpage.goto(f"{server.url}/staff/review/")
    waiting = rpage.inner_text("[data-testid=waiting]")
    assert MEDIATION in waiting and CONSUMER in waiting and "admin" in waiting, waiting
    rpage.screenshot(path=str(SHOTS / "review-list.png"), full_page=True)

    seen = _decide(rpage, server, CONSUMER, "returned", "“啥”太口语，请改回规范说法。", "review-consumer.png")
    assert "您遇到了啥问题？" in seen
    shown = _decide(rpage, server, MEDIATION, "approved", "措辞已核对。", "review-mediation.png")
    assert "修改的一步" in shown and "这件<del>事</del>调解过吗？" in shown and "这件<ins>纠纷以前</ins>调解过吗？" in shown
    assert rpage.locator("[data-testid=waiting]").inner_text().count("flows/") == 1

    refused = _publish(page, server)
    assert CONSUMER in refused and MEDIATION not in refused and "退回" in refused, refused
    _edit(page, server, "consumer", "zh-CN: 您遇到了啥问题？", "zh-CN: 您遇到了哪种问题？")
    _decide(rpage, server, CONSUMER, "approved", "改好了。", "review-consumer-fixed.png")
    rpage.goto(f"{server.url}/staff/review/{MEDIATION}")
    history = rpage.inner_text("[data-testid=history]")
    assert "措辞已核对。" in history and "admin" in history and "reviewer" in history, history
    rpage.screenshot(path=str(SHOTS / "review-history.png"), full_page=True)

    published = _publish(page, server)
    assert re.search(r"第 \d+ 版", published), published
    page.screenshot(path=str(SHOTS / "review-published.png"))
    editor.close()
    reviewer.close()

    done = kiosk.sync.sync_once()
    assert set(done.downloaded) == {MEDIATION, CONSUMER}, done.downloaded
    served = kiosk.sync.store.current()
    assert "这件纠纷以前调解过吗？" in (served / MEDIATION).read_text(encoding="utf-8")
    assert "reviewed: " in (served / MEDIATION).read_text(encoding="utf-8")
    kiosk.outbox.close()
