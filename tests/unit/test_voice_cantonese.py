"""What the Cantonese voice is given: every number written out in Chinese numerals (its own
reading of Arabic numbers is wrong: 10000 as 一百万), hotlines and phone numbers digit by
digit, years digit by digit, clock times as said; personal data hidden as in Mandarin; and
the controller picks the voice by the resident's choice, English screens staying English."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kiosk.content.bundle import load_bundle
from kiosk.devices.fakes import FakeRecognizer, FakeSpeaker
from kiosk.devices.speech_config import SpeechConfig
from kiosk.voice.dialogue import VoiceController
from kiosk.voice.spoken import scrub, speakable, speech_locale, spoken_field
from tests.conftest import CONTENT, LOCALITY


def yue(text: str) -> str:
    return speakable(scrub(text, "yue"), "yue")


@pytest.mark.parametrize(("written", "said"), [
    ("请拨打12348咨询。", "请拨打一二三四八咨询。"),           # a hotline, digit by digit
    ("报警打110，急救打120。", "报警打一一零，急救打一二零。"),
    ("赔偿金12000元", "赔偿金一万二千元"),                    # not 一百万零二千
    ("收入10000元", "收入一万元"),
    ("标准1575元/人/月", "标准一千五百七十五元每人每月"),
    ("多付2000元", "多付两千元"),
    ("2024年3月5日", "二零二四年三月五日"),                   # not 二千二十四年
    ("2025-05-01起", "二零二五年五月一日起"),
    ("利率大约3.5%", "利率大约百分之三点五"),                 # not 三五 percent
    ("收入的20%到30%", "收入的百分之二十到百分之三十"),
    ("周一至周五 9:00-17:00", "周一至周五 上午九点至下午五点"),
    ("8:30-12:00", "上午八点半至中午十二点"),
    ("晚上20:05", "晚上八点零五分"),          # the part of day said once
    ("电话：0000-1234501", "电话：零零零零，一二三四五零一"),
    ("您的号码是A023号", "您的号码是A 零二三号"),
    ("2个孩子，第2次", "两个孩子，第二次"),
    ("30天内", "三十天内"),
    ("1450元", "一千四百五十元"),
    ("1050元", "一千零五十元"),
])
def test_numbers_are_written_out_for_the_cantonese_voice(written: str, said: str) -> None:
    assert yue(written) == said


@pytest.mark.parametrize(("written", "said"), [
    ("老板不让我干了", "老板不让我幹了"),      # to work (gon3), not dry (gon1)
    ("每干满一年", "每幹满一年"),
    ("若干问题，饼干", "若干问题，饼干"),       # these are gon1
    ("买到假货", "买到賈货"),                  # fake (gaa2), not holiday (gaa3)
    ("请假三天", "请假三天"),
])
def test_characters_read_in_the_wrong_sense_are_given_as_read_right(written: str, said: str) -> None:
    assert yue(written) == said


def test_no_arabic_digit_or_percent_sign_reaches_the_cantonese_voice() -> None:
    text = "3.0%，4倍约12%；10:00-16:30；12348；2025年5月；0000-1234502；A023；100000元"
    assert not re.search(r"[0-9%/]", yue(text)), yue(text)


def test_personal_data_stays_hidden_in_cantonese() -> None:
    assert yue("手机13812345678，身份证110101199003074512") == "手机（号码已隐藏），身份证（号码已隐藏）"
    assert yue("138****5678") == "（号码已隐藏）"
    assert spoken_field("手机号码", "13812345678", "yue", private=True) == spoken_field(
        "手机号码", "13812345678", "zh-CN", private=True)


def test_mandarin_numbers_are_written_out_too_but_no_cantonese_senses() -> None:
    """espeak-ng's Mandarin voice misreads Arabic numbers as well (10000 as 十千)."""
    assert speakable("请拨打12348，1575元/月", "zh-CN") == "请拨打一二三四八，一千五百七十五元每月"
    assert speakable("10000元", "zh-CN") == "一万元"
    assert speakable("不干了", "zh-CN") == "不干了"


def test_the_speech_locale_follows_the_choice_for_chinese_screens_only() -> None:
    assert speech_locale("zh-CN", "yue") == "yue"
    assert speech_locale("zh-CN", "cmn") == "zh-CN"
    assert speech_locale("en", "yue") == "en"  # English screens read in English regardless
    assert SpeechConfig().voice("yue") == "sit/yue"
    assert SpeechConfig().voice("zh-CN") == "sit/cmn-latn-pinyin"


def test_the_controller_reads_chinese_in_cantonese_and_replays_it_so() -> None:
    speaker = FakeSpeaker()
    controller = VoiceController(speaker, FakeRecognizer([]))
    controller.read_lang = "yue"
    controller.say("请拨打12348。", "zh-CN")
    controller.say("Call 12348.", "en")
    controller.replay()
    assert speaker.said == [("请拨打一二三四八。", "yue"), ("Call 1 2 3 4 8.", "en"), ("Call 1 2 3 4 8.", "en")]
    controller.say("请拨打12348。", "zh-CN")
    controller.replay()
    assert speaker.said[-1] == ("请拨打一二三四八。", "yue")
    controller.read_lang = "cmn"
    controller.say("请拨打12348。", "zh-CN")
    assert speaker.said[-1] == ("请拨打一二三四八。", "zh-CN")


def _locality(tmp_path: Path, line: str) -> Path:
    text = LOCALITY.read_text(encoding="utf-8").replace("read_aloud: cmn", line)
    path = tmp_path / "guangdong.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_locality_reads_in_cantonese_by_default_when_it_says_so(tmp_path: Path) -> None:
    bundle, _ = load_bundle(CONTENT, LOCALITY)
    assert bundle is not None and bundle.locality.read_aloud == "cmn"  # the demo: Mandarin
    bundle, _ = load_bundle(CONTENT, _locality(tmp_path, "read_aloud: yue"))
    assert bundle is not None and bundle.locality.read_aloud == "yue"
    bundle, _ = load_bundle(CONTENT, _locality(tmp_path, ""))
    assert bundle is not None and bundle.locality.read_aloud == "cmn"  # the key is optional


def test_an_unknown_read_aloud_voice_is_a_problem_naming_the_key(tmp_path: Path) -> None:
    bundle, problems = load_bundle(CONTENT, _locality(tmp_path, "read_aloud: fr"))
    assert bundle is None
    assert any("read_aloud" in str(p) for p in problems), problems
