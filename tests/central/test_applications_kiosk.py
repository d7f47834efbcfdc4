"""The kiosk's own `kiosk apply` (kiosk/applications, issue 13) against `central serve`: the
sealed application arrives, is stored once, and its phone page masks the name. Skipped, with
the reason, on a tree without the kiosk side."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from central.testing.servers import CentralServer
from tests.central.casework_helpers import publish_kinds

pytest.importorskip("kiosk.applications.cli", reason="the kiosk side of issue 13 is not in this tree")
KIOSK = str(Path(sys.executable).with_name("kiosk"))


def test_kiosk_apply_reaches_casework(sqlite_server: CentralServer, tmp_path: Path) -> None:
    publish_kinds(sqlite_server)
    person = tmp_path / "person.json"
    person.write_text(json.dumps({"name": "王小明", "id_number": "110105198503070019", "phone": "13812345678",
                                  "address": "示范县城关镇人民路1号"}, ensure_ascii=False), encoding="utf-8")
    env = {**os.environ, "KIOSK_CENTRAL_URL": sqlite_server.url, "KIOSK_TOKEN": sqlite_server.demo["kiosk_token"],
           "KIOSK_STATE_DIR": str(tmp_path / "state"),
           "KIOSK_TUF_ROOT": str(sqlite_server.data_dir / "tuf" / "metadata" / "1.root.json")}
    done = subprocess.run([KIOSK, "apply", "--kind", "legal-aid", "--person", str(person), "--json"],
                          env=env, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-2000:]
    answer = json.loads(done.stdout)
    assert answer["queued"] is False
    rows = json.loads(sqlite_server.command("applications", "--json"))
    assert [r for r in rows if r["code"] == answer["code"]] == [
        {"code": answer["code"], "kind": "legal-aid", "status": "received",
         "received_at": next(r["received_at"] for r in rows if r["code"] == answer["code"])}]
    page = requests.get(f"{sqlite_server.url}/a/{answer['code']}", timeout=10).text
    assert "王**" in page and "王小明" not in page and "138****5678" in page


def test_staff_open_the_filled_form_as_pdf(sqlite_server: CentralServer, tmp_path: Path) -> None:
    pytest.importorskip("kiosk.forms.render", reason="the kiosk's form code is not in this tree")
    from tests.central.casework_helpers import PERSON, application
    from tests.central.conftest import Api

    publish_kinds(sqlite_server)
    api = Api(sqlite_server)
    body = application(api)
    assert api.post("/api/v1/applications", body).status_code == 201
    staff = requests.Session()
    login = f"{sqlite_server.url}/admin/login/"
    staff.get(login, timeout=10)
    staff.post(login, timeout=10, data={
        "username": sqlite_server.demo["admin_user"], "password": sqlite_server.demo["admin_password"],
        "csrfmiddlewaretoken": staff.cookies["csrftoken"], "next": "/admin/"}, headers={"Referer": login})
    pdf = staff.get(f"{sqlite_server.url}/staff/applications/{body['code']}/form.pdf", timeout=60)
    assert pdf.status_code == 200 and pdf.headers["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    (tmp_path / "form.pdf").write_bytes(pdf.content)
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "form.pdf"), "-"], capture_output=True,
                          text=True, timeout=60).stdout
    assert PERSON["name"] in text and PERSON["id_number"] in text
    audit = sqlite_server.django(
        "from central.casework.models import AuditEntry; "
        f"print([e.detail.get('form') for e in AuditEntry.objects.filter(application__code='{body['code']}', "
        "action='viewed_personal')])")
    assert "'pdf'" in audit
