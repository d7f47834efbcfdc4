"""Casework in-process: who sees what, the audit trail, closed applications, overdue, purge,
the callback queue, and the staff pages in both languages."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO
from typing import Any

import pytest
from django.test import Client

from tests.central.casework_helpers import PERSON, new_code


def make_app(kind: str = "legal-aid", status: str = "received", person: dict[str, str] | None = None,
             **fields: Any) -> Any:
    from django.utils import timezone

    from central.casework import keys
    from central.casework.models import Application
    from central.org.models import Office

    office = Office.objects.get(county__slug="demo", slug="legal-service-center")
    values: dict[str, Any] = {
        "code": new_code(), "kind": kind, "office": office, "status": status, "created_at": timezone.now(),
        "decision_due": timezone.localdate() + dt.timedelta(days=7), "digest": "-",
        "personal": keys.encrypt_at_rest(json.dumps(person or PERSON, ensure_ascii=False).encode()),
        "case_fields": keys.encrypt_at_rest(json.dumps({"facts": "老板欠三个月工资"}).encode())}
    values.update(fields)
    return Application.objects.create(**values)


def staff(name: str, kinds: list[str], county: str = "demo", decide: bool = True) -> Any:
    from django.contrib.auth.models import Group, Permission, User

    from central.casework.models import KindAccess
    from central.org.models import County, StaffScope

    user = User.objects.create_user(name, password="a-long-password-1", is_staff=True)
    group = Group.objects.create(name=f"handlers-{name}")
    perms = ["view_application", "decide_application"] if decide else ["view_application"]
    group.permissions.set(Permission.objects.filter(content_type__app_label="casework", codename__in=perms))
    for kind in kinds:
        KindAccess.objects.create(group=group, kind=kind)
    user.groups.add(group)
    County.objects.get_or_create(slug=county, defaults={"name": county})
    StaffScope.objects.create(user=user).counties.add(County.objects.get(slug=county))
    return user


def client_for(user: Any, lang: str = "zh-hans") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=lang)
    client.force_login(user)
    return client


def test_personal_fields_only_for_handlers_of_the_kind_and_their_county(demo: dict[str, str]) -> None:
    from central.casework.models import AuditEntry

    app = make_app()
    handler = staff("aid", ["legal-aid"])
    mediator = staff("med", ["mediation"])
    elsewhere = staff("far", ["*"], county="other")
    page = client_for(handler).get(f"/staff/applications/{app.code}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert PERSON["name"] in text and PERSON["id_number"] in text and "老板欠三个月工资" in text
    listing = client_for(handler).get("/staff/applications/").content.decode()
    assert app.code in listing and PERSON["name"] not in listing, "the list shows no personal data"
    for other in (mediator, elsewhere):
        assert client_for(other).get(f"/staff/applications/{app.code}/").status_code == 404
        assert app.code not in client_for(other).get("/staff/applications/").content.decode()
    views = AuditEntry.objects.filter(application=app, action="viewed_personal")
    assert [v.username for v in views] == ["aid"]
    assert set(views[0].detail["fields"]) >= {"name", "id_number", "phone", "case.facts"}
    assert PERSON["name"] not in json.dumps(list(AuditEntry.objects.values("detail")), ensure_ascii=False)


def test_status_changes_are_audited_and_closed_is_final(demo: dict[str, str]) -> None:
    from central.casework import logic
    from central.casework.models import AuditEntry

    app = make_app()
    user = staff("clerk", ["legal-aid"])
    web = client_for(user, "en")
    url = f"/staff/applications/{app.code}/"
    refused = web.post(url, {"action": "refused", "reason": "收入超标", "basis": ""})
    assert refused.status_code == 422 and "legal basis" in refused.content.decode()
    assert web.post(url, {"action": "more_needed", "needed": "劳动合同复印件"}).status_code == 302
    assert web.post(url, {"action": "accepted"}).status_code == 302
    assert web.post(url, {"action": "assign", "assignee": str(user.pk)}).status_code == 302
    assert web.post(url, {"action": "closed"}).status_code == 302
    app.refresh_from_db()
    assert app.status == "closed" and app.closed_at is not None and app.assigned_to == user
    changes = list(AuditEntry.objects.filter(application=app, action="status").order_by("at", "pk")
                   .values_list("detail", flat=True))
    assert [(c["before"], c["after"]) for c in changes] == [
        ("received", "more_needed"), ("more_needed", "accepted"), ("accepted", "closed")]
    assert AuditEntry.objects.filter(application=app, action="assigned", username="clerk").exists()
    again = web.post(url, {"action": "accepted"})
    assert again.status_code == 409
    assert "closed and can no longer be changed" in again.content.decode()
    zh = client_for(user).post(url, {"action": "assign", "assignee": ""})
    assert zh.status_code == 409 and "已办结，不能再更改" in zh.content.decode()
    with pytest.raises(logic.CaseClosed):
        logic.move(app, user, "refused", reason="x", basis="y")
    app.refresh_from_db()
    assert app.status == "closed" and app.assigned_to == user


def test_view_only_staff_cannot_decide(demo: dict[str, str]) -> None:
    app = make_app()
    viewer = staff("viewer", ["legal-aid"], decide=False)
    page = client_for(viewer, "en").post(f"/staff/applications/{app.code}/", {"action": "accepted"})
    assert page.status_code == 422
    app.refresh_from_db()
    assert app.status == "received"


def test_overdue_applications_stand_out(demo: dict[str, str]) -> None:
    from django.utils import timezone

    late = make_app(decision_due=timezone.localdate() - dt.timedelta(days=2))
    fine = make_app()
    decided = make_app(status="accepted", decision_due=timezone.localdate() - dt.timedelta(days=2))
    page = client_for(staff("boss", ["*"]), "en").get("/staff/applications/").content.decode()
    rows = {code: page.split(f'data-code="{code}"')[0].rsplit("<tr", 1)[1] for code in
            (late.code, fine.code, decided.code)}
    assert "overdue" in rows[late.code]
    assert "overdue" not in rows[fine.code] and "overdue" not in rows[decided.code]
    assert page.index(late.code) < page.index(fine.code), "overdue first"


def test_purge_deletes_personal_fields_after_retention(demo: dict[str, str]) -> None:
    from django.core.management import call_command
    from django.utils import timezone

    from central.casework.logic import person_of
    from central.casework.models import Application, AuditEntry

    now = timezone.now()
    old = make_app(status="closed", closed_at=now - dt.timedelta(days=31), retention_days=30,
                   answers={"hit": True})
    recent = make_app(status="closed", closed_at=now - dt.timedelta(days=29), retention_days=30)
    open_one = make_app(received_at=now - dt.timedelta(days=400), retention_days=30)
    out = StringIO()
    call_command("purge_applications", stdout=out)
    assert json.loads(out.getvalue()) == {"purged": 1}
    old.refresh_from_db()
    assert old.personal is None and old.case_fields is None and old.answers == {} and old.purged_at is not None
    assert old.code and old.kind == "legal-aid" and old.status == "closed", "the record stays"
    assert AuditEntry.objects.filter(application=old, action="purged").exists()
    assert person_of(Application.objects.get(pk=recent.pk))["name"] == PERSON["name"]
    assert person_of(Application.objects.get(pk=open_one.pk))["name"] == PERSON["name"]
    page = client_for(staff("after", ["*"]), "en").get(f"/staff/applications/{old.code}/").content.decode()
    assert "Personal data deleted" in page


def test_housekeeping_purges_too(demo: dict[str, str]) -> None:
    from django.utils import timezone

    from central.housekeeping import run_once

    expired = make_app(status="closed", closed_at=timezone.now() - dt.timedelta(days=2), retention_days=1)
    assert run_once()["applications_purged"] == 1
    expired.refresh_from_db()
    assert expired.personal is None


def test_callback_queue_waits_and_tries_three_times(demo: dict[str, str]) -> None:
    from django.utils import timezone

    from central.casework.models import Application, AuditEntry

    caller = make_app(kind="callback", status="waiting", person={"name": "李四", "phone": "13900001111"},
                      received_at=timezone.now() - dt.timedelta(minutes=95))
    user = staff("phone", ["callback"])
    web = client_for(user, "en")
    page = web.get("/staff/callbacks/").content.decode()
    assert "13900001111" in page and "李四" in page and "1\xa0hour, 35\xa0minutes" in page
    assert AuditEntry.objects.filter(application=caller, action="viewed_personal", username="phone").exists()
    for _ in range(3):
        assert web.post("/staff/callbacks/", {"code": caller.code, "action": "no_answer"}).status_code == 302
    caller.refresh_from_db()
    assert caller.status == "no_answer" and caller.tries == 3
    page = web.get("/staff/callbacks/").content.decode()
    row = page.split(f'data-code="{caller.code}"')[1].split("</tr>")[0]
    assert 'value="no_answer"' not in row and 'value="closed"' in row
    fourth = web.post("/staff/callbacks/", {"code": caller.code, "action": "no_answer"})
    assert fourth.status_code == 422 and "three times" in fourth.content.decode()
    assert web.post("/staff/callbacks/", {"code": caller.code, "action": "called_back"}).status_code == 302
    assert Application.objects.get(pk=caller.pk).status == "called_back"
    assert caller.code not in web.get("/staff/callbacks/").content.decode()


def test_staff_pages_in_chinese_and_english(demo: dict[str, str]) -> None:
    make_app()
    user = staff("lang", ["*"])
    zh = client_for(user, "zh-hans").get("/staff/applications/").content.decode()
    en = client_for(user, "en").get("/staff/applications/").content.decode()
    assert "申请" in zh and "受理机构" in zh and "Receiving body" not in zh
    assert "Applications" in en and "Receiving body" in en
    assert "<script" not in zh and "<script" not in en


def test_anonymous_and_plain_staff_are_kept_out(demo: dict[str, str]) -> None:
    from django.contrib.auth.models import User

    app = make_app()
    anon = Client().get(f"/staff/applications/{app.code}/")
    assert anon.status_code == 302 and "/admin/login/" in anon["Location"]
    plain = User.objects.create_user("plain", password="a-long-password-1", is_staff=True)
    assert client_for(plain).get("/staff/applications/").status_code == 403


def test_config_uses_the_public_url_setting_when_set(demo: dict[str, str]) -> None:
    from django.conf import settings

    answer = Client().get("/api/v1/config")
    assert answer.status_code == 200 and answer.json()["public_base_url"] == "http://testserver"
    saved = settings.CENTRAL["PUBLIC_URL"]
    settings.CENTRAL["PUBLIC_URL"] = "https://legal.example.gov.cn/"
    try:
        assert Client().get("/api/v1/config").json()["public_base_url"] == "https://legal.example.gov.cn"
    finally:
        settings.CENTRAL["PUBLIC_URL"] = saved


KIND_FILE = """\
id: callback
title: {zh-CN: 请工作人员给我回电话, en: Ask staff to call me back}
service: consultation
person: [phone, name?]
decision:
  days: 5
  working_days: true
  what: {zh-CN: 决定, en: decide}
  basis:
    law: {zh-CN: 《中华人民共和国行政复议法》, en: Administrative Reconsideration Law}
    article: {zh-CN: 第三十条, en: Article 30}
