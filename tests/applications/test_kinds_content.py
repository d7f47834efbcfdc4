"""Kinds as content: loaded and compiled with the pack; `kiosk validate` checks that
offered kinds exist, that a kind's service is in the catalogue, and form placeholders."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk.applications.check import template_fields
from kiosk.content.bundle import load_bundle
from kiosk.content.compiled import checked_bundle, compile_bundle, read_compiled
from kiosk.flows.model import OutcomeNode
from kiosk.flows.validate import validate
from tests.conftest import CONTENT, LOCALITY

LAWS = Path("/work/shared/laws")


def _messages(content: Path) -> list[str]:
    return [str(p) for p in validate(content, content, LOCALITY, ("zh-CN", "en")).problems]


def test_the_shipped_kinds_load_without_problems() -> None:
    bundle, problems = load_bundle(CONTENT, LOCALITY)
    assert bundle is not None and not problems
    assert sorted(bundle.applications) == ["admin-reconsideration", "callback", "labour-arbitration",
                                           "legal-aid", "mediation"]
    decisions = {k: (v.decision.days, v.decision.working_days) if v.decision else None
                 for k, v in bundle.applications.items()}
    assert decisions == {"legal-aid": (7, False), "admin-reconsideration": (5, True),
                         "labour-arbitration": (5, False), "mediation": None, "callback": None}
    assert not _messages(CONTENT)


@pytest.mark.skipif(not LAWS.is_dir(), reason="the statute texts (shared/laws) are not on this machine")
def test_each_deadline_is_what_its_article_says() -> None:
    bundle, _ = load_bundle(CONTENT, LOCALITY)
    assert bundle is not None
    expect = {"legal-aid": ("法律援助法", "第四十三条", "七日内"),
              "admin-reconsideration": ("行政复议法(2023", "第三十条", "五日内"),
              "labour-arbitration": ("劳动争议调解仲裁法", "第二十九条", "五日内")}
    for kind_id, (law, article, days) in expect.items():
        kind = bundle.applications[kind_id]
        assert kind.decision is not None and article in kind.decision.basis.article["zh-CN"]
        text = next(p for p in LAWS.iterdir() if law in p.name).read_text(encoding="utf-8")
        line = next(x for x in text.splitlines() if x.startswith(article))
        assert days in line
    reconsideration = next(p for p in LAWS.iterdir() if "行政复议法(2023" in p.name).read_text(encoding="utf-8")
    assert re.search(r"“五日”.*是指工作日", reconsideration)


def test_kinds_survive_the_compiled_bundle(kinds_content: Callable[..., Path], tmp_path: Path) -> None:
    bundle, problems = checked_bundle(kinds_content({"o_apply": ["legal-aid"]}), LOCALITY)
    assert bundle is not None and not problems, problems
    path = tmp_path / "bundle.json"
    path.write_bytes(compile_bundle(bundle))
    again = read_compiled(path)
    assert again.applications == bundle.applications
    node = again.flows["legal-aid"].node("o_apply")
    assert isinstance(node, OutcomeNode) and node.apply == ["legal-aid"]


def test_an_outcome_offering_an_unknown_kind_is_a_problem(kinds_content: Callable[..., Path]) -> None:
    assert not _messages(kinds_content({"o_apply": ["legal-aid", "callback"]}))
    found = _messages(kinds_content({"o_apply": ["legal-aid", "legal-aide"]}))
    assert len(found) == 1 and "o_apply" in found[0] and "'legal-aide'" in found[0]


def test_a_kind_whose_service_is_not_in_the_catalogue(kinds_content: Callable[..., Path]) -> None:
    content = kinds_content()
    path = content / "applications" / "callback.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("service: consultation", "service: hotline"),
                    encoding="utf-8")
    found = _messages(content)
    assert len(found) == 1 and "applications/callback.yaml" in found[0] and "'hotline'" in found[0]
    bundle, problems = checked_bundle(content, LOCALITY)
    assert bundle is not None and "callback" not in bundle.applications and problems


def test_a_kind_with_an_unknown_key_or_a_missing_id_consent(kinds_content: Callable[..., Path]) -> None:
    content = kinds_content()
    path = content / "applications" / "legal-aid.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("retention_days: 365", "retention_days: 365\nkeep_forever: true"),
                    encoding="utf-8")
    assert any("keep_forever" in m for m in _messages(content))
    cut = text[:text.index("  id_number:\n")] + text[text.index("retention_days"):]
    path.write_text(cut, encoding="utf-8")
    assert any("第二十九条" in m for m in _messages(content))


FORM = """<h1>{{ kind.title }}</h1>
<p>{{ person.name }} {{ person.id_number | e }}</p>
{% if case.facts %}<p>{{ case.facts }}</p>{% endif %}
<p>{{ answers.household_size }}</p>
<p>{{ person.employer }}</p>
<p>{{ case.salary }} {{ answers.wages_owed }}</p>
"""


def test_form_placeholders_must_be_declared(kinds_content: Callable[..., Path]) -> None:
    content = kinds_content()
    assert not _messages(content)  # no template yet: nothing to check
    (content / "forms").mkdir()
    (content / "forms" / "legal-aid.html").write_text(FORM, encoding="utf-8")
    found = _messages(content)
    assert len(found) == 3, found
    assert all(m.startswith("forms/legal-aid.html:") for m in found)
    joined = "\n".join(found)
    assert "person.employer" in joined and ":5" in joined and "'person'" in joined
    assert "case.salary" in joined and "answers.wages_owed" in joined and "'takes'" in joined
    # declared fields are fine
    (content / "forms" / "legal-aid.html").write_text(FORM.splitlines()[1] + FORM.splitlines()[2],
                                                      encoding="utf-8")
    assert not _messages(content)


def test_template_fields_finds_tags_only() -> None:
    assert template_fields("person.name {{ person.phone }}\n{%for x in answers.a%}") == [
        ("person", "phone", 1), ("answers", "a", 2)]


def test_bundle_version_changes_with_a_kind(kinds_content: Callable[..., Path]) -> None:
    content = kinds_content()
    first, _ = load_bundle(content, LOCALITY)
    path = content / "applications" / "callback.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("retention_days: 30", "retention_days: 31"),
                    encoding="utf-8")
    second, _ = load_bundle(content, LOCALITY)
    assert first is not None and second is not None and first.version != second.version
    assert second.applications["callback"].retention_days == 31
