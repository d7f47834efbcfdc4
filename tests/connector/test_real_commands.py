"""A "sync now" command end to end against the real central service on loopback: issued as
the admin issues it, carried by a heartbeat reply, run by the connector's heartbeat thread,
its result drained through the outbox and stored (and audited) once."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.connector.real_central import RealCentral, missing, running
from tests.connector.test_real_central import connector

pytestmark = pytest.mark.skipif(missing() is not None, reason=missing() or "")


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RealCentral]:
    yield from running(tmp_path_factory.mktemp("central"))


def test_sync_now_command_runs_once_and_its_result_is_stored(real: RealCentral, tmp_path: Path) -> None:
    out = real.run("shell", "--no-imports", "-c",
                   "from django.contrib.auth.models import User; from central.fleet import commands; "
                   "from central.fleet.models import Kiosk; "
                   f"print(commands.issue(Kiosk.objects.get(code={real.demo['kiosk_id']!r}), 'sync', "
                   "User.objects.get(username='admin')).id)")
    command_id = out.strip().splitlines()[-1]
    kiosk = connector(real, tmp_path / "state", heartbeat_interval_s=1.0, sync_interval_s=3600.0,
                      drain_interval_s=0.5)
    assert kiosk.sync is not None and kiosk.sync.store.current_version() is None
    kiosk.start()
    try:
        deadline = time.monotonic() + 60
        row: list[tuple[object, ...]] = []
        while time.monotonic() < deadline:
            row = real.sql("SELECT status, result FROM fleet_kioskcommand WHERE id = ?",
                           command_id.replace("-", ""))
            if row and row[0][0] == "done":
                break
            time.sleep(0.3)
        assert row and row[0][0] == "done", row
        assert str(row[0][1]).startswith("v")
        assert kiosk.sync.store.current_version() is not None, "the command synced the content"
        assert kiosk.commands.done(command_id)
        answer = kiosk.health.beat()
        assert command_id not in [c["id"] for c in answer["commands"]], "a done command is not sent again"
    finally:
        kiosk.stop()
    audit = real.sql("SELECT a.action FROM fleet_commandaudit a WHERE a.command_id = ? ORDER BY a.id",
                     command_id.replace("-", ""))
    assert [a for (a,) in audit] == ["issued", "done"]
