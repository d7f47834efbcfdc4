"""deploy/kiosk: the installer in a throwaway root (twice: the second run changes nothing;
--uninstall leaves the root as it was), shellcheck on every script, `systemd-analyze verify`
on every unit as installed.

The throwaway root holds what a fresh system has and the installer reads or checks: the
user database, login.defs, systemd's own units, and the two system binaries the units name
(xinit, systemctl), copied from this machine. No apt, udev or service start happens there.
The app is pip-installed into the root's virtualenv with `--no-deps` (the dependencies are
the same wheels the developer virtualenv has; pip fetches only the build backend).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sysconfig
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
INSTALL = DEPLOY / "kiosk" / "install.sh"
UNITS = ["legal-kiosk.service", "legal-kiosk-session.service", "legal-kiosk-nightly.service",
         "legal-kiosk-nightly.timer"]
#: shadow-utils' backups of the user database (/etc/passwd- ...): rewritten by every useradd
#: and userdel, so a root never gets them back byte for byte; everything else must.
BACKUPS = ("passwd-", "group-", "shadow-", "gshadow-")


def shell_scripts() -> list[Path]:
    found = []
    for path in sorted(DEPLOY.rglob("*")):
        if path.is_file() and (path.suffix == ".sh" or path.read_bytes()[:20].startswith(b"#!/bin/sh")
                               or path.read_bytes()[:30].startswith(b"#!/usr/bin/env bash")):
            found.append(path)
    return found


def listing(root: Path) -> list[str]:
    """Every path with its type, mode, owner, link target and content digest."""
    rows = []
    for dirpath, dirnames, filenames in os.walk(root):
        for name in sorted(dirnames + filenames):
            path = Path(dirpath) / name
            if name in BACKUPS:
                continue
            st = path.lstat()
            if path.is_symlink():
                what = "link " + os.readlink(path)
            elif path.is_file():
                what = hashlib.sha256(path.read_bytes()).hexdigest()
            else:
                what = "dir"
            rows.append(f"{path.relative_to(root)} {st.st_mode:o} {st.st_uid}:{st.st_gid} {what}")
    return sorted(rows)


def fresh_root(base: Path) -> Path:
    root = base / "root"
    (root / "etc").mkdir(parents=True)
    for name in ("passwd", "group", "shadow", "gshadow", "login.defs"):
        shutil.copy2(f"/etc/{name}", root / "etc" / name)
    (root / "etc" / ".pwd.lock").touch()
    units = Path("/lib/systemd/system")
    if units.is_dir():
        shutil.copytree(units, root / "usr" / "lib" / "systemd" / "system", symlinks=True)
    for binary in ("/usr/bin/xinit", "/bin/systemctl"):
        if Path(binary).exists():
            (root / binary.lstrip("/")).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(Path(binary).resolve(), root / binary.lstrip("/"))
    return root


def install(root: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    full = {k: v for k, v in os.environ.items() if not k.endswith(("_USB_VENDOR", "_USB_PRODUCT"))}
    full.update(PIP_INSTALL_ARGS="--no-deps", **env)
    return subprocess.run(["bash", str(INSTALL), "--root", str(root), "--kiosk-id", "test-kiosk-1", *args],
                          capture_output=True, text=True, timeout=600, env=full, check=False)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, list[str], list[str]]]:
    """(root, listing before, listing after the first run), the printer given a USB id."""
    for tool in ("useradd", "python3", "systemctl"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not on this machine: the installer cannot run here")
    root = fresh_root(tmp_path_factory.mktemp("kiosk-root"))
    before = listing(root)
    first = install(root, PRINTER_USB_VENDOR="1A86", PRINTER_USB_PRODUCT="7523")
    assert first.returncode == 0, first.stderr[-3000:]
    yield root, before, listing(root)


def test_shellcheck_every_script() -> None:
    if shutil.which("shellcheck") is None:
        pytest.skip("shellcheck is not installed (Debian package shellcheck; deploy/dev.sh test installs it)")
    scripts = shell_scripts()
    assert INSTALL in scripts and DEPLOY / "dev.sh" in scripts and DEPLOY / "kiosk" / "xsession" in scripts
    result = subprocess.run(["shellcheck", "-x", *map(str, scripts)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout


def test_first_run_lays_the_kiosk_out(installed: tuple[Path, list[str], list[str]]) -> None:
    root, _before, _after = installed
    passwd = (root / "etc" / "passwd").read_text()
    assert any(line.startswith("kiosk:") and line.endswith(":/var/lib/legal-kiosk:/usr/sbin/nologin")
               for line in passwd.splitlines())
    kiosk_gid = next(int(line.split(":")[3]) for line in passwd.splitlines() if line.startswith("kiosk:"))
    config = root / "etc" / "legal-kiosk" / "kiosk.toml"
    assert 'id = "test-kiosk-1"' in config.read_text()
    assert (config.stat().st_mode & 0o777, config.stat().st_gid) == (0o640, kiosk_gid)
    state = root / "var" / "lib" / "legal-kiosk"
    assert state.stat().st_mode & 0o777 == 0o750
    rules = (root / "etc" / "udev" / "rules.d" / "70-legal-kiosk.rules").read_text()
    assert ('ATTRS{idVendor}=="1a86", ATTRS{idProduct}=="7523", SYMLINK+="kiosk-printer"' in rules)
    assert "# idcard: no USB id set" in rules
    assert (root / "opt" / "legal-kiosk" / "venv" / "bin" / "kiosk").is_file()
    wants = root / "etc" / "systemd" / "system" / "multi-user.target.wants"
    assert sorted(p.name for p in wants.iterdir()) == ["legal-kiosk-session.service", "legal-kiosk.service"]
    assert (root / "etc" / "systemd" / "system" / "timers.target.wants" / "legal-kiosk-nightly.timer").is_symlink()
    wrapper = (root / "usr" / "local" / "bin" / "kiosk").read_text()
    assert "--config /etc/legal-kiosk/kiosk.toml" in wrapper and ". /etc" not in wrapper  # env read, not sourced
    if shutil.which("shellcheck"):  # the script the installer writes is checked too
        checked = subprocess.run(["shellcheck", str(root / "usr" / "local" / "bin" / "kiosk")],
                                 capture_output=True, text=True, check=False)
        assert checked.returncode == 0, checked.stdout


def test_installed_app_runs_from_its_virtualenv(installed: tuple[Path, list[str], list[str]]) -> None:
    """The virtualenv's own `kiosk` (with this repo's dependencies on the path, --no-deps) answers."""
    root, _before, _after = installed
    env = dict(os.environ, PYTHONPATH=sysconfig.get_paths()["purelib"], PYTHONDONTWRITEBYTECODE="1")
    venv = root / "opt" / "legal-kiosk" / "venv"
    result = subprocess.run([str(venv / "bin" / "python"), "-c",
                             "import kiosk.services.watchdog as w, kiosk.__main__; print(w.__file__)"],
                            capture_output=True, text=True, env=env, cwd=root, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(str(venv))


def test_second_run_changes_nothing(installed: tuple[Path, list[str], list[str]]) -> None:
    root, _before, after = installed
    again = install(root, PRINTER_USB_VENDOR="1a86", PRINTER_USB_PRODUCT="7523")
    assert again.returncode == 0, again.stderr
    assert "nothing changed" in again.stderr
    assert listing(root) == after


def test_every_unit_verifies(installed: tuple[Path, list[str], list[str]]) -> None:
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed (Debian package systemd)")
    root, _before, _after = installed
    if not (root / "usr" / "bin" / "xinit").exists():
        pytest.skip("xinit is not installed here (Debian package xinit): the session unit names it")
    units = [f"/etc/systemd/system/{unit}" for unit in UNITS]
    result = subprocess.run(["systemd-analyze", "verify", f"--root={root}", *units],
                            capture_output=True, text=True, check=False)
    # verify exits 0 on many faults (a bad value is "ignored"): its stderr must be empty too.
    assert result.returncode == 0 and result.stderr == "", result.stderr
    bad = root / "etc" / "systemd" / "system" / "bad-kiosk.service"
    bad.write_text((root / units[0].lstrip("/")).read_text().replace("WatchdogSec=15", "WatchdogSec=soon"))
    try:
        spoiled = subprocess.run(["systemd-analyze", "verify", f"--root={root}", "/etc/systemd/system/bad-kiosk.service"],
                                 capture_output=True, text=True, check=False)
    finally:
        bad.unlink()
    assert "WatchdogSec" in spoiled.stderr or "sec value" in spoiled.stderr, "verify no longer reports bad values"


def test_wrong_inputs_change_nothing(installed: tuple[Path, list[str], list[str]], tmp_path: Path) -> None:
    root, _before, after = installed
    archive = tmp_path / "vosk-model-small-cn-0.22.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("vosk-model-small-cn-0.22/am/final.mdl", b"not really a model")
    bad_hash = install(root, "--model", str(archive), "--model-sha256", "0" * 64,
                       PRINTER_USB_VENDOR="1a86", PRINTER_USB_PRODUCT="7523")
    assert bad_hash.returncode == 1 and "SHA-256 is" in bad_hash.stderr and "Nothing was changed" in bad_hash.stderr
    # The right hash of an archive that is not a small vosk model: refused before any change.
    big = tmp_path / "vosk-model-cn-0.22.zip"
    with zipfile.ZipFile(big, "w") as zf:
        for name in ("am/final.mdl", "conf/model.conf", "graph/HCLG.fst"):
            zf.writestr(f"vosk-model-cn-0.22/{name}", b"x")
    static = install(root, "--model", str(big), "--model-sha256", hashlib.sha256(big.read_bytes()).hexdigest(),
                     PRINTER_USB_VENDOR="1a86", PRINTER_USB_PRODUCT="7523")
    assert static.returncode == 1 and "does not take the screen's phrase list" in static.stderr
    bad_id = install(root, PRINTER_USB_VENDOR="1a86", PRINTER_USB_PRODUCT="75-3")
    assert bad_id.returncode == 1 and "4 hex digits" in bad_id.stderr
    assert listing(root) == after


def test_joining_the_central_service_and_a_rerun_keeps_it(installed: tuple[Path, list[str], list[str]],
                                                          tmp_path: Path) -> None:
    root, _before, _after = installed
    token = tmp_path / "token.txt"
    token.write_text("kiosk-secret-token\n")
    trusted = tmp_path / "1.root.json"
    trusted.write_text('{"signed": {"_type": "root", "version": 1}, "signatures": []}')
    usb = {"PRINTER_USB_VENDOR": "1a86", "PRINTER_USB_PRODUCT": "7523"}
    bad = install(root, "--central-url", "ftp://x", **usb)
    assert bad.returncode == 1 and "https://" in bad.stderr
    joined = install(root, "--central-url", "https://central.example.gov.cn", "--token-file", str(token),
                     "--tuf-root", str(trusted), **usb)
    assert joined.returncode == 0, joined.stderr
    etc = root / "etc" / "legal-kiosk"
    kiosk_uid = next(int(line.split(":")[2]) for line in (root / "etc" / "passwd").read_text().splitlines()
                     if line.startswith("kiosk:"))
    st = (etc / "kiosk.token").stat()
    assert (etc / "kiosk.token").read_text() == "kiosk-secret-token"
    assert (st.st_mode & 0o777, st.st_uid) == (0o600, kiosk_uid)
    assert (etc / "root.json").read_bytes() == trusted.read_bytes()
    assert "KIOSK_CENTRAL_URL=https://central.example.gov.cn" in (etc / "kiosk.env").read_text()
    state = listing(root)
    again = install(root, **usb)  # an officer reruns it without the central options
    assert "nothing changed" in again.stderr and listing(root) == state


def test_model_checked_by_hash_then_uninstall_leaves_nothing(installed: tuple[Path, list[str], list[str]],
                                                             tmp_path: Path) -> None:
    root, before, _after = installed
    archive = tmp_path / "vosk-model-small-cn-0.22.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("vosk-model-small-cn-0.22/am/final.mdl", b"model bytes")
        zf.writestr("vosk-model-small-cn-0.22/conf/model.conf", b"--sample-frequency=16000\n")
        zf.writestr("vosk-model-small-cn-0.22/graph/HCLr.fst", b"lookahead graph")
        zf.writestr("vosk-model-small-cn-0.22/graph/Gr.fst", b"grammar graph")
    digest = hashlib.sha256(archive.read_bytes()).hexdigest()
    first = install(root, "--model", str(archive), "--model-sha256", digest.upper(),
                    PRINTER_USB_VENDOR="1a86", PRINTER_USB_PRODUCT="7523")
    assert first.returncode == 0, first.stderr
    model = root / "var" / "lib" / "legal-kiosk" / "models" / "vosk-model-small-cn-0.22"
    assert (model / "am" / "final.mdl").read_bytes() == b"model bytes"
    env = (root / "etc" / "legal-kiosk" / "kiosk.env").read_text()
    assert "KIOSK_SPEECH_MODEL=/var/lib/legal-kiosk/models/vosk-model-small-cn-0.22" in env
    with_model = listing(root)
    again = install(root, "--model", str(archive), "--model-sha256", digest,
                    PRINTER_USB_VENDOR="1a86", PRINTER_USB_PRODUCT="7523")
    assert "nothing changed" in again.stderr and listing(root) == with_model

    gone = install(root, "--uninstall")
    assert gone.returncode == 0, gone.stderr
    assert listing(root) == before
    assert "kiosk:" not in (root / "etc" / "passwd").read_text()
    twice = install(root, "--uninstall")
    assert twice.returncode == 0 and "(0 change(s))" in twice.stderr and listing(root) == before


def unit_settings(name: str) -> dict[str, list[str]]:
    """KEY -> values of a unit or drop-in file in deploy/kiosk (sections ignored, comments skipped)."""
    found: dict[str, list[str]] = {}
    for line in (DEPLOY / "kiosk" / name).read_text().splitlines():
        if "=" in line and not line.startswith(("#", "[")):
            key, value = line.split("=", 1)
            found.setdefault(key.strip(), []).append(value.strip())
    return found


def test_supervision_and_privacy_settings_stay() -> None:
    """What the issue asks of the units, pinned: verify checks syntax, this checks intent."""
    app = unit_settings("legal-kiosk.service")
    assert app["Type"] == ["notify"] and app["Restart"] == ["always"] and app["NotifyAccess"] == ["main"]
    assert int(app["WatchdogSec"][0]) + int(app["RestartSec"][0]) < 30  # hung → back within 30 s
    assert app["StartLimitAction"] == ["reboot"] and app["LimitCORE"] == ["0"] and app["LogLevelMax"] == ["info"]
    assert "--fullscreen" in app["ExecStart"][0]
    session = unit_settings("legal-kiosk-session.service")
    assert session["PAMName"] == ["login"] and session["User"] == ["kiosk"] and "-nocursor" in session["ExecStart"][0]
    assert unit_settings("legal-kiosk-nightly.timer")["OnCalendar"] == ["*-*-* 03:30:00"]
    assert unit_settings("journald.conf")["MaxLevelStore"] == ["info"]
    assert unit_settings("coredump.conf")["Storage"] == ["none"]
    xsession = (DEPLOY / "kiosk" / "xsession").read_text()
    assert all(cmd in xsession for cmd in ("xset s off", "xset s noblank", "xset -dpms"))
