"""Applications through the kiosk API (docs/api.md, issue 13) over real HTTP, on SQLite and
PostgreSQL: sealed to the key /api/v1/config names, every bad input a 4xx JSON answer."""

from __future__ import annotations

import base64
import datetime as dt
import json
import uuid

import pytest
import requests

from central.testing.servers import CentralServer
from tests.central.casework_helpers import PERSON, application, config, new_code, publish_kinds, seal
from tests.central.conftest import Api


@pytest.fixture
def kapi(api: Api) -> Api:
    publish_kinds(api.server)
    return api


def test_config_names_the_public_url_and_a_sealing_key(kapi: Api) -> None:
    bare = requests.get(kapi.base + "/api/v1/config", timeout=10)  # no token needed
    assert bare.status_code == 200
    cfg = bare.json()
    assert cfg["public_base_url"] == kapi.base
    assert len(base64.b64decode(cfg["seal_public_key"])) == 32
    assert cfg["seal_key_id"] and dt.datetime.fromisoformat(cfg["server_time"]).utcoffset()
    assert config(kapi)["seal_public_key"] == cfg["seal_public_key"], "the same key on every call"
    keyfile = kapi.server.data_dir / "keys" / "casework" / "seal.key"
    assert keyfile.stat().st_mode & 0o777 == 0o600
    assert (kapi.server.data_dir / "keys" / "casework" / "at_rest.key").stat().st_mode & 0o777 == 0o600


def test_submit_then_status_with_phone_digits(kapi: Api) -> None:
    body = application(kapi)
    made = kapi.post("/api/v1/applications", body)
    assert made.status_code == 201, made.text
    out = made.json()
    assert out["code"] == body["code"] and out["kind"] == "legal-aid" and out["status"] == "received"
    created = dt.datetime.fromisoformat(body["created_at"]).date()
    assert out["decision_due"] == (created + dt.timedelta(days=7)).isoformat()
    assert out["body"]["zh-CN"].startswith("示范县公共法律服务中心") and out["body"]["en"]
    assert out["url"] == f"{kapi.base}/a/{body['code']}"
    dashed = f"{body['code'][:4]}-{body['code'][4:]}".lower()
    status = kapi.get(f"/api/v1/applications/{dashed}?phone_last4=5678")
    assert status.status_code == 200, status.text
    got = status.json()
    assert got["status"] == "received" and got["status_text"]["zh-CN"] and got["next_step"]["en"]
    assert got["decision_due"] == out["decision_due"] and got["body"] == out["body"]
    assert "张三丰" not in status.text and "13812345678" not in status.text
    wrong = kapi.get(f"/api/v1/applications/{body['code']}?phone_last4=0000")
    assert wrong.status_code == 404 and wrong.json()["error"] == "unknown_code"


def test_resend_is_the_same_application_and_other_content_is_code_taken(kapi: Api) -> None:
    body = application(kapi)
    key = str(uuid.uuid4())
    first = kapi.post("/api/v1/applications", body, key=key)
    assert first.status_code == 201
    replay = kapi.post("/api/v1/applications", body, key=key)
    assert replay.status_code == 201 and replay.json() == first.json()
    assert replay.headers.get("Idempotent-Replayed") == "true"
    # The outbox lost the answer and the key (a rebuilt queue): the same submission again.
    again = kapi.post("/api/v1/applications", body)
    assert again.status_code == 201 and again.json()["code"] == body["code"]
    other = dict(body, case={"matter": "另一件事"})
    taken = kapi.post("/api/v1/applications", other)
    assert taken.status_code == 409 and taken.json()["error"] == "code_taken"
    rows = json.loads(kapi.server.command("applications", "--json"))
    assert [r["code"] for r in rows].count(body["code"]) == 1, "stored exactly once"


