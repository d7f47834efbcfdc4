"""The admin in-process: flow validation inline, history, county scope, tokens, phones, logins."""

from __future__ import annotations

import re

import pytest
from django.test import Client


@pytest.fixture
def admin_client(demo: dict[str, str]) -> Client:
    client = Client()
    assert client.login(username="admin", password=demo["admin_password"])
    return client


def test_flow_edit_is_validated_inline_and_kept_in_history(admin_client: Client) -> None:
    import reversion.models

    from central.publishing.models import Flow

    flow = Flow.objects.get(flow_id="mediation")
    url = f"/admin/publishing/flow/{flow.pk}/change/"
    broken = flow.text.replace("goto:", "goto: missing-node-", 1)
    response = admin_client.post(url, {"flow_id": "mediation", "text": broken}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200, "the form comes back with its problems"
    page = response.content.decode()
    assert "errorlist" in page and "missing-node-" in page and "mediation.yaml" in page
    assert Flow.objects.get(pk=flow.pk).text == flow.text, "nothing saved"
    edited = flow.text + "\n# reviewed\n"
    response = admin_client.post(url, {"flow_id": "mediation", "text": edited})
    assert response.status_code == 302
    assert Flow.objects.get(pk=flow.pk).text == edited
    assert reversion.models.Version.objects.get_for_object(flow).count() >= 1


def test_staff_see_only_their_county(demo: dict[str, str]) -> None:
    from django.contrib.auth.models import Group, User

    from central.fleet.models import Kiosk
    from central.org.models import County, StaffScope

    other = County.objects.create(slug="other", name="别的县")
    theirs = Kiosk.objects.create(code="other-1", county=other)
    staff = User.objects.create_user("clerk", password="a-long-password-1", is_staff=True)
    staff.groups.add(Group.objects.get(name="County administrators"))
    StaffScope.objects.create(user=staff).counties.add(County.objects.get(slug="demo"))
    client = Client()
    client.force_login(staff)
    listing = client.get("/admin/fleet/kiosk/").content.decode()
    assert "demo-kiosk-1" in listing and "other-1" not in listing
    assert client.get(f"/admin/fleet/kiosk/{theirs.pk}/change/").status_code in (302, 403, 404)


def test_new_kiosk_token_shown_once_and_stored_hashed(admin_client: Client) -> None:
    from central.fleet.models import Kiosk, token_digest
    from central.org.models import County

    county = County.objects.get(slug="demo")
    response = admin_client.post("/admin/fleet/kiosk/add/", {"code": "new-1", "county": county.pk,
                                                             "location": "村委会"}, follow=True)
    messages = [str(m) for m in response.context["messages"]]
    token = next(re.findall(r"[A-Za-z0-9_-]{43}", m)[-1] for m in messages if "new-1" in m)
    kiosk = Kiosk.objects.get(code="new-1")
    assert kiosk.token_hash == token_digest(token) and token not in kiosk.token_hash
    admin_client.post("/admin/fleet/kiosk/", {"action": "revoke_token", "_selected_action": [kiosk.pk]})
    kiosk.refresh_from_db()
    assert kiosk.revoked and not kiosk.token_hash


def test_phone_numbers_masked_for_staff_without_the_right(demo: dict[str, str], admin_client: Client) -> None:
    import datetime as dt

    from django.contrib.auth.models import Group, User
    from django.utils import timezone

    from central.booking import logic
    from central.booking.models import Slot, WorkingPlan
    from central.booking.slots import ensure_slots
    from central.org.models import County, StaffScope

    ensure_slots(WorkingPlan.objects.all(), [timezone.localdate() + dt.timedelta(days=i) for i in range(7)])
    slot = Slot.objects.filter(start__gt=timezone.now(), service__slug="consultation").first()
    assert slot is not None
    logic.book(None, slot.pk, "consultation", "13912345678")
    assert "13912345678" in admin_client.get("/admin/booking/booking/").content.decode()
    clerk = User.objects.create_user("desk", password="a-long-password-2", is_staff=True)
    clerk.groups.add(Group.objects.get(name="Counter staff"))
    StaffScope.objects.create(user=clerk).counties.add(County.objects.get(slug="demo"))
    client = Client()
    client.force_login(clerk)
    page = client.get("/admin/booking/booking/").content.decode()
    assert "139****5678" in page and "13912345678" not in page


def test_login_is_throttled_after_repeated_failures(demo: dict[str, str]) -> None:
    client = Client()
    for _ in range(5):
        client.post("/admin/login/", {"username": "admin", "password": "wrong"})
    response = client.post("/admin/login/?next=/admin/", {"username": "admin",
                                                          "password": demo["admin_password"]})
    assert response.status_code == 200, "still the login form: the right password is refused for now"
    assert "_auth_user_id" not in client.session


def test_security_headers_and_csrf(demo: dict[str, str]) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.get("/admin/login/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    refused = client.post("/admin/login/", {"username": "admin", "password": demo["admin_password"]})
    assert refused.status_code == 403, "no CSRF token, no login"


def test_admin_speaks_chinese_and_english(admin_client: Client) -> None:
    zh = admin_client.get("/admin/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    en = admin_client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "站点管理" in zh or "网站管理" in zh or "管理" in zh
    assert "公共法律服务" in zh and "Public legal service" in en
    assert "预约" in zh and "Appointments" in en


def test_language_switch_in_the_admin(admin_client: Client) -> None:
    page = admin_client.get("/admin/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'id="lang-switch"' in page and "English" in page
    admin_client.post("/i18n/setlang/", {"language": "en", "next": "/admin/"})
    assert "Public legal service" in admin_client.get("/admin/").content.decode()


def test_counter_page_only_for_staff_of_that_county(demo: dict[str, str]) -> None:
    from django.contrib.auth.models import Group, User

    from central.org.models import County, Office, StaffScope
    from central.queueing.models import Counter

    counter = Counter.objects.filter(office__county__slug="demo").first()
    assert counter is not None
    url = f"/staff/counter/{counter.pk}/"
    assert Client().get(url).status_code == 302, "anonymous: to the login page"
    other = County.objects.create(slug="elsewhere", name="外县")
    outsider = User.objects.create_user("outsider", password="a-long-password-3", is_staff=True)
    outsider.groups.add(Group.objects.get(name="Counter staff"))
    StaffScope.objects.create(user=outsider).counties.add(other)
    client = Client()
    client.force_login(outsider)
    assert client.get(url).status_code == 403
    assert client.post(url, {"action": "next"}).status_code == 403
    insider = User.objects.create_user("insider", password="a-long-password-4", is_staff=True)
    insider.groups.add(Group.objects.get(name="Counter staff"))
    StaffScope.objects.create(user=insider).counties.add(County.objects.get(slug="demo"))
    client.force_login(insider)
    assert client.get(url).status_code == 200
    assert Office.objects.filter(county=other).count() == 0


def test_publish_and_roll_back_from_the_admin(admin_client: Client) -> None:
    from central.publishing.models import Flow, Publication

    response = admin_client.post("/admin/publishing/publication/publish/", follow=True)
    first = Publication.objects.order_by("-version").first()
    assert first is not None and any("已发布" in str(m) or "Published" in str(m)
                                     for m in response.context["messages"])
    flow = Flow.objects.get(flow_id="mediation")
    flow.text += "\n# second\n"
    flow.save()
    from tests.central.review_helpers import approve_all

    approve_all()  # publishing refuses changes no legal reviewer approved (tests/central/test_review_gate.py)
    admin_client.post("/admin/publishing/publication/publish/")
    second = Publication.objects.get(version=first.version + 1)
    assert second.changed == ["flows/mediation.yaml"]
    admin_client.post("/admin/publishing/publication/", {"action": "roll_back",
                                                         "_selected_action": [first.pk]})
    third = Publication.objects.get(version=first.version + 2)
    assert third.rollback_of == first.version and third.files == first.files
    assert third.changed == ["flows/mediation.yaml"]
    assert admin_client.get("/admin/publishing/publication/publish/").status_code == 405, "POST only"
