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


def _text(zh: str, en: str) -> dict[str, str]:
    return {"zh-CN": zh, "en": en}


def _consent(kind: str, id_number: bool) -> dict[str, object]:
    consent: dict[str, object] = {
        "version": f"{kind}-test", "what": _text("姓名和电话", "name and phone"),
        "whom": _text("受理机构", "the receiving body"), "why": _text("办理申请", "to handle it"),
        "how_long": _text("办结后一年", "a year after closing"), "rights": _text("可以撤回", "you may withdraw")}
    if id_number:
        consent["id_number"] = _text("身份证号要另外同意", "the ID number needs its own consent")
    return consent


def _basis(law: str, article: str) -> dict[str, object]:
    return {"law": _text(law, law), "article": _text(article, article)}


#: In the shape of kiosk/applications/model.py (strict); written only where the content pack
#: has no kind of that id yet, so the pack's own kinds are used once they exist.
KINDS: dict[str, dict[str, Any]] = {
    "legal-aid": {
        "id": "legal-aid", "title": _text("法律援助申请", "Legal aid application"), "service": "legal-aid",
        "person": ["name", "sex", "ethnicity?", "birth_date", "id_number", "address", "phone"],
        "takes": [], "case": {"facts": _text("发生了什么事？", "What happened?")},
        "decision": {"days": 7, "working_days": False, "what": _text("决定是否给予法律援助", "decide"),
                     "basis": _basis("《中华人民共和国法律援助法》", "第四十三条")},
        "consent": _consent("legal-aid", True), "retention_days": 365},
    "admin-reconsideration": {
        "id": "admin-reconsideration", "title": _text("行政复议申请", "Administrative reconsideration"),
        "service": "admin-reconsideration", "person": ["name", "sex", "birth_date", "id_number", "address", "phone"],
        "case": {"facts": _text("事情经过", "What happened")},
        "decision": {"days": 5, "working_days": True, "what": _text("决定是否受理", "decide"),
                     "basis": _basis("《中华人民共和国行政复议法》", "第三十条、第八十八条")},
        "consent": _consent("admin-reconsideration", True), "retention_days": 365},
    "callback": {
        "id": "callback", "title": _text("请工作人员给我回电话", "Ask staff to call me back"),
        "service": "consultation", "person": ["phone", "name?"],
        "case": {"about": _text("您想问什么？", "What would you like to ask?")},
        "consent": _consent("callback", False), "retention_days": 30},
}
PERSON = {"name": "张三丰", "sex": "male", "ethnicity": "汉", "birth_date": "1985-03-07",
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
            path = content / "applications" / f"{kind}.yaml"
            if not path.exists():
                path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
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
