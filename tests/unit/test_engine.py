"""The flow engine, driven as the touchscreen drives it, on a fixture with every node kind."""

from __future__ import annotations

import datetime as dt
import json
import logging

import msgspec
import pytest

from kiosk.content.bundle import Bundle
from kiosk.flows.engine import FlowEngine, InvalidAnswer, StaleSession
from kiosk.flows.scenarios import run_scenario


def test_walks_choice_yesno_info_number_compute_to_outcome(engine: FlowEngine) -> None:
    session = engine.start("every-kind", "zh-CN")
    screen = session.screen()
    assert (screen.kind, screen.input, screen.node_id) == ("question", "choice", "q_kind")
    assert [c.value for c in screen.choices] == ["money", "time"]
    assert screen.choices[0].say == ("钱", "钞票")
    assert screen.progress.label == "第1步/共3步" and screen.progress.title == "类型"
    assert not screen.can_back

    screen = session.answer("money")
    assert (screen.input, screen.yes_no) == ("yesno", ("是", "否"))
    assert screen.progress.label == "第2步/共3步" and screen.can_back
    screen = session.answer(True)
    assert (screen.kind, screen.body) == ("info", "说明文字")
    screen = session.advance()
    assert screen.input == "number" and screen.number is not None
    assert (screen.number.min, screen.number.max, screen.number.unit) == (0, 100, "元")
    screen = session.answer(90)
    assert screen.kind == "outcome" and screen.node_id == "o_high"
    assert screen.progress.label == "第3步/共3步"
    outcome = screen.outcome
    assert outcome is not None
    assert outcome.summary == "翻倍是180，标准1575"
    assert [o.phone for o in outcome.where] == ["0000-1234502"]
    assert [(h.number, h.title) for h in outcome.hotlines] == [("12348", "公共法律服务热线")]
    assert outcome.offer == ("book", "print") and outcome.service == "legal-aid"
    assert outcome.basis[0].citation == "某法 第一条"
    assert session.finished


def test_date_question_and_action_node(engine: FlowEngine) -> None:
    session = engine.start("every-kind", "en")
    screen = session.answer("time")
    assert screen.input == "date" and screen.date is not None
    assert screen.date.latest == dt.date(2026, 11, 22)
    assert screen.date.earliest == dt.date(2021, 11, 22)
    with pytest.raises(InvalidAnswer) as err:
        session.answer(dt.date(2026, 12, 1))
    assert err.value.message(["en"]) == "The date cannot be after today."
    with pytest.raises(InvalidAnswer):
        session.answer(dt.date(2020, 1, 1))
    screen = session.answer("2025-01-10")
    assert (screen.kind, screen.action, screen.text) == ("action", "call_staff", "Please see staff")
    screen = session.advance()
    assert screen.node_id == "o_late"


def test_invalid_answers_are_refused_with_a_plain_message(engine: FlowEngine) -> None:
    session = engine.start("every-kind", "zh-CN")
    with pytest.raises(InvalidAnswer) as err:
        session.answer("other")
    assert err.value.message(["zh-CN"]) == "请从按钮中选一个。"
    session.answer("money")
    with pytest.raises(InvalidAnswer):
        session.answer("yes")
    session.answer(False)
    session.advance()
    with pytest.raises(InvalidAnswer) as err:
        session.answer(101)
    assert err.value.message(["zh-CN"]) == "数字不能大于100。"
    with pytest.raises(InvalidAnswer):
        session.answer("abc")
    with pytest.raises(InvalidAnswer):
        session.answer(True)
    assert session.screen().node_id == "q_amount"


def test_back_undoes_but_keeps_answers_for_when_the_path_returns(engine: FlowEngine) -> None:
    session = engine.start("every-kind", "en")
    session.answer("money")
    session.answer(True)
    session.advance()
    session.answer(42)
    assert session.screen().node_id == "o_low"
    screen = session.back()
    assert screen.node_id == "q_amount" and screen.previous == 42
    screen = session.back()
    assert screen.node_id == "i_note"
    screen = session.back()
    assert screen.node_id == "q_agreed" and screen.previous is True
    screen = session.back()
    assert screen.node_id == "q_kind" and screen.previous == "money"
    assert not screen.can_back
    assert session.back().node_id == "q_kind"
    screen = session.answer("money")
    assert screen.previous is True  # the later answer was kept


def test_review_change_reevaluates_the_path_and_drops_unreachable_answers(
    engine: FlowEngine,
) -> None:
    session = engine.start("every-kind", "en")
    session.answer("money")
    session.answer(True)
    session.advance()
    session.answer(90)
    review = session.review()
    assert [(r.node_id, r.answer) for r in review] == [
        ("q_kind", "Money"), ("q_agreed", "Yes"), ("q_amount", "90 yuan")]
    screen = session.change("q_agreed", False)
    assert screen.node_id == "o_low"
    assert [r.answer for r in session.review()] == ["Money", "No", "90 yuan"]
    screen = session.change("q_kind", "time")
    assert screen.node_id == "q_when"
    assert set(session.state.answers) == {"q_kind"}
    with pytest.raises(KeyError):
        session.change("q_amount", 3)


def test_session_survives_serialisation_and_is_bound_to_its_content(
    engine: FlowEngine, fixture_bundle: Bundle
) -> None:
    session = engine.start("every-kind", "zh-CN")
    session.answer("time")
    session.answer(dt.date(2026, 1, 5))
    saved = json.loads(json.dumps(session.to_json()))
    restored = engine.restore(saved)
    assert restored.screen().node_id == session.screen().node_id == "o_recent"
    assert restored.review()[1].value == dt.date(2026, 1, 5)
    fixture_bundle.version = "other-version"
    with pytest.raises(StaleSession):
        FlowEngine(fixture_bundle).restore(saved)


def test_locale_switch_and_fallback(engine: FlowEngine) -> None:
    session = engine.start("every-kind", "zh-CN")
    assert session.screen().text == "哪一种？"
    assert session.set_locale("en").text == "Which kind?"
    assert session.screen().progress.label == "Step 1 of 3"
    fr = engine.start("every-kind", "fr")
    assert fr.screen().text == "哪一种？"  # falls back along the chain, never blank


def test_runtime_fault_shows_ask_staff_and_logs_no_answers(
    fixture_bundle: Bundle, caplog: pytest.LogCaptureFixture
) -> None:
    fixture_bundle.locality = msgspec.structs.replace(fixture_bundle.locality, rules={})
    engine = FlowEngine(fixture_bundle, clock=lambda: dt.date(2026, 11, 22))
    session = engine.start("every-kind", "zh-CN")
    session.answer("money")
    session.answer(True)
    session.advance()
    with caplog.at_level(logging.ERROR):
        screen = session.answer(77)
    assert screen.kind == "fault" and screen.action == "call_staff"
    assert screen.text == "请找工作人员帮忙" and "12348" in screen.body
    assert "every-kind" in caplog.text and "q_amount" in caplog.text
    assert "77" not in caplog.text
    assert session.back().node_id == "q_amount"


def test_scenarios_drive_the_real_engine(fixture_bundle: Bundle) -> None:
    flow = fixture_bundle.flows["every-kind"]
    results = [run_scenario(fixture_bundle, "every-kind", s) for s in flow.scenarios]
    assert [r.ok for r in results] == [True] * 4
    broken = msgspec.structs.replace(flow.scenarios[0], expect="o_low")
    result = run_scenario(fixture_bundle, "every-kind", broken)
    assert not result.ok and result.message == "reached o_high, expected o_low"
