"""Application kinds for the casework tests, in the shape docs/api.md describes, published
into a running central service; and a kiosk's way of sealing and sending an application."""

from __future__ import annotations

import base64
import datetime as dt
import json
import secrets
import shutil
import tempfile
from pathlib import Path
from typing import Any

import yaml
from nacl.public import PublicKey, SealedBox

from central.testing.servers import REPO, CentralServer
from tests.central.conftest import Api

BASIS = {"law": {"zh-CN": "中华人民共和国法律援助法", "en": "Legal Aid Law"},
         "article": {"zh-CN": "第四十三条", "en": "Article 43"}}
CONSENT = {"zh-CN": "我们收集您的姓名、身份证号码和电话，交给法律援助中心审查您的申请，办结后保存三年。",
           "en": "We collect your name, ID number and phone for the legal aid centre, kept three years."}
KINDS: dict[str, dict[str, Any]] = {
    "legal-aid": {
        "title": {"zh-CN": "法律援助申请", "en": "Legal aid application"}, "service": "legal-aid",
        "person": ["name", "sex", "ethnicity", "birth_date", "id_number", "address", "phone"],
        "takes": ["monthly_income"], "case": ["matter", "facts"],
        "decision": {"days": 7, "working_days": False, "basis": BASIS},
        "consent": CONSENT, "retention_days": 30, "form": "forms/legal-aid.html"},
    "admin-reconsideration": {
        "title": {"zh-CN": "行政复议申请", "en": "Administrative reconsideration"},
        "service": "admin-reconsideration", "person": ["name", "id_number", "address", "phone"],
        "takes": [], "case": ["respondent", "request", "facts"],
        "decision": {"days": 5, "working_days": True,
                     "basis": {"law": {"zh-CN": "中华人民共和国行政复议法", "en": "Administrative Reconsideration Law"},
                               "article": {"zh-CN": "第三十条", "en": "Article 30"}}},
        "consent": CONSENT, "retention_days": 365, "form": "forms/admin-reconsideration.html"},
    "orphan": {  # no office in the demo county offers this service
        "title": {"zh-CN": "无人受理", "en": "Nobody's"}, "service": "no-such-service",
        "person": ["name"], "decision": {"days": 3}, "retention_days": 30},
    "callback": {
        "title": {"zh-CN": "请工作人员给我回电话", "en": "Please call me back"}, "service": "consultation",
        "person": ["name", "phone"], "takes": [], "case": ["matter"],
        "decision": {"days": 1, "working_days": True, "basis": {"law": {"zh-CN": "本局服务承诺"},
                                                                  "article": {"zh-CN": "一个工作日内回电"}}},
        "consent": CONSENT, "retention_days": 30, "form": "forms/callback.html"},
}
PERSON = {"name": "张三丰", "sex": "男", "ethnicity": "汉", "birth_date": "1985-03-07",
          "id_number": "110105198503070019", "address": "示范县城关镇人民路1号", "phone": "13812345678"}
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_published: set[str] = set()


def publish_kinds(server: CentralServer) -> None:
    """Content with the kinds above, imported and published (once per server)."""
    if server.url in _published:
        return
    root = Path(tempfile.mkdtemp(prefix="kinds-"))
    try:
        content = root / "content"
        shutil.copytree(REPO / "content", content)
        (content / "applications").mkdir(exist_ok=True)
        (content / "forms").mkdir(exist_ok=True)
        for kind, data in KINDS.items():
            (content / "applications" / f"{kind}.yaml").write_text(
                yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
            (content / "forms" / f"{kind}.html").write_text(f"<h1>{kind}</h1>", encoding="utf-8")
        server.command("import-content", str(content))
        server.command("publish", "--json")
    finally:
        shutil.rmtree(root, ignore_errors=True)
    _published.add(server.url)


def new_code() -> str:
    return "".join(secrets.choice(CROCKFORD) for _ in range(8))


def config(api: Api) -> dict[str, Any]:
    answer = api.get("/api/v1/config")
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def seal(public_key_b64: str, person: dict[str, Any]) -> str:
    box = SealedBox(PublicKey(base64.b64decode(public_key_b64)))
    return base64.b64encode(box.encrypt(json.dumps(person, ensure_ascii=False).encode())).decode()


def application(api: Api, kind: str = "legal-aid", person: dict[str, Any] | None = None,
                **over: Any) -> dict[str, Any]:
    cfg = config(api)
    now = dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).replace(microsecond=0)
    body: dict[str, Any] = {
        "code": new_code(), "kind": kind, "flow": "legal-aid", "outcome": "eligible",
        "content_version": "2026.11.1+test", "locale": "zh-CN",
        "answers": {"monthly_income": 1200, "has_case": True}, "case": {"matter": "工资被拖欠", "facts": "老板欠三个月工资"},
        "consent": {"version": "1", "at": now.isoformat()}, "created_at": now.isoformat(),
        "key_id": cfg["seal_key_id"], "sealed": seal(cfg["seal_public_key"], PERSON if person is None else person)}
    body.update(over)
    return body
