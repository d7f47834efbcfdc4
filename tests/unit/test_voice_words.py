"""Snapping recognised text to a screen's phrases, numbers and dates said aloud, spoken texts."""

from __future__ import annotations

import datetime as dt

import pytest

from kiosk.content.bundle import Bundle, load_bundle
from kiosk.flows.engine import FlowEngine, FlowSession
from kiosk.flows.views import Screen
from kiosk.voice import grammar as grammars
from kiosk.voice.numbers import parse_date, parse_number
from kiosk.voice.snap import Target
from kiosk.voice.spoken import screen_speech, scrub, speakable, spoken_field
from tests.conftest import CONTENT, LOCALITY, TODAY


@pytest.fixture(scope="module")
def bundle() -> Bundle:
    loaded, problems = load_bundle(CONTENT, LOCALITY)
    assert loaded is not None and not problems, problems
    return loaded


@pytest.fixture
def session(bundle: Bundle) -> FlowSession:
    return FlowEngine(bundle, clock=lambda: TODAY).start("legal-aid", "zh-CN")


def matter_screen(session: FlowSession) -> Screen:
    screen = session.screen()
    assert screen.node_id == "q_matter" and screen.input == "choice"
    return screen


# --- choices ----------------------------------------------------------------------------

@pytest.mark.parametrize(("heard", "value"), [
    ("讨工资、劳动关系", "wages"),          # the label, as read
    ("讨 工资", "wages"),                   # vosk puts spaces between words
    ("工钱", "wages"),                      # a `say` synonym
    ("嗯我想讨工资吧", "wages"),            # extra words around it
    ("公伤", "injury"),                     # homophone of 工伤
    ("车货", "injury"),                     # homophone of 车祸 (che huo)
    ("家报", "violence"),                   # homophone of 家暴
    ("劳动关", "wages"),                    # a character missing
    ("其他事情吧", "other"),
    ("第三个", "support"),                  # ordinal
    ("第 二 个", "injury"),
])
def test_choice_answers_snap_despite_recognition_errors(session: FlowSession, heard: str, value: str) -> None:
    g = grammars.for_screen(matter_screen(session), "zh-CN")
    snapped = g.snap(heard)
    assert snapped.target == Target("choice", value), snapped


@pytest.mark.parametrize("heard", ["香蕉苹果", "", "   ", "工资和工伤"])
def test_unclear_or_two_answers_at_once_are_not_taken(session: FlowSession, heard: str) -> None:
    snapped = grammars.for_screen(matter_screen(session), "zh-CN").snap(heard)
    assert not snapped.matched and snapped.how in ("low", "empty", "ambiguous")


@pytest.mark.parametrize(("heard", "name"), [("返回", "back"), ("反回", "back"), ("再说一遍", "repeat"),
                                              ("帮助", "help"), ("人工", "staff"), ("回首页", "home")])
def test_commands_on_every_question(session: FlowSession, heard: str, name: str) -> None:
    assert grammars.for_screen(matter_screen(session), "zh-CN").snap(heard).target == Target("command", name)


# --- yes / no ---------------------------------------------------------------------------

@pytest.fixture
def yesno(session: FlowSession) -> Screen:
    screen = session.answer("wages")
    assert screen.input == "yesno"
    return screen


@pytest.mark.parametrize(("heard", "value"), [
    ("是", True), ("是的", True), ("对", True), ("有", True), ("嗯 对", True), ("已经请了", True),
    ("不是", False), ("否", False), ("没有", False), ("还没有", False), ("没请", False),
    ("不 是", False), ("我没有请律师", False),
])
def test_yes_and_no_longer_phrases_win(yesno: Screen, heard: str, value: bool) -> None:
    """不是 contains 是 and 没有 contains 有: the longer phrase is what was meant."""
    assert grammars.for_screen(yesno, "zh-CN").snap(heard).target == Target("yes_no", value)


@pytest.mark.parametrize(("heard", "value"), [("yes", True), ("yes i have", True), ("no", False),
                                               ("no i have not", False), ("nope", False)])
def test_english_yes_and_no(yesno: Screen, heard: str, value: bool) -> None:
    assert grammars.for_screen(yesno, "en").snap(heard).target == Target("yes_no", value)


@pytest.mark.parametrize(("heard", "locale"), [("I'm not sure", "en"), ("I don't know", "en"),
                                                ("我不清楚", "zh-CN"), ("不知道", "zh-CN")])
def test_not_sure_is_a_call_for_help_not_a_no(yesno: Screen, heard: str, locale: str) -> None:
    assert grammars.for_screen(yesno, locale).snap(heard).target == Target("command", "help")


def test_recogniser_phrases_hold_labels_synonyms_commands_and_ordinals(session: FlowSession) -> None:
    phrases = grammars.for_screen(matter_screen(session), "zh-CN").recognizer_phrases()
    assert phrases is not None
    for expected in ("讨工资、劳动关系", "讨工资", "劳动关系", "工钱", "第一个", "返回", "重复", "帮助", "人工", "首页"):
        assert expected in phrases
    assert "继续" not in phrases  # "next" only where there is nothing to answer
    assert grammars.dictation("zh-CN").recognizer_phrases() is None


