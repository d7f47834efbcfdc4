"""A resident in danger is never told "not here" (content/referrals.yaml `never_refuse`).

The scope rule refuses questions whose evidence is thin; a short question about being
beaten at home is thin, and refusing it is the worst answer a kiosk can give.
"""

from __future__ import annotations

import msgspec
import pytest

from kiosk.content.bundle import Bundle
from kiosk.content.referrals import NeverRefuse, referral_problems
from kiosk.search.service import SearchService


@pytest.fixture(scope="module")
def search(bundle: Bundle) -> SearchService:
    return SearchService.for_bundle(bundle)


@pytest.mark.parametrize("query", ["我爸天天打我", "哥哥经常打我妈", "他总是揍我", "打我"])
def test_violence_at_home_is_never_refused_and_comes_first(search: SearchService, query: str) -> None:
    result = search.find(query)
    assert not result.out_of_scope, query
    assert result.hits[0].flow == "domestic-violence", (query, result.hits)


def test_violence_words_keep_the_flow_among_the_choices(search: SearchService) -> None:
    hits = search.search("my son hits me", top=3)
    assert "domestic-violence" in [h.flow for h in hits]


def test_without_such_words_refusal_is_unchanged(search: SearchService) -> None:
    assert search.find("明天会下雨吗").out_of_scope
    assert search.find("身份证丢了怎么补办").referral_body == "police"


def test_the_rule_without_the_words_is_refused_without_them(search: SearchService) -> None:
    """The same question with the rule removed is refused: the rule is what answers it."""
    assert search.scope is not None
    table = msgspec.structs.replace(search.scope.table, never_refuse=[])
    bare = SearchService(search.index, search.fallback,
                         msgspec.structs.replace(search.scope, table=table))
    assert bare.find("我爸天天打我").out_of_scope


def test_a_rule_naming_an_unknown_flow_is_a_content_problem(bundle: Bundle) -> None:
    assert bundle.referrals is not None
    rule = NeverRefuse(flow="no-such-flow", words={"zh-CN": ["打我"]})
    table = msgspec.structs.replace(bundle.referrals, never_refuse=[rule])
    problems = referral_problems(table, bundle.hotlines(), bundle.pack.locales, bundle.flows.keys())
    assert any("no-such-flow" in p.message for p in problems)
