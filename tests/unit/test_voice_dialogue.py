"""The voice dialogue on the real content pack, through the Speaker and Recognizer fakes only.

Recognised texts go in through FakeRecognizer (as vosk would write them, with spaces and
errors); what the kiosk says comes out of FakeSpeaker. No touch after the microphone button.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from kiosk.content.bundle import Bundle, load_bundle
from kiosk.devices.fakes import FakeRecognizer, FakeSpeaker
from kiosk.flows.engine import FlowEngine
from kiosk.search.service import SearchService
from kiosk.voice.dialogue import VoiceController, VoiceEvent
from kiosk.voice.spoken import _PERSONAL, speakable
from tests.conftest import CONTENT, LOCALITY, TODAY


@pytest.fixture(scope="module")
def bundle() -> Bundle:
    loaded, problems = load_bundle(CONTENT, LOCALITY)
    assert loaded is not None and not problems, problems
    return loaded


@pytest.fixture
def engine(bundle: Bundle) -> FlowEngine:
    return FlowEngine(bundle, clock=lambda: TODAY)


class Rig:
    def __init__(self, engine: FlowEngine, texts: list[str], reason: str | None = None) -> None:
        self.speaker = FakeSpeaker()
        self.recognizer = FakeRecognizer(texts, reason=reason)
        self.events: list[VoiceEvent] = []
        self.voice = VoiceController(
            self.speaker, self.recognizer, self.events.append,
            search=SearchService.for_bundle(engine.bundle), engine=engine,
        )

    def kinds(self) -> list[str]:
        return [e.kind for e in self.events]

    def said(self) -> list[str]:
        return [text for text, _ in self.speaker.said]

    def last(self, kind: str) -> VoiceEvent:
        return [e for e in self.events if e.kind == kind][-1]


@pytest.fixture
def rig(engine: FlowEngine) -> Callable[..., Rig]:
    return lambda texts, reason=None: Rig(engine, texts, reason)


def test_a_whole_flow_by_voice_from_search_to_outcome(rig: Callable[..., Rig]) -> None:
    """GIVEN the home screen WHEN a resident taps the mic once and then only speaks
    THEN search, pick, every question (with numbers said back) and the outcome go by voice."""
    r = rig([
        "我 请 不起 律师 想 找 免费 律师",  # dictation → search
        "第一个",                            # pick the first result
        "讨 公资",                           # homophone of 讨工资
        "没有",                              # no lawyer yet
        "是",                                # worked in the county
        "不是",                              # no deadline within 7 days
        "不是",                              # no dibao
        "不是",                              # not a migrant worker
        "不是",                              # not a child, older or disabled person without income
        "三 口 人",                          # household size → said back
        "对",
        "三千五",                            # income → said back
        "对的",
    ])
    r.voice.listen_search("zh-CN")
    pick = r.last("pick")
    assert pick.value == "legal-aid" and pick.session is not None
    session = pick.session
    assert session.finished and session.screen().node_id == "o_apply"
    assert session.state.answers == {
        "q_matter": "wages", "q_has_lawyer": False, "q_work_in_county": True, "q_urgent": False,
        "q_assistance": False, "q_migrant": False, "q_special_group": False,
        "q_household_size": 3, "q_household_income": 3500,
    }
    assert r.last("ended").reason == "outcome"
    assert r.kinds().count("confirming") == 2
    said = r.said()
    assert any("申请法律援助" in s and "第一" in s for s in said)          # the results read out
    assert any("您说的是：三千五百 元每月。对吗" in s for s in said)          # income said back, no "/"
    assert any(s.startswith("您家一起生活的有几口人") for s in said)
    assert said[-1].startswith(speakable(session.screen().speak, "zh-CN"))  # the outcome, read
    assert "身份证" in said[-1]
    assert all(locale == "zh-CN" for _, locale in r.speaker.said)
    # Each listen was constrained to the screen's phrases (search: free dictation).
    assert r.recognizer.heard[0][0] is None
    assert "讨工资" in (r.recognizer.heard[2][0] or [])
    assert not r.recognizer.texts  # everything scripted was used


def test_an_english_resident_by_voice(rig: Callable[..., Rig], engine: FlowEngine) -> None:
    r = rig(["criminal"])
    session = engine.start("legal-aid", "en")
    r.voice.listen_flow(session)
    assert session.finished and r.last("ended").reason == "outcome"
    assert r.speaker.said[-1][1] == "en" and "lawyer" in r.said()[-1].lower()


def test_two_misses_offer_the_buttons(rig: Callable[..., Rig], engine: FlowEngine) -> None:
    r = rig(["香蕉", ""])
    session = engine.start("legal-aid", "zh-CN")
    r.voice.listen_flow(session)
    assert r.kinds()[-2:] == ["offer_buttons", "ended"] and r.last("ended").reason == "buttons"
    assert session.screen().node_id == "q_matter" and not session.state.answers
    assert r.said() == ["没听清，请再说一遍。", "请直接按屏幕上的按钮。"]


def test_a_wrong_number_said_back_is_corrected(rig: Callable[..., Rig], engine: FlowEngine) -> None:
    session = engine.start("legal-aid", "zh-CN")
    for value in ("wages", False, True, False, False, False, False):
        session.answer(value)
    r = rig(["四口人", "不对", "三口人", "对"])
    r.voice.listen_flow(session)
    assert session.state.answers["q_household_size"] == 3
    assert session.screen().node_id == "q_household_income"
    assert [e.text for e in r.events if e.kind == "confirming"] == ["4 人", "3 人"]


def test_an_answer_out_of_range_is_explained(rig: Callable[..., Rig], engine: FlowEngine) -> None:
    session = engine.start("legal-aid", "zh-CN")
    for value in ("wages", False, True, False, False, False, False):
        session.answer(value)
    r = rig(["五十", "五", "对"])
    r.voice.listen_flow(session)
    assert any("数字不能大于二十。请再说一遍。" in s for s in r.said())
    assert session.state.answers["q_household_size"] == 5


def test_commands_back_repeat_help_and_home(rig: Callable[..., Rig], engine: FlowEngine) -> None:
    session = engine.start("legal-aid", "zh-CN")
    session.answer("wages")
    r = rig(["重复", "帮助", "返回", "首页"])
    r.voice.listen_flow(session)
    said = r.said()
    assert said[0].startswith("这件事您已经请了律师吗？") and "请说“是”或“不是”" in said[0]
    assert "返回" in said[1]  # help lists the commands
    assert [e.screen.node_id for e in r.events if e.kind == "screen" and e.screen] == ["q_matter"]
    assert r.last("command").value == "home" and r.last("ended").reason == "command"
    assert session.state.answers == {"q_matter": "wages"}  # back keeps answers


def test_a_fuzzy_choice_is_confirmed_before_it_is_taken(rig: Callable[..., Rig], engine: FlowEngine) -> None:
    session = engine.start("legal-aid", "zh-CN")
    r = rig(["讨工", "是"])  # a character missing: taken on similarity, so said back
    r.voice.listen_flow(session)
    assert r.last("confirming").text == "讨工资、劳动关系"
    assert session.state.answers == {"q_matter": "wages"}


class LateRecognizer(FakeRecognizer):
    """Keeps the callback, to answer after the test has touched the screen."""

    def listen(self, phrases, locale, on_text):  # type: ignore[no-untyped-def]
        self.heard.append((phrases, locale))
        self.pending = on_text


def test_a_touch_ends_the_turn_and_a_late_result_is_dropped(engine: FlowEngine) -> None:
    speaker, recognizer, events = FakeSpeaker(), LateRecognizer(), []  # type: list[VoiceEvent]
    voice = VoiceController(speaker, recognizer, events.append)
    session = engine.start("legal-aid", "zh-CN")
    voice.listen_flow(session)
    voice.touch()
    recognizer.pending("讨工资")
    assert not session.state.answers
    assert [e.kind for e in events] == ["listening", "ended"] and events[-1].reason == "touch"
    assert speaker.stops >= 2 and recognizer.stops == 1


def test_no_microphone_says_why_and_touch_keeps_working(rig: Callable[..., Rig], engine: FlowEngine) -> None:
    reason = "no speech model: set [speech] model (env KIOSK_SPEECH_MODEL)"
    r = rig(["讨工资"], reason=reason)
    session = engine.start("legal-aid", "zh-CN")
    assert r.voice.mic_reason() == reason
    assert r.voice.mic_notice("en") == "Voice input is not available now. Please use the buttons on the screen."
    r.voice.listen_flow(session)
    assert r.kinds() == ["unavailable"] and r.events[0].reason == reason
    assert r.said() == ["语音输入现在不能用，请按屏幕上的按钮。"]
    assert r.recognizer.heard == [] and not session.state.answers


def test_show_reads_every_screen_and_never_personal_data(rig: Callable[..., Rig], engine: FlowEngine) -> None:
    r = rig([])
    session = engine.start("legal-aid", "zh-CN")
    r.voice.show(session.screen(), "zh-CN")
    r.voice.say("预约成功，手机号13812345678，预约码138****5678", "zh-CN")
    r.voice.replay()
    assert "讨工资、劳动关系" in r.said()[0]
    assert r.said()[1] == r.said()[2]
    assert not any(_PERSONAL.search(s) for s in r.said())
    r.voice.reset()
    assert r.speaker.resets == 1


def test_a_broken_ui_handler_does_not_stop_the_dialogue(engine: FlowEngine) -> None:
    def explode(event: VoiceEvent) -> None:
        raise RuntimeError("UI bug")

    voice = VoiceController(FakeSpeaker(), FakeRecognizer(["criminal"]), explode)
    session = engine.start("legal-aid", "en")
    voice.listen_flow(session)
    assert session.finished


def test_show_during_a_voice_turn_does_not_read_the_screen_twice(engine: FlowEngine) -> None:
    speaker, recognizer, events = FakeSpeaker(), LateRecognizer(), []  # type: list[VoiceEvent]
    voice = VoiceController(speaker, recognizer, events.append)
    session = engine.start("legal-aid", "zh-CN")
    voice.listen_flow(session)
    recognizer.pending("工伤")  # → q_has_lawyer, read with how to answer; listening again
    assert [e.kind for e in events if e.kind == "screen"] == ["screen"]
    spoken = len(speaker.said)
    voice.show(session.screen(), "zh-CN")  # the UI echoing the screen event
    assert len(speaker.said) == spoken
    voice.touch()
    voice.show(session.screen(), "zh-CN")  # after a touch, reading is the UI's call again
    assert len(speaker.said) == spoken + 1


def test_search_by_voice_in_english(rig: Callable[..., Rig]) -> None:
    r = rig(["my boss has not paid my wages", "the first"])
    r.voice.listen_search("en")
    results = r.last("results")
    assert results.hits and results.hits[0].flow == "wage-arrears"
    assert results.text == "my boss has not paid my wages" and r.last("pick").value == "wage-arrears"
    assert r.said()[0].startswith("I found: first, ")


def test_another_bodys_matter_by_voice_is_told_who_handles_it_then_listened_for_again(
        rig: Callable[..., Rig]) -> None:
    r = rig(["身份证 丢了 去哪 补办", "老板 拖欠 工资"])
    r.voice.listen_search("zh-CN")
    first, second = [e for e in r.events if e.kind == "results"]
    assert first.hits == () and second.hits and second.hits[0].flow == "wage-arrears"
    told = [s for s in r.said() if "派出所" in s]
    assert told and told[0].startswith("这件事不归这里办。") and "一二三四八" in told[0]  # digit by digit


def test_a_date_by_voice_is_said_back_then_taken(rig: Callable[..., Rig], engine: FlowEngine) -> None:
    """wage-arrears: "when did you stop working there?" → 去年三月五号 → said back → 对."""
    r = rig(["不是", "不 是", "二〇一五年三月五日", "去年 三月 五号", "对", "不是"])
    session = engine.start("wage-arrears", "zh-CN")
    r.voice.listen_flow(session)
    assert session.state.answers["q_left_on"].isoformat() == "2025-03-05"
    assert r.last("confirming").text == "2025年3月5日"
    assert any("您说的是：二零二五年三月五日。对吗" in s for s in r.said())
    # 1-2 years back is within labour inspection's reach, so the flow asks where the work
    # was; "不是" (not in this county) ends at the out-of-county outcome.
    assert session.screen().node_id == "o_elsewhere" and r.last("ended").reason == "outcome"
    assert "日期不能早于五年前。请再说一遍。" in r.said()  # refused before being said back
