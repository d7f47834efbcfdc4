"""deploy/central/: every script passes shellcheck, every unit `systemd-analyze verify`,
the rendered nginx site `nginx -t`, and a nightly dump restores into a fresh cluster with
the same rows."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from central.testing.nginx import DEPLOY, configure, nginx_missing
from central.testing.servers import CENTRAL, REPO, PgCluster, pg_bin, pg_missing, start_central, start_pg

SCRIPTS = sorted((REPO / "deploy").rglob("*.sh"))
UNITS = sorted([*DEPLOY.glob("*.service"), *DEPLOY.glob("*.timer")])


def test_every_deploy_script_passes_shellcheck() -> None:
    if shutil.which("shellcheck") is None:
        pytest.skip("shellcheck not installed (apt-get install shellcheck)")
    assert any(p.parent == DEPLOY for p in SCRIPTS)
    done = subprocess.run(["shellcheck", "--severity=style", *map(str, SCRIPTS)], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stdout


def test_every_unit_passes_systemd_analyze_verify(tmp_path: Path) -> None:
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze not installed (systemd)")
    assert {u.name for u in UNITS} >= {"legal-kiosk-central@.service", "legal-kiosk-backup.service",
                                       "legal-kiosk-backup.timer"}
    # The units name installed paths; point them at this checkout so `verify` finds the
    # programs, and name the template's instance (a port) as systemctl would.
    names = []
    for unit in UNITS:
        text = (unit.read_text().replace("/opt/legal-kiosk/.venv/bin/central", CENTRAL)
                .replace("/opt/legal-kiosk/deploy", str(REPO / "deploy")))
        name = unit.name.replace("@.", "@8701.")
        (tmp_path / name).write_text(text)
        names.append(str(tmp_path / name))
    done = subprocess.run(["systemd-analyze", "verify", *names], capture_output=True, text=True, timeout=120)
    problems = [line for line in done.stderr.splitlines() if "legal-kiosk" in line]
    assert done.returncode == 0 and not problems, done.stderr


def test_render_refuses_a_site_without_tls() -> None:
    done = subprocess.run([str(DEPLOY / "render-nginx.sh"), "--server-name", "x.example", "--ports", "8701"],
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 2 and "--cert and --key are required" in done.stderr
    done = subprocess.run([str(DEPLOY / "render-nginx.sh"), "--server-name", "x", "--cert", "c", "--key", "k",
                           "--ports", "8701 80;evil"], capture_output=True, text=True, timeout=30)
    assert done.returncode == 2 and "is not a number" in done.stderr


def test_nginx_accepts_the_rendered_site(tmp_path: Path) -> None:
    reason = nginx_missing()
    if reason:
        pytest.skip(reason)
    nginx = configure(tmp_path / "nginx", [8701, 8702, 8703], tmp_path / "tuf", tmp_path / "static")
    site = (tmp_path / "nginx" / "site.conf").read_text()
    body = "\n".join(line for line in site.splitlines() if not line.lstrip().startswith("#"))
    assert site.count("server 127.0.0.1:87") == 3 and not re.search(r"@[A-Z_]+@", body)
    assert "limit_req zone=lk_phone" in site and "ssl_certificate " in site
    done = nginx.check()
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def clusters() -> Iterator[tuple[PgCluster, PgCluster]]:
    reason = pg_missing()
    if reason:
        pytest.skip(reason)
    first, second = start_pg(), start_pg()
    yield first, second
    first.stop()
    second.stop()


def _fingerprint(url: str) -> dict[str, str]:
    """Every public table's row count and a hash of its rows in order, and every sequence."""
    binary = pg_bin()
    assert binary is not None
    sql = """
DO $$ DECLARE t text; r text; BEGIN
  CREATE TEMP TABLE fp(name text, value text);
  FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' LOOP
    EXECUTE format('SELECT count(*) || '':'' || coalesce(md5(string_agg(x::text, '','' ORDER BY x::text)), '''')
                    FROM %I x', t) INTO r;
    INSERT INTO fp VALUES (t, r);
  END LOOP;
  FOR t IN SELECT sequencename FROM pg_sequences WHERE schemaname = 'public' LOOP
    EXECUTE format('SELECT coalesce(last_value::text, ''-'') FROM %I', t) INTO r;
    INSERT INTO fp VALUES ('seq ' || t, r);
  END LOOP;
END $$;
SELECT json_object_agg(name, value) FROM fp;
"""
    done = subprocess.run([str(binary / "psql"), "--no-psqlrc", "-tA", "-v", "ON_ERROR_STOP=1", "-d", url,
                           "-c", sql], capture_output=True, text=True, timeout=120, check=True)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def test_nightly_dump_restores_into_a_fresh_cluster(clusters: tuple[PgCluster, PgCluster]) -> None:
    """GIVEN a central database with content, a publication, bookings and tickets, WHEN
    backup.sh dumps it and restore.sh loads the dump into a fresh cluster, THEN every table
    and sequence is the same, and restore.sh refuses a database that is not empty."""
    source, target = clusters
    data = Path(tempfile.mkdtemp(prefix="central-backup-"))
    server = start_central(source.url, data / "node", workers=1, threads=2)
    try:
        server.command("publish", "--json")
        headers = {"Authorization": f"Bearer {server.demo['kiosk_token']}"}
        for i in range(5):
            answer = requests.post(f"{server.url}/api/v1/tickets", json={"service": "legal-aid"},
                                   headers={**headers, "Idempotency-Key": f"backup-test-{i}"}, timeout=30)
            assert answer.status_code == 201, answer.text
    finally:
        server.stop()
    env = {**os.environ, "DATABASE_URL": source.url, "CENTRAL_TUF_DIR": str(data / "node" / "tuf"),
           "PATH": f"{pg_bin()}:{os.environ['PATH']}"}
    backups = data / "backups"
    done = subprocess.run([str(DEPLOY / "backup.sh"), str(backups)], env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    dump = Path(done.stdout.strip())
    assert dump.is_file() and dump.parent == backups
    assert len(list(backups.glob("tuf-*.tar.gz"))) == 1

    restore = [str(DEPLOY / "restore.sh"), str(dump), target.url]
    done = subprocess.run(restore, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    before, after = _fingerprint(source.url), _fingerprint(target.url)
    assert before["queueing_ticket"].startswith("5:") and "publishing_publication" in before
    assert after == before

    again = subprocess.run(restore, env=env, capture_output=True, text=True, timeout=300)
    assert again.returncode == 1 and "restore into an empty one" in again.stderr
    shutil.rmtree(data, ignore_errors=True)
