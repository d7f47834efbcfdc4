"""What a resident says, mapped to an answer of the question on screen."""

from __future__ import annotations

from kiosk.devices.fakes import FakeRecognizer
from kiosk.flows.engine import FlowEngine
from kiosk.ui.voice import answer_phrases, listen_blocking, match_answer


def test_choice_answers_come_from_labels_and_the_contents_say_words(engine: FlowEngine) -> None:
    from kiosk.flows.views import ChoiceView, Screen

    base = engine.start(next(iter(engine.compiled)), "zh-CN").screen()
    view = Screen(**{**{f: getattr(base, f) for f in base.__struct_fields__}, "input": "choice",
                     "choices": (ChoiceView("wages", "讨工资、劳动关系", ("工资", "工钱"), None),
                                 ChoiceView("other", "其他事情", ("其他",), None))})
    table = answer_phrases(view, "zh-CN")
    assert match_answer("讨工资、劳动关系", table) == (True, "wages")
    assert match_answer("老板不给工钱", table) == (True, "wages")
    assert match_answer("其他。", table) == (True, "other")
    assert match_answer("天气很好", table) == (False, None)


def test_yes_no_prefers_the_longest_phrase_heard(engine: FlowEngine) -> None:
    from kiosk.flows.views import Screen

    base = engine.start(next(iter(engine.compiled)), "zh-CN").screen()
    view = Screen(**{**{f: getattr(base, f) for f in base.__struct_fields__}, "input": "yesno",
                     "yes_no": ("是", "否"), "choices": ()})
    table = answer_phrases(view, "zh-CN")
    assert match_answer("是的", table) == (True, True)
    assert match_answer("我不是", table) == (True, False)  # 不是 wins over 是
    assert match_answer("没有", table) == (True, False)
    en = answer_phrases(view, "en")
    assert match_answer("Yes.", en) == (True, True) and match_answer("nope", en) == (True, False)


def test_listen_blocking_returns_the_recognisers_one_answer() -> None:
    recognizer = FakeRecognizer(texts=["工伤"])
    assert listen_blocking(recognizer, ["工伤", "车祸"], "zh-CN") == "工伤"
    assert recognizer.heard == [(["工伤", "车祸"], "zh-CN")]
    assert listen_blocking(recognizer, None, "zh-CN") == ""  # nothing heard