def test_working_days_skip_weekends_and_holidays(kapi: Api) -> None:
    # A Friday: five working days later is the next Friday, unless a holiday intervenes.
    friday = dt.datetime(2030, 1, 4, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    body = application(kapi, kind="admin-reconsideration", created_at=friday.isoformat())
    made = kapi.post("/api/v1/applications", body)
    assert made.status_code == 201, made.text
    assert made.json()["decision_due"] == "2030-01-11"
    kapi.server.django("from central.booking.models import Holiday; from central.org.models import County; "
                       "Holiday.objects.get_or_create(county=County.objects.get(slug='demo'), "
                       "date='2030-01-08', defaults={'name': 'test'})")
    body = application(kapi, kind="admin-reconsideration", created_at=friday.isoformat())
    assert kapi.post("/api/v1/applications", body).json()["decision_due"] == "2030-01-14"


def test_callback_waits_and_needs_only_a_phone(kapi: Api) -> None:
    made = kapi.post("/api/v1/applications", application(kapi, kind="callback",
                                                          person={"name": "李四", "phone": "13900001111"}))
    assert made.status_code == 201, made.text
    assert made.json()["status"] == "waiting" and made.json()["decision_due"] is None
    nameless = kapi.post("/api/v1/applications", application(kapi, kind="callback", flow="", outcome="",
                                                             person={"phone": "13900002222"}))
    assert nameless.status_code == 201, "name? is optional for a callback"
    phoneless = kapi.post("/api/v1/applications", application(kapi, kind="callback", person={"name": "李四"}))
    assert phoneless.status_code == 422 and phoneless.json()["detail"][0]["loc"] == ["person", "phone"]


def test_no_receiving_office_in_the_kiosks_county_is_unknown_kind(kapi: Api, server: CentralServer) -> None:
    token = server.django(
        "from central.fleet.models import Kiosk; from central.org.models import County; "
        "c, _ = County.objects.get_or_create(slug='empty', defaults={'name': '空县'}); "
        "k, _ = Kiosk.objects.get_or_create(code='empty-1', defaults={'county': c}); "
        "t = k.issue_token(); k.save(); print(t)").strip().splitlines()[-1]
    elsewhere = Api(server, token=token)
    answer = elsewhere.post("/api/v1/applications", application(elsewhere))
    assert answer.status_code == 422 and answer.json()["error"] == "unknown_kind"


BAD_ID = dict(PERSON, id_number="110105198503070018")  # wrong check digit


@pytest.mark.parametrize(("change", "status", "code"), [
    ({"kind": "no-such-kind"}, 422, "unknown_kind"),
    ({"kind": "../../etc/passwd"}, 422, "unknown_kind"),
    ({"sealed": base64.b64encode(b"x" * 80).decode()}, 422, "unsealable"),
    ({"sealed": "not base64 at all!"}, 422, "unsealable"),
    ({"person": BAD_ID}, 422, "invalid"),
    ({"person": dict(PERSON, phone="12345")}, 422, "invalid"),
    ({"person": dict(PERSON, sex="男")}, 422, "invalid"),
    ({"person": {k: v for k, v in PERSON.items() if k != "name"}}, 422, "invalid"),
    ({"person": ["not", "an", "object"]}, 422, "invalid"),
    ({"person": dict(PERSON, name="张" * 5000)}, 422, "invalid"),
    ({"code": "ILOU!!!!"}, 422, "invalid"),
    ({"code": None}, 422, "invalid"),
    ({"consent": None}, 422, "invalid"),
    ({"created_at": "yesterday"}, 422, "invalid"),
    ({"case": {"facts": "事" * 100_000}}, 422, "invalid"),
    ({"answers": {f"v{i}": i for i in range(500)}}, 422, "invalid"),
    ({"sealed": "A" * 100_000}, 422, "invalid"),
])
def test_bad_input_is_refused_and_nothing_is_stored(kapi: Api, change: dict[str, object], status: int,
                                                     code: str) -> None:
    change = dict(change)  # the parameters are shared by the SQLite and PostgreSQL runs
    person = change.pop("person", None)
    body = application(kapi, person=person if isinstance(person, dict | list) else None)  # type: ignore[arg-type]
    body.update(change)
    answer = kapi.post("/api/v1/applications", body)
    assert answer.status_code == status, answer.text
    assert answer.json()["error"] == code
    assert "张三丰" not in answer.text and "110105" not in answer.text, "no personal value echoed"
    if isinstance(body.get("code"), str):
        missing = kapi.get(f"/api/v1/applications/{body['code']}?phone_last4=5678")
        assert missing.status_code in (404, 429)


def test_truncated_and_huge_bodies_are_4xx_json(kapi: Api) -> None:
    data = json.dumps(application(kapi)).encode()
    headers = {"Authorization": f"Bearer {kapi.token}", "Idempotency-Key": str(uuid.uuid4()),
               "Content-Type": "application/json"}
    cut = requests.post(kapi.base + "/api/v1/applications", data=data[: len(data) // 2], headers=headers,
                        timeout=30)
    assert cut.status_code in (400, 422) and "error" in cut.json()
    headers["Idempotency-Key"] = str(uuid.uuid4())
    huge = requests.post(kapi.base + "/api/v1/applications", data=b'{"code": "' + b"A" * 3_000_000 + b'"}',
                         headers=headers, timeout=60)
    assert 400 <= huge.status_code < 500 and "error" in huge.json()
    unauth = requests.post(kapi.base + "/api/v1/applications", json=application(kapi), timeout=10,
                           headers={"Idempotency-Key": str(uuid.uuid4())})
    assert unauth.status_code == 401


def test_status_lookups_are_rate_limited_per_kiosk(kapi: Api, server: CentralServer) -> None:
    server.django("from central.casework.models import LookupMiss; LookupMiss.objects.all().delete()")
    body = application(kapi)
    assert kapi.post("/api/v1/applications", body).status_code == 201
    for _ in range(10):
        assert kapi.get(f"/api/v1/applications/{new_code()}?phone_last4=1234").status_code == 404
    limited = kapi.get(f"/api/v1/applications/{body['code']}?phone_last4=5678")
    assert limited.status_code == 429 and limited.json()["error"] == "rate_limited"
    server.django("from central.casework.models import LookupMiss; LookupMiss.objects.all().delete()")
    assert kapi.get(f"/api/v1/applications/{body['code']}?phone_last4=5678").status_code == 200


def test_personal_fields_are_encrypted_at_rest(kapi: Api, server: CentralServer) -> None:
    body = application(kapi)
    assert kapi.post("/api/v1/applications", body).status_code == 201
    raw = server.django(
        "from django.db import connection\n"
        "with connection.cursor() as c:\n"
        f"    c.execute(\"SELECT * FROM casework_application WHERE code = '{body['code']}'\")\n"
        "    row = c.fetchone()\n"
        "print(repr([bytes(v).hex() if isinstance(v, (bytes, memoryview)) else v for v in row]))")
    assert body["code"] in raw
    for value in (PERSON["name"], PERSON["id_number"], PERSON["phone"], "老板欠三个月工资"):
        assert value not in raw
        assert value.encode().hex() not in raw, "not even as bytes"
    for hidden in ("seal.key", "at_rest.key"):
        assert (server.data_dir / "keys" / "casework" / hidden).exists()
    assert "seal.key" not in raw


def test_sealed_box_to_another_key_is_unsealable(kapi: Api) -> None:
    from nacl.public import PrivateKey

    other = base64.b64encode(bytes(PrivateKey.generate().public_key)).decode()
    body = application(kapi, sealed=seal(other, PERSON))
    answer = kapi.post("/api/v1/applications", body)
    assert answer.status_code == 422 and answer.json()["error"] == "unsealable"
    stale = application(kapi, sealed=seal(other, PERSON), key_id="k1")
    answer = kapi.post("/api/v1/applications", stale)
    assert answer.status_code == 422 and "fetch /api/v1/config" in answer.json()["detail"]
    # A kiosk provisioned with the public key alone sends the id "k1": a box that opens is taken.
    provisioned = application(kapi, key_id="k1")
    assert kapi.post("/api/v1/applications", provisioned).status_code == 201


ODD_PEOPLE: list[object] = [
    None, 0, "张三", [], {}, {"name": None, "id_number": None, "phone": None},
    dict(PERSON, name=123), dict(PERSON, name={"x": 1}), dict(PERSON, name="张\x00三"),
    dict(PERSON, name="张\u0007三"), dict(PERSON, birth_date="1985-02-30"), dict(PERSON, id_number=18 * "9"),
    dict(PERSON, id_number="110105198513070019"), dict(PERSON, phone=True), dict(PERSON, address="址" * 300),
    dict(PERSON, extra="not declared", nested={"deep": [1, 2, 3]}),
]


def test_odd_sealed_contents_never_break_the_server(kapi: Api) -> None:
    cfg = config(kapi)
    for person in ODD_PEOPLE:
        body = application(kapi, sealed=seal(cfg["seal_public_key"], person))  # type: ignore[arg-type]
        answer = kapi.post("/api/v1/applications", body)
        assert (answer.status_code < 500 and "error" in answer.json()) or answer.status_code == 201, \
            (person, answer.status_code, answer.text)
        if isinstance(person, dict) and "extra" in person:
            assert answer.status_code == 201, "undeclared fields are dropped, not refused"
        elif answer.status_code != 201:
            assert answer.status_code == 422 and answer.json()["error"] == "invalid", answer.text
    garbage = application(kapi)
    from nacl.public import PublicKey, SealedBox

    box = SealedBox(PublicKey(base64.b64decode(cfg["seal_public_key"])))
    garbage["sealed"] = base64.b64encode(box.encrypt(b"\xff\xfe not json")).decode()
    answer = kapi.post("/api/v1/applications", garbage)
    assert answer.status_code == 422 and answer.json()["error"] == "invalid"


def test_the_same_application_racing_on_two_workers_is_stored_once(kapi: Api) -> None:
    from concurrent.futures import ThreadPoolExecutor

    body = application(kapi)
    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(lambda _: Api(kapi.server).post("/api/v1/applications", body), range(4)))
    assert all(a.status_code in (201, 503) for a in answers), [a.text for a in answers]
    assert any(a.status_code == 201 for a in answers)
    assert {a.json()["code"] for a in answers if a.status_code == 201} == {body["code"]}
    rows = json.loads(kapi.server.command("applications", "--json"))
    assert [r["code"] for r in rows].count(body["code"]) == 1
