"""The remote command executor with fakes: each id once (across restarts), results queued in
the outbox, screenshots only at the attract screen, logs of the last hour with numbers scrubbed."""

from __future__ import annotations

import base64
import datetime as dt
import gzip
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.connector.commands import CommandExecutor, CommandHooks
from kiosk.connector.outbox import Outbox

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


@pytest.fixture
def outbox(tmp_path: Path) -> Iterator[Outbox]:
    box = Outbox(tmp_path / "outbox.sqlite3")
    yield box
    box.close()


def results(outbox: Outbox) -> list[tuple[str, dict[str, Any]]]:
    return [(item.path, json.loads(item.body)) for item in outbox.due(now=True)]


def path(command_id: str) -> str:
    return f"/api/v1/commands/{command_id}/result"


def test_sync_runs_once_even_across_a_restart(tmp_path: Path, outbox: Outbox) -> None:
    calls: list[int] = []
    woken: list[int] = []

    def sync() -> str:
        calls.append(1)
        return "v7, unchanged"

    hooks = CommandHooks(sync=sync)
    first = CommandExecutor(outbox, tmp_path, hooks, wake=lambda: woken.append(1))
    assert first.handle([{"id": "c1", "kind": "sync"}]) == {"c1": "done"}
    assert first.handle([{"id": "c1", "kind": "sync"}]) == {}
    again = CommandExecutor(outbox, tmp_path, hooks)  # the app restarted
    assert again.handle([{"id": "c1", "kind": "sync"}]) == {}
    assert calls == [1] and woken == [1]
    assert results(outbox) == [(path("c1"), {"status": "done", "detail": "v7, unchanged"})]


def test_restart_reports_then_calls_the_app_and_fails_without_one(tmp_path: Path, outbox: Outbox) -> None:
    restarted: list[int] = []
    with_app = CommandExecutor(outbox, tmp_path / "a", CommandHooks(restart=lambda: restarted.append(1)))
    assert with_app.handle([{"id": "r1", "kind": "restart"}]) == {"r1": "done"}
    assert restarted == [1]
    assert results(outbox)[-1] == (path("r1"), {"status": "done", "detail": "restarting"})
    bare = CommandExecutor(outbox, tmp_path / "b")
    assert bare.handle([{"id": "r2", "kind": "restart"}]) == {"r2": "failed"}
    assert results(outbox)[-1] == (path("r2"), {"status": "failed", "detail": "no app"})


def test_screenshot_deferred_until_the_attract_screen(tmp_path: Path, outbox: Outbox) -> None:
    screen: list[bytes | None] = [None]
    executor = CommandExecutor(outbox, tmp_path, CommandHooks(screenshot=lambda: screen[0]))
    command = [{"id": "s1", "kind": "screenshot"}]
    assert executor.handle(command) == {"s1": "deferred"}
    assert executor.handle(command) == {}, "deferred is told once; the command comes back"
    screen[0] = PNG  # the resident left: the attract screen shows
    assert CommandExecutor(outbox, tmp_path, executor.hooks).handle(command) == {"s1": "done"}
    sent = results(outbox)
    assert [body["status"] for _p, body in sent] == ["deferred", "done"]
    assert base64.b64decode(sent[-1][1]["attachment"]) == PNG


def test_logs_of_the_last_hour_with_numbers_scrubbed(tmp_path: Path, outbox: Outbox) -> None:
    log = tmp_path / "kiosk.log"
    log.write_text("2026-12-06 08:00:00,001 INFO old line\n"
                   "2026-12-06 09:30:00,001 WARNING caller 13912345678 at desk 12\n"
                   "Traceback (most recent call last): id 110101199003071234\n", encoding="utf-8")
    now = dt.datetime(2026, 12, 6, 10, 0)
    def no_journal() -> str | None:
        raise AssertionError("the log file is configured: no journal")

    executor = CommandExecutor(outbox, tmp_path, CommandHooks(log_file=log), now=lambda: now,
                               journal=no_journal)
    assert executor.handle([{"id": "l1", "kind": "logs"}]) == {"l1": "done"}
    body = results(outbox)[0][1]
    text = gzip.decompress(base64.b64decode(body["attachment"])).decode()
    assert "old line" not in text and "desk 12" in text and "Traceback" in text
    assert "13912345678" not in text and "110101199003071234" not in text


def test_logs_from_the_journal_or_failed_without_one(tmp_path: Path, outbox: Outbox) -> None:
    journal = CommandExecutor(outbox, tmp_path / "a", journal=lambda: "Dec 06 kiosk: phone 13800001111\n")
    assert journal.handle([{"id": "j1", "kind": "logs"}]) == {"j1": "done"}
    text = gzip.decompress(base64.b64decode(results(outbox)[0][1]["attachment"])).decode()
    assert "kiosk:" in text and "13800001111" not in text
    nothing = CommandExecutor(outbox, tmp_path / "b", journal=lambda: None)
    assert nothing.handle([{"id": "j2", "kind": "logs"}]) == {"j2": "failed"}


def test_a_failing_or_unknown_command_is_a_failed_result(tmp_path: Path, outbox: Outbox) -> None:
    def broken() -> str:
        raise RuntimeError("mirror unreachable")

    executor = CommandExecutor(outbox, tmp_path, CommandHooks(sync=broken))
    assert executor.handle([{"id": "x1", "kind": "sync"}, {"id": "x2", "kind": "format"},
                            "junk", {"kind": "sync"}]) == {"x1": "failed", "x2": "failed"}
    details = [body["detail"] for _p, body in results(outbox)]
    assert details == ["RuntimeError: mirror unreachable", "unknown command kind 'format'"]
    assert executor.handle(None) == {}


def test_the_connector_gives_the_executor_its_log_file_and_sync(tmp_path: Path) -> None:
    from kiosk.config import load_config
    from kiosk.connector.factory import build_connector
    from kiosk.connector.settings import load_central_settings

    config = tmp_path / "kiosk.toml"
    from tests.conftest import CONTENT, LOCALITY

    config.write_text('[kiosk]\nid = "cmd"\nlocales = ["zh-CN", "en"]\n'
                      f'[content]\npath = "{CONTENT}"\nlocality = "{LOCALITY}"\n'
                      f'state_dir = "{tmp_path / "var"}"\n'
                      '[central]\nurl = "http://127.0.0.1:9"\nlog_file = "kiosk.log"\n', encoding="utf-8")
    cfg = load_config(config, env={})
    settings = load_central_settings(cfg, {"KIOSK_TOKEN": "t"})
    assert settings.log_file == tmp_path / "kiosk.log"
    connector = build_connector(settings, cfg)
    try:
        assert connector.commands.hooks.log_file == tmp_path / "kiosk.log"
        assert connector.commands.hooks.sync is None, "no tuf_root: nothing to sync"
        assert connector.commands.handle([{"id": "n1", "kind": "sync"}]) == {"n1": "failed"}
    finally:
        connector.outbox.close()
