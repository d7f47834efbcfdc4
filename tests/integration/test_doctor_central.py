"""`kiosk doctor`'s central checks against the real central service on loopback (SQLite):
reachable, token, TUF root and the signed content version, clock skew from its Date header;
and each of them with its part missing or wrong."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.doctor import central
from kiosk.doctor.model import Result, Site
from tests.connector.conftest import closed_port_url
from tests.connector.real_central import RealCentral, missing, running
from tests.integration.test_doctor import make_site

pytestmark = pytest.mark.skipif(missing() is not None, reason=missing() or "")


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RealCentral]:
    yield from running(tmp_path_factory.mktemp("central"))


def site_for(tmp_path: Path, real: RealCentral, *, token: str | None = None, root: str | None = None,
             url: str | None = None, shift_s: float = 0.0) -> Site:
    site = make_site(tmp_path)
    site.env = {"KIOSK_CENTRAL_URL": url or real.url, "KIOSK_TOKEN": real.demo["kiosk_token"] if token is None
                else token, "KIOSK_TUF_ROOT": real.root_path if root is None else root}
    site.now = lambda: dt.datetime.now(dt.UTC) + dt.timedelta(seconds=shift_s)
    return site


def checks(site: Site) -> dict[str, Result]:
    return {r.check: r for r in (central.central(site), central.token(site), central.content(site),
                                 central.clock(site))}


def test_everything_in_place_then_after_a_sync(real: RealCentral, tmp_path: Path) -> None:
    got = checks(site_for(tmp_path, real))
    assert [got[name].status for name in ("central", "token", "clock")] == ["pass", "pass", "pass"], got
    assert got["TUF root and content"].status == "warn" and "kiosk sync --once" in got["TUF root and content"].fix

    env = {k: v for k, v in os.environ.items() if not k.startswith(("KIOSK_", "CENTRAL_", "DATABASE_"))}
    env.update(KIOSK_CENTRAL_URL=real.url, KIOSK_TOKEN=real.demo["kiosk_token"], KIOSK_TUF_ROOT=real.root_path,
               KIOSK_STATE_DIR=str(tmp_path / "var"), PYTHONPATH=str(Path(__file__).resolve().parents[2]))
    synced = subprocess.run([sys.executable, "-m", "kiosk", "--config", str(tmp_path / "kiosk.toml"),
                             "sync", "--once", "--json"], env=env, capture_output=True, text=True,
                            timeout=180, check=False)
    assert synced.returncode == 0, synced.stderr
    version = json.loads(synced.stdout.strip().splitlines()[-1])["version"]
    after = central.content(site_for(tmp_path, real))
    assert after.status == "pass" and after.detail.endswith(f"content v{version}"), after


def test_a_wrong_token_is_named(real: RealCentral, tmp_path: Path) -> None:
    got = checks(site_for(tmp_path, real, token="not-the-token"))
    assert got["central"].status == "pass"
    assert got["token"].status == "fail" and "refused" in got["token"].detail
    assert "issue a new token" in got["token"].fix


def test_no_token_and_a_token_file_others_can_read(real: RealCentral, tmp_path: Path) -> None:
    assert central.token(site_for(tmp_path, real, token="")).status == "fail"
    token = tmp_path / "kiosk.token"
    token.write_text(real.demo["kiosk_token"])
    token.chmod(0o644)
    site = make_site(tmp_path, f'[central]\nurl = "{real.url}"\ntoken_file = "{token}"\n')
    site.env = {}
    loose = central.token(site)
    assert loose.status == "fail" and "chmod 600" in loose.detail + loose.fix
    token.chmod(0o600)
    site.cache.clear()
    assert central.token(site).status == "pass"


def test_unreachable_service(tmp_path: Path, real: RealCentral) -> None:
    got = checks(site_for(tmp_path, real, url=closed_port_url()))
    assert got["central"].status == "fail" and "curl" in got["central"].fix
    assert got["token"].status == "warn" and got["clock"].status == "warn"


def test_no_or_bad_tuf_root(real: RealCentral, tmp_path: Path) -> None:
    none = central.content(site_for(tmp_path, real, root=str(tmp_path / "absent.json")))
    assert none.status == "fail" and "root_path" in none.fix
    fake = tmp_path / "root.json"
    fake.write_text('{"signed": {"_type": "targets", "version": 1}}')
    assert central.content(site_for(tmp_path, real, root=str(fake))).status == "fail"


def test_clock_skew(real: RealCentral, tmp_path: Path) -> None:
    behind = central.clock(site_for(tmp_path, real, shift_s=-600))
    assert behind.status == "fail" and "timedatectl set-ntp true" in behind.fix
    assert 590 < float(behind.detail.split()[0]) < 610, behind.detail  # server minus kiosk, in seconds
    assert central.clock(site_for(tmp_path, real, shift_s=90)).status == "warn"
    assert central.clock(site_for(tmp_path, real)).status == "pass"


def test_without_a_central_service(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    site.env = {}
    got = checks(site)
    assert {r.status for r in got.values()} == {"warn"} and "[central] url" in got["central"].fix


def test_plain_http_to_another_host_is_refused_with_the_fix(tmp_path: Path) -> None:
    """The kiosk refuses http:// to another machine (the token would cross the network in
    clear): doctor reports the config error and what to change; https:// is fine."""
    import dataclasses

    from kiosk.connector.settings import load_central_settings

    site = make_site(tmp_path)
    site.env = {**site.env, "KIOSK_CENTRAL_URL": "http://10.20.30.40:8700", "KIOSK_TOKEN": "t"}
    site.cache.pop("central", None)
    plain = central.central(site)
    assert plain.status == "fail" and "https://" in plain.detail, plain
    settings = load_central_settings(site.cfg, {"KIOSK_CENTRAL_URL": "https://10.20.30.40:8700", "KIOSK_TOKEN": "t"})
    site.cache["central"] = {"settings": dataclasses.replace(settings), "health": 200, "ms": 4}
    assert central.central(site).status == "pass"
