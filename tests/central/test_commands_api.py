"""Remote commands over real HTTP: delivered with the heartbeat until resulted, the result
recorded once and audited, another kiosk's command unknown, attachments checked. On SQLite
and PostgreSQL (the `api` fixture)."""

from __future__ import annotations

import base64
import gzip
import json

from tests.central.conftest import Api
from tests.central.helpers import other_kiosk


def issue(api: Api, kind: str, kiosk: str = "demo-kiosk-1") -> str:
    """A command as the superuser sends it from the admin (same rules: commands.issue)."""
    out = api.server.django(
        "from django.contrib.auth.models import User; from central.fleet import commands; "
        "from central.fleet.models import Kiosk; "
        f"print(commands.issue(Kiosk.objects.get(code={kiosk!r}), {kind!r}, "
        "User.objects.get(username='admin')).id)")
    return out.strip().splitlines()[-1]


def stored(api: Api, command_id: str) -> dict[str, object]:
    out = api.server.django(
        "import json; from central.fleet.models import KioskCommand; "
        f"c = KioskCommand.objects.get(pk={command_id!r}); "
        "print(json.dumps({'status': c.status, 'result': c.result, 'size': len(bytes(c.attachment or b'')), "
        "'audit': list(c.audit.values_list('action', flat=True))}))")
    return dict(json.loads(out.strip().splitlines()[-1]))


def delivered(api: Api) -> list[dict[str, str]]:
    response = api.post("/api/v1/heartbeat", {"state": "idle"})
    assert response.status_code == 200, response.text
    return list(response.json()["commands"])


def test_command_delivered_until_resulted_then_never_again(api: Api) -> None:
    command_id = issue(api, "sync")
    assert {"id": command_id, "kind": "sync"} in delivered(api)
    assert {"id": command_id, "kind": "sync"} in delivered(api), "no result yet: sent again"
    key = "result-" + command_id
    first = api.post(f"/api/v1/commands/{command_id}/result", {"status": "done", "detail": "synced v7"}, key=key)
    assert first.status_code == 200 and first.json() == {"id": command_id, "status": "done"}
    replay = api.post(f"/api/v1/commands/{command_id}/result", {"status": "done", "detail": "synced v7"}, key=key)
    assert replay.status_code == 200 and replay.headers.get("Idempotent-Replayed") == "true"
    again = api.post(f"/api/v1/commands/{command_id}/result", {"status": "failed", "detail": "late"})
    assert again.status_code == 409 and again.json()["error"] == "already_resulted"
    assert command_id not in [c["id"] for c in delivered(api)]
    assert stored(api, command_id) == {"status": "done", "result": "synced v7", "size": 0,
                                       "audit": ["issued", "done"]}


def test_deferred_screenshot_is_sent_again_then_png_kept(api: Api) -> None:
    command_id = issue(api, "screenshot")
    deferred = api.post(f"/api/v1/commands/{command_id}/result", {"status": "deferred", "detail": "not idle"})
    assert deferred.status_code == 200
    assert command_id in [c["id"] for c in delivered(api)]
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 100
    not_png = api.post(f"/api/v1/commands/{command_id}/result",
                       {"status": "done", "attachment": base64.b64encode(b"GIF89a").decode()})
    assert not_png.status_code == 422 and not_png.json()["error"] == "bad_attachment"
    too_big = api.post(f"/api/v1/commands/{command_id}/result",
                       {"status": "done", "attachment": base64.b64encode(png + b"\0" * 1_000_000).decode()})
    assert too_big.status_code == 422 and too_big.json()["error"] == "bad_attachment"
    garbage = api.post(f"/api/v1/commands/{command_id}/result", {"status": "done", "attachment": "@@@"})
    assert garbage.status_code == 422
    done = api.post(f"/api/v1/commands/{command_id}/result",
                    {"status": "done", "attachment": base64.b64encode(png).decode()})
    assert done.status_code == 200
    assert stored(api, command_id)["size"] == len(png)
    assert stored(api, command_id)["audit"] == ["issued", "deferred", "done"]


def test_logs_result_scrubs_numbers_in_detail_and_keeps_gzip(api: Api) -> None:
    command_id = issue(api, "logs")
    blob = gzip.compress(b"line one\n")
    response = api.post(f"/api/v1/commands/{command_id}/result",
                        {"status": "failed", "detail": "caller 13912345678 saw it",
                         "attachment": base64.b64encode(blob).decode()})
    assert response.status_code == 200
    row = stored(api, command_id)
    assert "13912345678" not in str(row["result"]) and row["size"] == len(blob)


def test_another_kiosks_command_is_unknown(api: Api) -> None:
    command_id = issue(api, "restart")
    other = other_kiosk(api, "cmd-other-1", "KC")
    assert command_id not in [c["id"] for c in delivered(other)]
    response = other.post(f"/api/v1/commands/{command_id}/result", {"status": "done"})
    assert response.status_code == 404 and response.json()["error"] == "unknown_command"
    bogus = api.post("/api/v1/commands/not-a-uuid/result", {"status": "done"})
    assert bogus.status_code == 404
    bad = api.post(f"/api/v1/commands/{command_id}/result", {"status": "maybe"})
    assert bad.status_code == 422


def waiting(api: Api, kiosk: str) -> bool:
    out = api.server.django("from central.fleet.models import Kiosk; "
                            f"print(Kiosk.objects.get(code={kiosk!r}).commands_waiting)")
    return out.strip().splitlines()[-1] == "True"


def test_the_heartbeat_looks_for_commands_only_while_some_wait(api: Api) -> None:
    """The kiosk row's commands_waiting spares every other beat the commands query: set when
    one is issued, kept while any has no final result (deferred is not final), then cleared."""
    kiosk = other_kiosk(api, "cmd-flag-1", "KF")
    assert not waiting(api, "cmd-flag-1") and delivered(kiosk) == []
    first, second = issue(api, "sync", "cmd-flag-1"), issue(api, "screenshot", "cmd-flag-1")
    assert waiting(api, "cmd-flag-1")
    assert [c["id"] for c in delivered(kiosk)] == [first, second]
    assert kiosk.post(f"/api/v1/commands/{first}/result", {"status": "done"}).status_code == 200
    assert kiosk.post(f"/api/v1/commands/{second}/result", {"status": "deferred"}).status_code == 200
    assert waiting(api, "cmd-flag-1") and [c["id"] for c in delivered(kiosk)] == [second]
    assert kiosk.post(f"/api/v1/commands/{second}/result", {"status": "failed"}).status_code == 200
    assert not waiting(api, "cmd-flag-1") and delivered(kiosk) == []
