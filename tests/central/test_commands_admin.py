"""Remote commands from the admin, in-process: sent only by staff of the kiosk's county, audited."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client


def _clerk(county_slug: str, name: str) -> Any:
    from django.contrib.auth.models import Group, User

    from central.org.models import County, StaffScope

    staff = User.objects.create_user(name, password="a-long-password-1", is_staff=True)
    staff.groups.add(Group.objects.get(name="County administrators"))
    StaffScope.objects.create(user=staff).counties.add(County.objects.get(slug=county_slug))
    return staff


def _send(user: Any, kiosk_pk: int, kind: str) -> Any:
    client = Client()
    client.force_login(user)
    return client.post("/admin/fleet/kiosk/", {"action": f"send_{kind}", "_selected_action": [kiosk_pk]},
                       follow=True)


def test_county_staff_send_a_command_and_it_is_audited(demo: dict[str, str]) -> None:
    from central.fleet.models import CommandAudit, Kiosk, KioskCommand

    kiosk = Kiosk.objects.get(code="demo-kiosk-1")
    clerk = _clerk("demo", "clerk-a")
    response = _send(clerk, kiosk.pk, "screenshot")
    assert response.status_code == 200
    command = KioskCommand.objects.get(kiosk=kiosk)
    assert (command.kind, command.status, command.issued_by) == ("screenshot", "pending", clerk)
    entry = CommandAudit.objects.get(command=command)
    assert (entry.actor, entry.action, entry.detail["kind"]) == ("clerk-a", "issued", "screenshot")
    client = Client()
    client.force_login(clerk)
    page = client.get(f"/admin/fleet/kioskcommand/{command.pk}/change/")
    assert page.status_code == 200 and "clerk-a" in page.content.decode()


def test_staff_of_another_county_cannot_command(demo: dict[str, str]) -> None:
    from central.fleet import commands
    from central.fleet.models import Kiosk, KioskCommand
    from central.org.models import County

    County.objects.create(slug="other", name="别的县")
    kiosk = Kiosk.objects.get(code="demo-kiosk-1")
    outsider = _clerk("other", "clerk-b")
    _send(outsider, kiosk.pk, "restart")
    assert not KioskCommand.objects.filter(kiosk=kiosk).exists()
    with pytest.raises(PermissionError):
        commands.issue(kiosk, "restart", outsider)
    assert not KioskCommand.objects.exists()


def test_superuser_may_command_any_kiosk_and_bad_kinds_refused(demo: dict[str, str]) -> None:
    from django.contrib.auth.models import User

    from central.fleet import commands
    from central.fleet.models import Kiosk

    kiosk = Kiosk.objects.get(code="demo-kiosk-1")
    admin = User.objects.get(username="admin")
    assert commands.issue(kiosk, "logs", admin).kind == "logs"
    with pytest.raises(ValueError):
        commands.issue(kiosk, "format-disk", admin)


def test_send_command_actions_speak_chinese(demo: dict[str, str]) -> None:
    client = Client()
    clerk = _clerk("demo", "clerk-c")
    client.force_login(clerk)
    zh = client.get("/admin/fleet/kiosk/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    en = client.get("/admin/fleet/kiosk/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "发送指令: screenshot" in zh and "Send command: screenshot" in en
