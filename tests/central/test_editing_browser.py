"""The flow editor in headless Chromium (issue 17): a content editor who never sees YAML
changes a question's wording, adds a choice with a branch, sees the validator's problem on
the map, fixes it, saves, walks the flow and saves the walk as a scenario. Screenshots go to
var/screenshots/central/editor-*.png for a person to look at."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from central.testing.servers import CentralServer
from tests.central.conftest import SHOTS, login, serving


@pytest.fixture(scope="module")
def server() -> Iterator[CentralServer]:
    """Its own central (the walk saves into the consumer flow; other modules' servers stay clean)."""
    yield from serving(None, "editor", workers=1, threads=4)


@pytest.fixture(scope="module")
def page(browser: Any, server: CentralServer) -> Iterator[Any]:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1500, "height": 1000})
    pg = context.new_page()
    login(pg, server, server.demo["editor_user"], server.demo["editor_password"])
    yield pg
    context.close()


def shot(page: Any, name: str) -> None:
    page.screenshot(path=str(SHOTS / f"editor-{name}.png"), full_page=True)


def flow_text(server: CentralServer) -> str:
    return server.django("from central.publishing.models import Flow; "
                         "print(Flow.objects.get(flow_id='consumer').text, end='')")


def test_an_editor_changes_a_flow_without_yaml_and_saves_a_walk(page: Any, server: CentralServer) -> None:
    before = flow_text(server)
    page.goto(f"{server.url}/admin/flows/")
    page.click("text=consumer")
    page.wait_for_selector("#map svg")
    import yaml

    assert page.locator("#map g.node").count() == len(yaml.safe_load(before)["nodes"])
    assert page.locator("#no-problems").count() == 1
    shot(page, "1-map")
    # 1. the wording of the first question, with the screen budget counting as they type
    page.click("#node-q_what a")
    page.wait_for_selector("#node-form")
    field = page.locator("input[name='text.zh-CN']")
    field.fill("您买东西遇到了什么问题？" * 7)
    budget = field.locator("xpath=following-sibling::span[@class='budget over']")
    assert budget.inner_text().startswith("84 / 75"), budget.inner_text()
    field.fill("您买东西或者花钱买服务，遇到了什么问题？")
    assert "over" not in (field.locator("xpath=following-sibling::span[1]").get_attribute("class") or "")
    # 2. a new choice (Chinese label only, for now) and a branch built with the condition builder
    page.fill("#choices .choice.new input[name$='-value']", "gift")
    page.fill("#choices .choice.new input[name$='-label.zh-CN']", "别人送的东西有问题")
    page.fill("#choices .choice.new input[name$='-say.zh-CN']", "送的, 礼物")
    page.select_option("#cb-var", "what")
    page.select_option("#cb-op", "==")
    page.fill("#cb-value", "gift")
    page.select_option("#cb-target", page.locator("#cb-target option").last.get_attribute("value"))
    page.click("#cb-add")
    new_when = page.locator("#branches .branch.new input.when")
    assert new_when.input_value() == "what == 'gift'"
    page.select_option("#branches .branch.new select", "o_fraud")
    shot(page, "2-form")
    page.click("#apply")
    page.wait_for_selector(".messages .success")
    assert "您买东西或者花钱买服务" in page.locator(".preview-side").inner_text()
    # 3. the validator's problem (no English label) on the map, in plain words
    page.click("text=consumer")
    page.wait_for_selector("#map svg")
    problem = page.locator("#node-q_what path[stroke='#d00000'], #node-q_what polygon[stroke='#d00000']")
    assert problem.count() >= 1
    problems = page.inner_text("#problems")
    assert "q_what" in problems and "en" in problems, problems
    assert page.locator("#map text", has_text="“别人送的东西有问题”").count() >= 1  # the branch, in words
    shot(page, "3-map-problem")
    assert page.locator("#save-flow").is_enabled()
    page.click("#save-flow")
    page.wait_for_selector(".messages .error")
    assert flow_text(server) == before  # refused: nothing half-saved
    # 4. fix it, save
    page.click("#node-q_what a")
    page.fill("#choices .choice:nth-of-type(7) input[name$='-label.en']", "A faulty gift")
    page.click("#apply")
    page.wait_for_selector(".messages .success")
    page.click("text=consumer")
    page.wait_for_selector("#no-problems")
    page.fill("input[name=comment]", "gift choice")
    page.click("#save-flow")
    page.wait_for_selector(".messages .success")
    shot(page, "4-saved")
    saved = flow_text(server)
    assert "别人送的东西有问题" in saved and "A faulty gift" in saved and "goto: o_fraud" in saved
    assert saved.splitlines()[:10] == before.splitlines()[:10]  # comments and order kept
    # 5. walk the flow as a resident and keep the walk as a scenario
    page.click("#walk-link")
    page.wait_for_selector("#walk-form")
    assert "您买东西或者花钱买服务" in page.inner_text(".kiosk")
    shot(page, "5-walk")
    page.click("button.answer:has-text('别人送的东西有问题')")
    page.wait_for_selector("#save-scenario")
    shot(page, "6-walk-outcome")
    page.fill("#scenario-name", "a faulty gift")
    page.click("#save-scenario button")
    page.wait_for_selector(".messages .success")
    final = flow_text(server)
    assert "name: a faulty gift" in final and "answers:" in final.split("name: a faulty gift", 1)[1]
    assert final.startswith(saved.rstrip("\n").rsplit("\n", 1)[0])  # appended, the rest untouched
