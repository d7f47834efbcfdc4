"""Phone pages of applications (/a/<code>, /o/<flow>/<node>) and `central applications --json`,
over real HTTP against `central serve` on SQLite."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import requests

from central.testing.servers import CentralServer
from tests.central.casework_helpers import PERSON, application, publish_kinds
from tests.central.conftest import Api


@pytest.fixture
def kapi(sqlite_server: CentralServer) -> Api:
    publish_kinds(sqlite_server)
    return Api(sqlite_server)


def _plain_phone_page(response: requests.Response) -> str:
    assert response.headers["Content-Type"].startswith("text/html")
    text = response.text
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in text
    assert "<script" not in text, "no scripts at all on phone pages"
    assert "script-src 'none'" in response.headers["Content-Security-Policy"]
    return text


def test_status_page_masks_name_and_phone(kapi: Api) -> None:
    body = application(kapi)
    assert kapi.post("/api/v1/applications", body).status_code == 201
    page = requests.get(f"{kapi.base}/a/{body['code'].lower()}", timeout=10)
    assert page.status_code == 200
    text = _plain_phone_page(page)
    assert f"{body['code'][:4]}-{body['code'][4:]}" in text
    assert "已收到，正在审查" in text and "Received, being examined" in text
    assert "张**" in text and "138****5678" in text
    for secret in (PERSON["name"], PERSON["phone"], PERSON["id_number"], PERSON["address"]):
        assert secret not in text
    assert "示范县公共法律服务中心" in text and "决定期限" in text
    assert page.headers.get("Cache-Control") == "no-store"
    missing = requests.get(f"{kapi.base}/a/ZZZZZZZZ", timeout=10)
    assert missing.status_code == 404 and "没有这个申请编号" in _plain_phone_page(missing)
    assert requests.get(f"{kapi.base}/a/{'x' * 1000}", timeout=10).status_code == 404


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext not found: apt-get install poppler-utils")
def test_blank_form_page_serves_the_kinds_empty_form(kapi: Api, tmp_path: Path) -> None:
    """/f/<kind>: the QR a kiosk without an A4 printer shows: the published form, empty."""
    page = requests.get(f"{kapi.base}/f/legal-aid", timeout=60)
    assert page.status_code == 200 and page.headers["Content-Type"] == "application/pdf"
    (tmp_path / "blank.pdf").write_bytes(page.content)
    text = subprocess.run(["pdftotext", str(tmp_path / "blank.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "法律援助申请" in text and "空白申请表" in text
    assert PERSON["name"] not in text and PERSON["id_number"] not in text
    for path in ("/f/no-such-kind", "/f/callback", "/f/..%2Fpack", f"/f/{'a' * 200}"):
        missing = requests.get(f"{kapi.base}{path}", timeout=10)
        assert missing.status_code == 404, path  # callback has no form


def test_outcome_page_shows_what_the_kiosk_shows(kapi: Api) -> None:
    zh = requests.get(f"{kapi.base}/o/legal-aid/o_apply?l=zh-CN", timeout=10)
    assert zh.status_code == 200
    text = _plain_phone_page(zh)
    assert "您可以申请法律援助" in text
    assert "1575" in text, "the locality's figure is filled in"
    assert "示范县公共法律服务中心（法律援助中心）" in text, "where: the offices from the locality"
    assert "身份证（或户口本）" in text and "法律援助法 第四十三条" in text and "第二十七条" in text
    assert '<html lang="zh-CN">' in text
    en = requests.get(f"{kapi.base}/o/legal-aid/o_apply?l=en", timeout=10)
    assert en.status_code == 200 and "You can apply for legal aid" in en.text and '<html lang="en">' in en.text
    assert "Legal Aid Law Article 43" in en.text
    odd = requests.get(f"{kapi.base}/o/legal-aid/o_apply?l=xx", timeout=10)
    assert odd.status_code == 200 and "您可以申请法律援助" in odd.text
    for path in ("/o/legal-aid/no_such_node", "/o/no-such-flow/o_apply", "/o/legal-aid/income",
                 "/o/..%2F..%2Fetc/passwd", f"/o/{'a' * 70}/o_apply"):
        missing = requests.get(f"{kapi.base}{path}?l=zh-CN", timeout=10)
        assert missing.status_code == 404, path
        if "%2F" not in path:
            assert "找不到这个页面" in missing.text


def test_cli_lists_applications_without_personal_data(kapi: Api) -> None:
    body = application(kapi)
    assert kapi.post("/api/v1/applications", body).status_code == 201
    out = kapi.server.command("applications", "--json")
    rows = json.loads(out)
    mine = [r for r in rows if r["code"] == body["code"]]
    assert mine and set(mine[0]) == {"code", "kind", "status", "received_at"}
    assert mine[0]["kind"] == "legal-aid" and mine[0]["status"] == "received"
    assert all(set(r) == {"code", "kind", "status", "received_at"} for r in rows)
    for secret in (PERSON["name"], PERSON["phone"], PERSON["id_number"]):
        assert secret not in out
    purged = json.loads(kapi.server.command("purge-applications").strip().splitlines()[-1])
    assert purged == {"purged": 0}