# --- numbers and dates ------------------------------------------------------------------

@pytest.mark.parametrize(("heard", "value"), [
    ("三千五百", 3500), ("三千五", 3500), ("三 千 五", 3500), ("三千五百块钱", 3500), ("大概三千块", 3000),
    ("一万二", 12000), ("一万二千", 12000), ("两千零五十", 2050), ("一百零五", 105), ("一千零一", 1001),
    ("3500", 3500), ("3500元", 3500), ("3.5万", 35000), ("一五零零", 1500), ("十五", 15), ("五口人", 5),
    ("我家五口人", 5), ("一点五", 1.5), ("three thousand five hundred", 3500), ("two hundred and five", 205),
])
def test_numbers_as_residents_say_them(heard: str, value: float) -> None:
    assert parse_number(heard) == value


@pytest.mark.parametrize("heard", ["没有", "不知道", "三千或者四千", "", "工资"])
def test_no_number_or_two_numbers_is_none(heard: str) -> None:
    assert parse_number(heard) is None


@pytest.mark.parametrize(("heard", "value"), [
    ("二〇二四年三月五日", dt.date(2024, 3, 5)), ("2024年3月5号", dt.date(2024, 3, 5)),
    ("三月五号", dt.date(2026, 3, 5)), ("十二月一日", dt.date(2025, 12, 1)),  # not in the future
    ("去年十月一号", dt.date(2025, 10, 1)), ("昨天", dt.date(2026, 11, 21)),
    ("March 5 2024", dt.date(2024, 3, 5)), ("二月三十日", None),
])
def test_dates_said_aloud(heard: str, value: dt.date | None) -> None:
    assert parse_date(heard, TODAY) == value


# --- spoken texts -----------------------------------------------------------------------

def test_every_screen_kind_has_a_spoken_text_in_its_language(bundle: Bundle) -> None:
    engine = FlowEngine(bundle, clock=lambda: TODAY)
    for locale, han in (("zh-CN", True), ("en", False)):
        s = engine.start("legal-aid", locale)
        question = screen_speech(s.screen(), locale)
        assert ("讨工资" in question) == han and ("Unpaid wages" in question) != han
        s.answer("wages")
        s.answer(False)
        s.answer(True)   # worked in the county
        s.answer(False)  # no deadline within 7 days
        s.answer(True)   # on assistance: straight to the outcome
        outcome = s.screen()
        assert outcome.kind == "outcome"
        spoken = screen_speech(outcome, locale)
        assert outcome.outcome is not None and outcome.outcome.speak in spoken
        assert ("身份证" in spoken) if han else ("ID card" in spoken)  # the papers to bring


def test_voice_hints_only_when_the_microphone_works(yesno: Screen) -> None:
    assert "请说“是”或“不是”" in screen_speech(yesno, "zh-CN", voice_input=True)
    assert "请说" not in screen_speech(yesno, "zh-CN", voice_input=False)
    assert "Say \u201cyes\u201d or \u201cno\u201d." in screen_speech(yesno, "en", voice_input=True)


def test_personal_data_is_never_spoken() -> None:
    said = scrub("请记住您的手机13812345678，预约号码138****5678，身份证110101199003071234。热线12348。", "zh-CN")
    assert "13812345678" not in said and "5678" not in said and "1234。" not in said
    assert said.count("号码已隐藏") == 3 and "12348" in said  # public hotlines stay
    assert spoken_field("手机号码", "13812345678", "zh-CN", private=True) == "手机号码已隐藏"
    assert spoken_field("Phone", "13812345678", "en", private=True) == "Phone hidden"
    assert "13812345678" not in spoken_field("电话", "13812345678", "zh-CN", private=False)


@pytest.mark.parametrize(("text", "locale", "said"), [
    ("不行就打12315投诉。", "zh-CN", "不行就打一二三一五投诉。"),
    ("或拨打12348。遇到危险打110", "zh-CN", "或拨打一二三四八。遇到危险打一一零"),
    ("不够1000元的按1000元", "zh-CN", "不够一千元的按一千元"),   # amounts stay amounts
    ("赔偿120元，拖欠150天", "zh-CN", "赔偿一百二十元，拖欠一百五十天"),
    ("收入3500元/月", "zh-CN", "收入三千五百元每月"),
    ("or call 12348.", "en", "or call 1 2 3 4 8."),
    ("1575 yuan/month, within 180 days", "en", "1575 yuan per month, within 180 days"),
    ("a rate of 110.5 or 1,200", "en", "a rate of 110.5 or 1,200"),
])
def test_hotlines_digit_by_digit_and_no_slashes(text: str, locale: str, said: str) -> None:
    assert speakable(text, locale) == said