retention_days: 30
"""


def test_kind_files_are_read_as_the_kiosk_reads_them(db: None) -> None:
    from central.casework.kinds import load_yaml, parse_kind

    kind = parse_kind("callback", load_yaml(KIND_FILE))
    assert kind is not None and kind.service == "consultation"
    assert kind.person == ("phone", "name") and kind.required == {"phone"}
    assert (kind.days, kind.working_days, kind.retention_days) == (5, True, 30)
    assert kind.basis == {"zh-CN": "《中华人民共和国行政复议法》 第三十条", "en": "Administrative Reconsideration Law Article 30"}
    for broken in (None, [], "text", {"service": 3}, {"title": "no service"}):
        assert parse_kind("x", broken) is None
    odd = parse_kind("x", {"service": "s", "person": "name", "decision": {"days": "7"}, "retention_days": -1})
    assert odd is not None and odd.days is None and odd.person == () and odd.retention_days == 365


def test_form_pdf_only_for_handlers_and_never_a_500(demo: dict[str, str]) -> None:
    app = make_app()
    handler, other = staff("pdf", ["legal-aid"]), staff("nopdf", ["mediation"])
    # No publication in this database (nor, before the kiosk's form code is merged, any form
    # code): a plain 404 page, for a handler too.
    answer = client_for(handler, "en").get(f"/staff/applications/{app.code}/form.pdf")
    assert answer.status_code == 404
    assert client_for(other).get(f"/staff/applications/{app.code}/form.pdf").status_code == 404
