"""Issue 14, V1 on upgrade: each existing kiosk's offline ticket prefix is taken from the
offline tickets it already reported (what its kiosk.toml says), so the first reports after
the upgrade are not refused; a kiosk that never reported one gets K<id>."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest


@pytest.fixture
def at_fleet_0001(django_db: None) -> Iterator[object]:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate([("fleet", "0001_initial")])
    executor.loader.build_graph()
    yield executor
    executor.loader.build_graph()
    executor.migrate(latest)


def test_existing_kiosks_keep_the_prefix_their_offline_tickets_show(at_fleet_0001: object) -> None:
    from django.db.migrations.executor import MigrationExecutor

    executor = at_fleet_0001
    assert isinstance(executor, MigrationExecutor)
    old = executor.loader.project_state([("fleet", "0001_initial"), ("queueing", "0001_initial")]).apps
    county = old.get_model("org", "County").objects.create(name="旧县", slug="old-county")
    office = old.get_model("org", "Office").objects.create(county=county, name="旧中心", slug="old-office")
    service = old.get_model("org", "Service").objects.create(slug="old-service", name_zh="咨询", name_en="Advice", prefix="Z")
    kiosk = old.get_model("fleet", "Kiosk")
    used, fresh = kiosk.objects.create(county=county, code="old-used"), kiosk.objects.create(
        county=county, code="old-fresh")
    now = dt.datetime.now(dt.UTC)
    for n, number in enumerate(["K7-001", "K7-002", "Z001"]):
        old.get_model("queueing", "Ticket").objects.create(
            public_id=f"old{n}", office=office, service=service, day=now.date(), number=number,
            issued_at=now, kiosk=used, provisional=number.startswith("K"))
    executor.loader.build_graph()
    executor.migrate([("fleet", "0002_kiosk_ticket_prefix")])
    # Read and deleted through the models as of 0002: later columns and tables (fleet 0003's
    # commands, 0004's commands_waiting) do not exist yet.
    at_0002 = executor.loader.project_state([("fleet", "0002_kiosk_ticket_prefix")]).apps
    Kiosk = at_0002.get_model("fleet", "Kiosk")
    assert Kiosk.objects.get(code="old-used").ticket_prefix == "K7"
    assert Kiosk.objects.get(code="old-fresh").ticket_prefix == f"K{fresh.pk}"
    at_0002.get_model("fleet", "Kiosk").objects.filter(code__startswith="old-").delete()
