"""Form templates: filled in a sandbox, escaped, blank where nothing was given, no URL loads."""

from __future__ import annotations

import pytest

from kiosk.forms.context import FormMeta, form_context
from kiosk.forms.render import FormError, data_only_fetcher, fill
from kiosk.forms.templates import load_templates
from tests.conftest import CONTENT

PERSON = {"name": "李秀兰", "sex": "女", "id_number": "110101195003070025", "phone": "13800138000",
          "address": "示范县城关镇幸福村3组"}


def test_the_pack_has_a_form_for_every_kind_that_prints_one() -> None:
    templates = load_templates(CONTENT)
    assert {"legal-aid.html", "mediation.html", "admin-reconsideration.html", "labour-arbitration.html",
            "base.html"} <= set(templates)


def test_a_filled_form_shows_the_applicant_and_escapes_what_they_said() -> None:
    templates = load_templates(CONTENT)
    meta = FormMeta(title="法律援助申请表", body="示范县法律援助中心", code_display="7K3M-9Q2P")
    html = fill(templates, "legal-aid.html",
                form_context(meta, PERSON, {"facts": "老板欠了<b>三个月</b>工钱", "matter": "讨要工资"}))
    assert "李秀兰" in html and "110101195003070025" in html and "7K3M-9Q2P" in html
    assert "&lt;b&gt;三个月&lt;/b&gt;" in html and "<b>三个月" not in html
    assert "示范县法律援助中心" in html


def test_a_blank_form_has_lines_to_fill_in_and_no_code() -> None:
    templates = load_templates(CONTENT)
    html = fill(templates, "labour-arbitration.html", form_context(FormMeta(title="劳动人事争议仲裁申请书")))
    assert "空白申请表" in html and "申请编号：＿" in html
    assert "None" not in html and "undefined" not in html.lower()


def test_a_template_cannot_reach_python_or_missing_files() -> None:
    hostile = {"x.html": "{{ ''.__class__.__mro__[1].__subclasses__() }}"}
    with pytest.raises(FormError) as caught:
        fill(hostile, "x.html", {})
    assert caught.value.code == "template_error"
    with pytest.raises(FormError) as missing:
        fill({}, "legal-aid.html", {})
    assert missing.value.code == "no_template"


def test_the_pdf_step_loads_no_file_or_network_url() -> None:
    fetcher = data_only_fetcher()
    for url in ("file:///etc/passwd", "http://127.0.0.1/x.png", "https://example.org/font.woff"):
        with pytest.raises(ValueError, match="disallowed protocol"):
            fetcher.fetch(url)
    assert fetcher.fetch("data:text/plain;base64,aGk=").read() == b"hi"
