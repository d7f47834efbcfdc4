"""Every legal citation in the shipped pack resolves to a law and an article in ../shared/laws.

The statute texts live beside the checkout (never copied into the repo); without them the
whole module is skipped with the reason printed. Set LEGAL_KIOSK_LAWS to use another folder.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kiosk.content.bundle import Bundle, load_bundle
from kiosk.content.citations import LawLibrary, chinese_number, iter_citations, parse_articles
from tests.conftest import CONTENT, LOCALITY

LAWS = Path(os.environ.get("LEGAL_KIOSK_LAWS", Path(__file__).resolve().parents[3] / "shared" / "laws"))

#: Laws the content may cite that the statute collection does not hold, with the reason.
NOT_IN_COLLECTION: dict[str, str] = {
    "公证程序规则": "a 司法部 rule (2020), not in the collection; 公证法 第二十六条 names only 遗嘱、生存、"
    "收养关系 as matters done in person, the rule's 第十一条 adds 委托、声明、赠与 and others",
}


@pytest.fixture(scope="module")
def library() -> LawLibrary:
    if not LAWS.is_dir():
        pytest.skip(f"statute texts not found at {LAWS} (set LEGAL_KIOSK_LAWS): citations unchecked")
    return LawLibrary(LAWS)


@pytest.fixture(scope="module")
def bundle() -> Bundle:
    loaded, problems = load_bundle(CONTENT, LOCALITY)
    assert loaded is not None and not problems, problems
    return loaded


def test_every_citation_resolves_to_an_article_in_the_statute_texts(
    library: LawLibrary, bundle: Bundle
) -> None:
    unresolved, checked = [], 0
    for flow in bundle.flows.values():
        for citation in iter_citations(flow):
            if citation.law in NOT_IN_COLLECTION:
                print(f"not checkable: {citation} ({NOT_IN_COLLECTION[citation.law]})")
                continue
            checked += 1
            problem = library.check(citation.law, citation.article)
            if problem:
                unresolved.append(f"{citation.flow}/{citation.node}: {citation.law} {citation.article}: {problem}")
    print(f"{checked - len(unresolved)} of {checked} citations resolve")
    for line in unresolved:
        print("UNRESOLVED", line)
    assert unresolved == []
    assert checked > 200


def test_the_library_resolves_versions_books_and_sub_articles(library: LawLibrary) -> None:
    # 民事诉讼法: the 2023 version is in force; 第二百五十条 there is the two-year limit to enforce.
    statute = library.statute("民事诉讼法")
    assert statute is not None and statute.date == "2023-09-01"
    assert "二年" in statute.articles["第二百五十条"].paragraphs[0]
    # 民法典 spans its books: 总则 and 婚姻家庭编 articles both resolve.
    assert library.check("民法典", "第一百八十八条") is None
    assert library.check("中华人民共和国民法典", "第一千零九十一条第五项") is None
    assert library.check("刑法", "第二百七十六条之一") is None
    assert library.check("诉讼时效规定", "第四条") is None
    # What does not exist is named.
    assert library.check("法律援助法", "第七十九条") is not None
    assert library.check("法律援助法", "第四十二条第九项") is not None
    assert library.check("劳动合同法", "第八十五条第五款") is not None
    assert library.check("不存在的法", "第一条") is not None


def test_article_parsing_and_numbers_without_the_collection() -> None:
    text = "# 法\n\n## 第一章\n\n第一条 甲。\n\n乙：\n\n（一）丙；\n\n第一条之一 丁。\n\n## 第二章\n\n第十二条 戊。\n"
    articles = parse_articles(text)
    assert set(articles) == {"第一条", "第一条之一", "第十二条"}
    assert articles["第一条"].paragraphs == ("甲。", "乙：\n（一）丙；")
    assert articles["第一条"].has_item("一") and not articles["第一条"].has_item("二")
    assert [chinese_number(t) for t in ("一", "十", "十二", "二百五十", "一千零六十四", "一千一百二十九")] == [
        1, 10, 12, 250, 1064, 1129,
    ]
