"""The rating at the end of a visit, in the real app under Xvfb: by touch (with reasons and
a call back), by voice (through the Recognizer port), skipped, and wiped at the idle reset.
The events it queued are checked in the outbox itself: the expected kinds, and the phone
number nowhere but in the one personal call-back item (nor in the log, nor spoken)."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest

from tests.ui.conftest import Driver

#: Not the other UI tests' numbers.
PHONE = "13712340099"


def _rows(ui: Driver, after: int) -> list[tuple[int, str, str, dict[str, Any], int]]:
    box = ui.app.services.usage.outbox
    rows = box._db.execute("SELECT id, kind, path, body, personal FROM outbox WHERE id > ? ORDER BY id",
                           (after,)).fetchall()
    return [(i, k, p, json.loads(b) if b else {}, personal) for i, k, p, b, personal in rows]


def _last_id(ui: Driver) -> int:
    row = ui.app.services.usage.outbox._db.execute("SELECT MAX(id) FROM outbox").fetchone()
    return int(row[0] or 0)


def _events(rows: list[tuple[int, str, str, dict[str, Any], int]]) -> list[dict[str, Any]]:
    return [e for _i, kind, _p, body, _pers in rows if kind == "usage" for e in body["events"]]


def _ticket_then_finish(ui: Driver, read_aloud: bool = False) -> None:
    ui.tap(ui.find(cls="TouchArea"))
    if read_aloud:  # every screen and step is spoken: the number must never be
        ui.app.toggle_read_aloud()
        assert ui.app.read_aloud
    ui.tap_text(ui.app.t("Take a queue number"))
    ui.tap_text("法律援助", cls="ChoiceButton")
    ui.tap_text(ui.app.t("No"), cls="ChoiceButton")
    assert ui.screen.step == "done"
    ui.tap_text(ui.app.t("Finish"))
    assert ui.app.root.current == "rating" and ui.screen.step == "levels"


def test_a_bad_rating_by_touch_with_reasons_and_a_call_back(ui: Driver, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    start = _last_id(ui)
    _ticket_then_finish(ui, read_aloud=True)
    assert [w.text for w in ui.widgets() if type(w).__name__ == "FaceButton"] == [
        "非常满意", "满意", "基本满意", "不满意", "非常不满意"]
    ui.tap_text("非常不满意", cls="FaceButton")
    assert ui.screen.step == "reasons"
    ui.tap_text("太慢、步骤太多")
    ui.tap_text("我希望工作人员给我回电话")
    assert ui.screen.step == "callback"
    for digit in PHONE[:4]:  # the keypad by touch (each tap costs a second of frames under Xvfb) ...
        ui.tap_text(digit, cls="KeypadKey")
    assert ui.screen.shown_phone == "137*"
    for digit in PHONE[4:]:  # ... and the rest through the same handler
        ui.screen.key(digit)
    assert ui.screen.shown_phone == "137****0099"
    ui.tap_text("提交")
    assert ui.screen.message.startswith("要回电话")  # no consent yet: nothing sent
    assert [k for _i, k, *_ in _rows(ui, start) if k == "rating_callback"] == []
    ui.tap_text("我同意", cls="Toggle", contains=True)
    ui.tap_text("提交")
    assert ui.screen.step == "thanks"
    ui.tap_text("完成")
    assert ui.app.root.current == "attract"

    rows = _rows(ui, start)
    events = _events(rows)
    kinds = [e["kind"] for e in events]
    assert kinds[0] == "visit_started" and kinds[-1] == "visit_ended"
    assert "ticket" in kinds and "rating" in kinds
    rating = next(e for e in events if e["kind"] == "rating")
    assert rating["detail"] == {"level": 1, "reasons": ["too_slow"], "callback": True, "by": "touch"}
    assert events[-1]["detail"]["how"] == "finished"
    assert len({e["visit"] for e in events}) == 1
    callbacks = [(p, body, personal) for _i, k, p, body, personal in rows if k == "rating_callback"]
    assert len(callbacks) == 1
    path, body, personal = callbacks[0]
    assert path == "/api/v1/rating-callbacks" and personal == 1
    assert body == {"rating": rating["id"], "level": 1, "reasons": ["too_slow"], "phone": PHONE,
                    "consent": True, "at": body["at"]}
    elsewhere = json.dumps([body for _i, k, _p, body, _pers in rows if k != "rating_callback"])
    assert PHONE not in elsewhere and PHONE[-4:] not in elsewhere
    assert PHONE not in caplog.text
    said = " ".join(text for text, _ in ui.app.services.speaker.said)
    assert "非常不满意" in said and "太慢、步骤太多" in said and "只用于处理这次评价" in said  # read aloud
    assert "工作人员会尽快给您回电话" in said
    assert PHONE not in said and "0099" not in said
    assert PHONE not in " ".join(ui.all_texts()) and ui.app.screens["rating"].shown_phone == ""


def test_a_rating_by_voice(ui: Driver, monkeypatch: pytest.MonkeyPatch) -> None:
    recognizer = ui.app.services.recognizer
    start = _last_id(ui)
    _ticket_then_finish(ui)
    monkeypatch.setattr(recognizer, "texts", ["嗯 还行吧"])
    ui.tap_text("说出来")
    ui.settle()
    assert recognizer.heard[-1][1] == "zh-CN" and "基本满意" in (recognizer.heard[-1][0] or [])
    assert ui.screen.step == "thanks"
    ui.tap_text("完成")
    events = _events(_rows(ui, start))
    rating = [e["detail"] for e in events if e["kind"] == "rating"]
    assert rating == [{"level": 3, "reasons": [], "callback": False, "by": "voice"}]
    assert {"kind": "voice_used", "detail": {"screen": "rating"}}.items() <= next(
        e for e in events if e["kind"] == "voice_used").items()


def test_skip_leaves_at_once_and_sends_no_rating(ui: Driver) -> None:
    start = _last_id(ui)
    _ticket_then_finish(ui)
    ui.tap_text("跳过")
    assert ui.app.root.current == "attract"
    kinds = [e["kind"] for e in _events(_rows(ui, start))]
    assert "rating" not in kinds and kinds[-1] == "visit_ended"


def test_the_idle_wipe_skips_the_rating_silently_and_forgets_the_number(ui: Driver) -> None:
    start = _last_id(ui)
    _ticket_then_finish(ui)
    ui.tap_text("不满意", cls="FaceButton")
    ui.tap_text("我希望工作人员给我回电话")
    rating = ui.screen
    for digit in PHONE:  # typed by touch in the test above
        rating.key(digit)
    assert rating.shown_phone == "137****0099"
    ui.clock.advance(ui.app.settings.idle_seconds + ui.app.settings.warning_seconds + 1)
    ui.run_for(1.0)
    assert ui.app.root.current == "attract"
    assert rating.draft.phone == "" and rating.shown_phone == "" and rating.draft.level is None
    rows = _rows(ui, start)
    assert [k for _i, k, *_ in rows] == ["usage"]
    events = _events(rows)
    assert "rating" not in [e["kind"] for e in events]
    assert PHONE not in json.dumps(rows)


def test_nothing_done_no_rating_offered(ui: Driver) -> None:
    ui.tap(ui.find(cls="TouchArea"))
    ui.tap_text(ui.app.t("Finish"))
    assert ui.app.root.current == "attract"


def test_a_scripted_visit_queues_the_expected_events_and_nothing_personal(
        ui: Driver, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    """GIVEN a resident who searches by typing, opens the first result, answers, goes back,
    goes home, searches by voice saying a name and a phone number, and leaves from home,
    THEN the visit's events are the contract's, in order, and carry neither."""
    caplog.set_level(logging.DEBUG)
    app, t = ui.app, ui.app.t
    start = _last_id(ui)
    ui.tap(ui.find(cls="TouchArea"))
    ui.tap_text(t("Search"), cls="HomeTile")
    search = ui.screen
    for key in "gongshang":
        search.key(key)
    search.run_search()
    ui.frames(3)
    shown = search.shown_flows()
    assert shown
    ui.tap(ui.find(cls="ResultTile"))
    ui.settle()
    assert app.root.current == "flow" and app.session.flow is not None
    flow_id, first = app.session.flow.state.flow_id, app.session.flow.state.path[-1]
    assert flow_id == shown[0]
    ui.tap(ui.find(cls="ChoiceButton"))
    second = app.session.flow.state.path[-1]
    assert second != first
    ui.tap_text(t("Back"))
    ui.tap_text(t("Home"))
    ui.tap_text(t("Search"), cls="HomeTile")
    monkeypatch.setattr(app.services.recognizer, "texts", [f"张伟 {PHONE} 欠工资"])
    ui.tap(ui.find(cls="MicButton"))
    ui.settle()
    ui.tap_text(t("Home"))
    ui.tap_text(t("Finish"))
    assert app.root.current == "attract"  # nothing done: no rating offered

    rows = _rows(ui, start)
    events = _events(rows)
    got = [(e["kind"], e["detail"]) for e in events]
    assert got[0] == ("visit_started", {"lang": "zh-CN", "theme": "normal"})
    assert got[1] == ("search", {"mode": "pinyin", "chosen": flow_id, "rank": 1, "results": len(shown),
                                 "query": None})
    assert got[2:7] == [("flow_started", {"flow": flow_id, "via": "search"}),
                        ("node_reached", {"flow": flow_id, "node": first}),
                        ("node_reached", {"flow": flow_id, "node": second}),
                        ("back", {"flow": flow_id, "node": second}),
                        ("node_reached", {"flow": flow_id, "node": first})]
    assert got[7] == ("voice_used", {"screen": "search"})
    kind, detail = got[8]
    assert kind == "search" and detail["mode"] == "voice" and detail["chosen"] is None
    assert detail["query"] == "欠工资"
    assert got[-1] == ("visit_ended", {"how": "home", "seconds": got[-1][1]["seconds"], "flow": None, "node": None})
    assert len(got) == 10 and len({e["visit"] for e in events}) == 1
    text = json.dumps(rows, ensure_ascii=False)
    assert PHONE not in text and "张伟" not in text and PHONE not in caplog.text
