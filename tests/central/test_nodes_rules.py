"""Rules that let several nodes share one database: one secret key, one TUF signer at a
time (advisory lock), no new root minted by a node that lost its data dir, and /healthz
saying which repository a node serves."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import requests

from central.testing.servers import CENTRAL, CentralServer


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([CENTRAL, *args], env=env, capture_output=True, text=True, timeout=120)


def test_postgresql_without_a_shared_secret_key_refuses_to_start(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CENTRAL_", "DATABASE_", "DJANGO_"))}
    env.update(CENTRAL_DATA_DIR=str(tmp_path), DATABASE_URL="postgres://nobody@127.0.0.1:1/none")
    done = _run(env, "check")
    assert done.returncode != 0
    assert "CENTRAL_SECRET_KEY_FILE" in done.stderr
    assert not (tmp_path / "secret_key").exists(), "no per-node key may be made on PostgreSQL"

    short = tmp_path / "short_key"
    short.write_text("too-short\n")
    done = _run({**env, "CENTRAL_SECRET_KEY_FILE": str(short)}, "check")
    assert done.returncode != 0 and "shorter than 40" in done.stderr


def test_a_node_with_an_empty_data_dir_refuses_to_make_a_new_root(sqlite_server: CentralServer,
                                                                  tmp_path: Path) -> None:
    """GIVEN content was published, WHEN a node whose data dir (repository, keys) is empty
    publishes against the same database, THEN it refuses and makes no keys and no root."""
    published = json.loads(sqlite_server.command("publish", "--json"))
    empty = tmp_path / "fresh-node"
    empty.mkdir()
    env = {**sqlite_server.env, "CENTRAL_DATA_DIR": str(empty)}
    env.pop("CENTRAL_TUF_DIR", None)
    done = _run(env, "publish", "--json")
    assert done.returncode != 0
    assert f"version {published['version']} was published" in done.stderr
    assert "CENTRAL_TUF_DIR" in done.stderr
    assert not (empty / "tuf" / "metadata" / "1.root.json").exists()
    assert not (empty / "keys").exists() or not any((empty / "keys").rglob("*.pem"))
    # The healthy node still serves the same history; the empty one says it has none.
    health = _run(env, "shell", "--no-imports", "-c",
                  "import json; from django.test import Client; "
                  "print(Client(HTTP_HOST='127.0.0.1').get('/healthz').content.decode())")
    assert health.returncode == 0, health.stderr
    tuf = json.loads(health.stdout.strip().splitlines()[-1])["tuf"]
    assert tuf["present"] is False and tuf["ok"] is False and tuf["published"] >= published["version"]


def test_healthz_reports_the_repository_and_the_timestamp_expiry(server: CentralServer) -> None:
    published = json.loads(server.command("publish", "--json"))
    tuf = requests.get(f"{server.url}/healthz", timeout=10).json()["tuf"]
    assert tuf["present"] is True and tuf["ok"] is True
    assert tuf["targets_version"] == tuf["published"] == published["version"]
    timestamp = requests.get(f"{server.url}/tuf/metadata/timestamp.json", timeout=10).json()["signed"]
    assert tuf["timestamp_version"] == timestamp["version"]
    assert tuf["timestamp_expires"].replace("+00:00", "Z") == timestamp["expires"]
    assert 20 * 3600 < tuf["expires_in_s"] <= 24 * 3600


def test_only_one_node_leads_the_repository_at_a_time(server: CentralServer) -> None:
    """Two connections (as two nodes): while one holds the lock, the other's try fails at
    once; after release it succeeds. PostgreSQL: an advisory lock; SQLite: a file lock."""
    out = server.django("""
import threading
from django.db import connection
from central.publishing import leader, tuf_repo
seen = []
def other():
    with leader.exclusive(tuf_repo.lock_file(), wait=False) as held:
        seen.append(held)
    connection.close()
with leader.exclusive(tuf_repo.lock_file(), wait=False) as first:
    t = threading.Thread(target=other); t.start(); t.join()
t = threading.Thread(target=other); t.start(); t.join()
print(first, seen, connection.vendor)
""")
    first, rest = out.strip().splitlines()[-1].split(" ", 1)
    assert first == "True"
    assert rest.startswith("[False, True]"), rest
