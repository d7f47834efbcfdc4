"""Search's new parts: jieba words taught the content's phrases, strong terms, the
"not here" text, and the referral table's checks."""

from __future__ import annotations

from pathlib import Path

import msgspec
import pytest

from kiosk.content.model import Hotline, Office
from kiosk.content.problems import Problem
from kiosk.content.referrals import Referral, Referrals, load_referrals, office_for, referral_problems
from kiosk.search import words
from kiosk.search.index import Entry, Field, SearchIndex
from kiosk.search.scope import strong_terms, tell
from kiosk.search.terms import query_terms

HOTLINES = {
    "legal": Hotline(id="legal", number="12348", title={"zh-CN": "公共法律服务热线", "en": "Public legal service hotline"}),
    "government": Hotline(id="government", number="12345", title={"zh-CN": "政务服务便民热线", "en": "Government service hotline"}),
}
OFFICE = Office(id="ca", name={"zh-CN": "某县民政局", "en": "Civil Affairs Bureau"}, address={"zh-CN": "人民路1号", "en": "1 Renmin Rd"},
                hours={"zh-CN": "周一至周五"}, phone="0000-1", services=["civil-affairs"], kind="government")


def referral(**changes: object) -> Referral:
    fields: dict[str, object] = {
        "id": "civil_affairs", "body": {"zh-CN": "民政部门", "en": "the civil affairs bureau"},
        "matters": {"zh-CN": "低保、结婚登记", "en": "dibao and marriage registration"},
        "offices": ["marriage-registry", "civil-affairs"], "hotline": "government",
        "keywords": {"zh-CN": ["低保", "结婚登记"], "en": ["dibao"]},
    }
    fields.update(changes)
    return msgspec.convert(fields, Referral)


def table(*referrals: Referral, **changes: object) -> Referrals:
    texts: dict[str, object] = {
        "not_here": {"zh-CN": "这件事不归这里办。", "en": "Not handled here."},
        "no_match": {"zh-CN": "没有找到。", "en": "Nothing fits."},
        "go_to": {"zh-CN": "{matters}的事，请找{body}。", "en": "For {matters}, go to {body}."},
        "office": {"zh-CN": "{name}，{address}，电话 {phone}。", "en": "{name}, {address}, phone {phone}."},
        "call": {"zh-CN": "也可以打{title} {number}。", "en": "Or call the {title} on {number}."},
        "help": {"zh-CN": "法律问题打 {number}。", "en": "Legal questions: {number}."},
    }
    texts.update(changes)
    return msgspec.convert({**texts, "referrals": [msgspec.to_builtins(r) for r in referrals]}, Referrals)


def test_taught_phrases_become_single_words() -> None:
    assert "预付卡跑路" not in words.words("我的预付卡跑路了")
    words.teach(["预付卡跑路"])
    assert "预付卡跑路" in words.words("我的预付卡跑路了")
    assert all(len(w) >= 2 for w in words.words("我的预付卡跑路了"))


def test_an_index_teaches_its_keywords_so_query_and_content_share_words() -> None:
    SearchIndex([Entry(id="x", title={"zh-CN": "某事"}, fields=[Field("田埂被挪", 3.0, True)])])
    assert "w:田埂被挪" in query_terms("邻居把田埂被挪了", {})


def test_strong_terms_drop_single_characters_and_function_pairs() -> None:
    terms = query_terms("我想问工伤", {})
    strong = strong_terms(terms)
    assert "h2:工伤" in strong and "h1:工" not in strong
    assert "h2:我想" in terms and "h2:我想" not in strong  # damped: a function-word pair


def test_referral_text_names_body_office_hotline_and_12348() -> None:
    ref = referral()
    told = tell(table(ref), ref, ("zh-CN",), HOTLINES, office_for(ref, [OFFICE]))
    assert told.body == "civil_affairs"
    assert told.text == ("这件事不归这里办。低保、结婚登记的事，请找民政部门。某县民政局，人民路1号，电话 0000-1。"
                         "也可以打政务服务便民热线 12345。法律问题打 12348。")
    assert [h.number for h in told.hotlines] == ["12345", "12348"]


def test_referral_text_in_english_without_an_office() -> None:
    ref = referral()
    told = tell(table(ref), ref, ("en", "zh-CN"), HOTLINES, office_for(ref, []))
    assert told.text == ("Not handled here. For dibao and marriage registration, go to the civil affairs bureau. "
                         "Or call the Government service hotline on 12345. Legal questions: 12348.")


def test_nothing_fits_names_no_body_but_keeps_12348() -> None:
    told = tell(table(), None, ("zh-CN",), HOTLINES, None)
    assert told.body is None and told.text == "没有找到。法律问题打 12348。"
    assert [h.number for h in told.hotlines] == ["12348"]


def test_everyday_referral_without_a_body_is_not_here_without_naming_one() -> None:
    ref = referral(id="everyday", body=None, matters=None, hotline=None)
    told = tell(table(ref), ref, ("zh-CN",), HOTLINES, None)
    assert told.body is None and told.text == "这件事不归这里办。法律问题打 12348。"


def test_office_is_the_first_service_the_locality_has() -> None:
    assert office_for(referral(offices=["police-station"]), [OFFICE]) is None
    assert office_for(referral(), [OFFICE]) == OFFICE


@pytest.mark.parametrize(("ref", "changes", "complaint"), [
    (referral(hotline="weather"), {}, "names hotline 'weather'"),
    (referral(body={"zh-CN": "民政部门"}), {}, "body has no text in en"),
    (referral(matters=None), {}, "needs both body and matters"),
    (referral(keywords={}), {}, "has no keywords"),
    (referral(), {"help": {"zh-CN": "法律问题打 {number}。"}}, "help has no text in en"),
])
def test_referral_table_problems(ref: Referral, changes: dict[str, object], complaint: str) -> None:
    problems = referral_problems(table(ref, **changes), HOTLINES, ["zh-CN", "en"])
    assert any(complaint in p.message for p in problems), problems


def test_a_good_table_and_twice_the_same_id() -> None:
    assert referral_problems(table(referral()), HOTLINES, ["zh-CN", "en"]) == []
    problems = referral_problems(table(referral(), referral()), HOTLINES, ["zh-CN", "en"])
    assert [p.message for p in problems] == ["referral 'civil_affairs' appears twice"]


def test_broken_referrals_file_is_a_problem_with_a_line(tmp_path: Path) -> None:
    (tmp_path / "referrals.yaml").write_text("not_here: {zh-CN: 不归这里}\nreferrals: [{id: 1}]\n", encoding="utf-8")
    problems: list[Problem] = []
    assert load_referrals(tmp_path, problems) is None
    assert problems and problems[0].file.endswith("referrals.yaml")
    assert load_referrals(tmp_path / "none", []) is None  # no table: search only rejects


def test_words_of_asking_count_as_little_as_function_pairs() -> None:
    terms = query_terms("附近哪里能办工伤", {})
    assert "w:附近" not in terms and "w:哪里" not in terms
    assert terms["h2:附近"] < terms["h2:工伤"] and terms["h1:附"] < terms["h1:工"]


def test_the_segmenter_holds_jiebas_common_words_only() -> None:
    words.words("工伤")  # loads it
    assert 20_000 < len(words._get().FREQ) < 100_000  # the full dictionary: ~500,000 words and prefixes
