"""Demo data: the demo county from config/, the default content pack, plans, counters,
one kiosk and an administrator. Idempotent: a second run changes nothing and prints the
same credentials (kept in $CENTRAL_DATA_DIR/demo.json, mode 0600; demo use only). If the
stored kiosk token no longer works (revoked, database reset), a new one is issued."""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group, Permission, User
from django.db import transaction
from django.utils import timezone

from central.booking.models import WorkingPlan
from central.conf import conf
from central.fleet.models import Kiosk, token_digest
from central.org.models import County, Office, Service
from central.publishing.content import import_content
from central.publishing.models import Announcement, PackDocument
from central.queueing.models import Counter

KIOSK_CODE = "demo-kiosk-1"
GROUPS = {
    "Counter staff": ["queueing.view_ticket", "queueing.change_ticket", "queueing.view_counter",
                      "booking.view_booking"],
    "Content editors": ["publishing.view_flow", "publishing.add_flow", "publishing.change_flow",
                        "publishing.view_packdocument", "publishing.change_packdocument",
                        "publishing.view_publication", "publishing.add_publication",
                        "publishing.view_localitydocument", "publishing.change_localitydocument"],
    # Legal review (issue 17): approve or return changed content before it is published.
    "Legal reviewers": ["review.review_content", "review.view_decision", "publishing.view_flow",
                        "publishing.view_packfile", "publishing.view_publication"],
    # Applications (issue 13): the kinds they handle are KindAccess rows ("*": every kind).
    "Caseworkers": ["casework.view_application", "casework.decide_application"],
    "County administrators": ["org.view_office", "org.change_office", "fleet.view_kiosk",
                              "fleet.add_kiosk", "fleet.change_kiosk", "fleet.view_kioskevent",
                              "fleet.view_kioskcommand",
                              "booking.view_workingplan", "booking.add_workingplan",
                              "booking.change_workingplan", "booking.view_holiday", "booking.add_holiday",
                              "booking.change_holiday", "booking.view_slot", "booking.view_booking",
                              "booking.change_booking", "queueing.view_counter", "queueing.add_counter",
                              "queueing.change_counter", "publishing.view_announcement",
                              "publishing.add_announcement", "publishing.change_announcement",
                              # usage dashboard, monthly report, 差评 follow-up (central/insight)
                              "insight.view_dailycount", "insight.view_followup", "insight.change_followup"],
}


def _secrets_file() -> Path:
    return Path(settings.DATA_DIR) / "demo.json"


def _load() -> dict[str, str]:
    path = _secrets_file()
    return json.loads(path.read_text()) if path.exists() else {}


def _store(data: dict[str, str]) -> None:
    path = _secrets_file()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as out:
        json.dump(data, out)


def _groups() -> None:
    for name, perms in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        wanted = []
        for perm in perms:
            app, codename = perm.split(".")
            wanted += list(Permission.objects.filter(content_type__app_label=app, codename=codename))
        group.permissions.set(wanted)
    from central.casework.models import KindAccess

    KindAccess.objects.get_or_create(group=Group.objects.get(name="Caseworkers"), kind="*")


def _plans_and_counters(county: County) -> None:
    today = timezone.localdate()
    for office in Office.objects.filter(county=county):
        services = list(office.services.all())
        for service in services:
            # Every service gets the office's hours (a plan), so the queue knows when it is open;
            # only bookable ones are offered slots.
            if not WorkingPlan.objects.filter(office=office, service=service).exists():
                WorkingPlan.objects.create(office=office, service=service, weekdays="12345",
                                           opens=dt.time(9), closes=dt.time(17), break_start=dt.time(12),
                                           break_end=dt.time(14), slot_minutes=30, capacity=2,
                                           valid_from=today - dt.timedelta(days=1))
        for number in (1, 2):
            counter, created = Counter.objects.get_or_create(office=office, number=number)
            if created:
                counter.services.set(services)


@transaction.atomic
def ensure_demo() -> dict[str, Any]:
    if not PackDocument.objects.exists():
        import_content(Path(conf("CONTENT_DIR")), [Path(conf("LOCALITY_FILE"))])
        from central.review.state import baseline

        baseline("shipped")  # the shipped pack counts as approved (dated from each flow's reviewed:)
    county = County.objects.get(slug=Path(conf("LOCALITY_FILE")).stem)
    _groups()
    _plans_and_counters(county)
    if not Announcement.objects.filter(county=county).exists():
        now = timezone.now()
        Announcement.objects.create(county=county, text_zh="法律咨询免费，请按号就座，留意叫号。",
                                    text_en="Legal advice is free. Please wait for your number.",
                                    starts=now - dt.timedelta(days=1), ends=now + dt.timedelta(days=365))
    stored = _load()
    password = stored.get("admin_password") or secrets.token_urlsafe(12)
    admin = User.objects.filter(username="admin").first()
    if admin is None:
        User.objects.create_superuser("admin", "", password)
    elif not admin.check_password(password):
        admin.set_password(password)
        admin.save()
    reviewer_password = _staff_user("reviewer", "Legal reviewers", stored.get("reviewer_password"))
    office = (Office.objects.filter(county=county, services__slug="consultation").order_by("-pk").first()
              or Office.objects.filter(county=county).first())
    kiosk, _ = Kiosk.objects.get_or_create(code=KIOSK_CODE, defaults={
        "county": county, "office": office, "location": "示范县公共法律服务中心 自助区 1号机",
        "ticket_prefix": "K1"})  # as config/kiosk.toml
    token = stored.get("kiosk_token", "")
    if not token or kiosk.revoked or kiosk.token_hash != token_digest(token):
        token = kiosk.issue_token()
        kiosk.save()
    editor_password = _staff_user("editor", "Content editors", stored.get("editor_password"))
    _store({"admin_password": password, "kiosk_token": token, "editor_password": editor_password,
            "reviewer_password": reviewer_password})
    assert Service.objects.exists()
    return {"admin_user": "admin", "admin_password": password, "kiosk_id": kiosk.code, "kiosk_token": token,
            "editor_user": "editor", "editor_password": editor_password,
            "reviewer_user": "reviewer", "reviewer_password": reviewer_password}


def _staff_user(username: str, group: str, password: str | None) -> str:
    """A demo staff login in one group (content editor, legal reviewer); returns its password."""
    password = password or secrets.token_urlsafe(12)
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create_user(username, "", password, is_staff=True)
    elif not user.check_password(password):
        user.set_password(password)
        user.save()
    user.groups.add(Group.objects.get(name=group))
    return password
