"""`kiosk doctor`, each check with and without its part: a real Unix socket for the X server,
sound card files, a vosk-shaped folder, the printer and the ID card reader on real ptys with
fake devices answering, a private CUPS with a PDF queue, the config file's real modes."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.config import load_config
from kiosk.devices.pty_idcard import Behaviour as CardBehaviour
from kiosk.devices.pty_idcard import PtyIdCardReader
from kiosk.devices.pty_printer import STATUS_NEAR_END, STATUS_PAPER_OUT, Behaviour, PtyPrinter
from kiosk.doctor import cli, devices, local
from kiosk.doctor.model import Result, Site
from kiosk.services.maintenance import hash_pin
from tests.conftest import CONTENT, LOCALITY
from tests.integration import cups_server
from tests.integration.vosk_helpers import model_skeleton

REPO = Path(__file__).resolve().parents[2]
OWN_PIN = hash_pin("97531", salt="a1b2c3d4", iterations=1000)


def make_site(tmp_path: Path, extra: str = "", *, pin: str = OWN_PIN, mode: int = 0o600) -> Site:
    """A kiosk config with the given sections, and system folders of its own under tmp_path."""
    config = tmp_path / "kiosk.toml"
    config.write_text(
        '[kiosk]\nid = "doc"\nlocales = ["zh-CN", "en"]\n'
        f'[content]\npath = "{CONTENT}"\nlocality = "{LOCALITY}"\nstate_dir = "{tmp_path / "var"}"\n'
        f'[maintenance]\npin_hash = "{pin}"\n' + extra, encoding="utf-8")
    config.chmod(mode)
    for name in ("x11", "asound", "snd"):
        (tmp_path / name).mkdir(exist_ok=True)
    return Site(load_config(config, env={}), env={"DISPLAY": ":7"}, x11_dir=tmp_path / "x11",
                asound=tmp_path / "asound", dev_snd=tmp_path / "snd")


def status_of(result: Result) -> tuple[str, str]:
    return result.status, result.detail + " | " + result.fix


@pytest.fixture
def x_server(tmp_path: Path) -> Iterator[Path]:
    """A listening Unix socket where the X server's would be."""
    (tmp_path / "x11").mkdir(exist_ok=True)
    path = tmp_path / "x11" / "X7"
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.bind(str(path))
        sock.listen(64)  # never accepted: each check only connects
        yield path


def test_font(tmp_path: Path) -> None:
    assert local.font(make_site(tmp_path)).status == "pass"
    missing = local.font(make_site(tmp_path, '[ui]\nfont = "/nonexistent/NotoSansCJK-Regular.ttc"\n'))
    assert missing.status == "fail" and "fonts-noto-cjk" in missing.fix


def test_display(tmp_path: Path, x_server: Path) -> None:
    site = make_site(tmp_path)
    assert local.display(site).status == "pass"
    x_server.unlink()  # the X server is gone (its socket file too)
    gone = local.display(site)
    assert gone.status == "fail" and "legal-kiosk-session" in gone.fix


def test_audio_out_and_microphone(tmp_path: Path) -> None:
    site = make_site(tmp_path, '[speech]\nplayer = ["true", "{wav}"]\n')
    none = local.audio_out(site)
    assert none.status == "fail" and "aplay -l" in none.fix
    (tmp_path / "asound" / "cards").write_text("--- no soundcards ---\n")
    assert local.audio_out(site).status == "fail"
    (tmp_path / "asound" / "cards").write_text(" 0 [Device ]: USB-Audio - USB Audio Device\n")
    assert status_of(local.audio_out(site))[0] == "pass"
    no_player = make_site(tmp_path, '[speech]\nplayer = ["no-such-player-here", "{wav}"]\n')
    assert local.audio_out(no_player).status == "fail" and "alsa-utils" in local.audio_out(no_player).fix
    off = make_site(tmp_path, "[speech]\nenabled = false\n")
    assert local.audio_out(off).status == "warn" and local.microphone(off).status == "warn"

    assert local.microphone(site).status == "warn"
    (tmp_path / "snd" / "pcmC0D0p").touch()  # playback only
    assert local.microphone(site).status == "warn"
    (tmp_path / "snd" / "pcmC1D0c").touch()
    assert status_of(local.microphone(site)) == ("pass", "pcmC1D0c | ")


def test_speech_model(tmp_path: Path) -> None:
    assert local.speech_model(make_site(tmp_path)).status == "warn"
    model = tmp_path / "vosk-model-small-cn-0.22"
    model.mkdir()
    broken = local.speech_model(make_site(tmp_path, f'[speech]\nmodel = "{model}"\n'))
    assert broken.status == "fail" and "not a vosk model folder (no am/final.mdl" in broken.detail
    model_skeleton(model)
    (model / "am" / "final.mdl").write_bytes(bytes(3 * 2**20))
    found = local.speech_model(make_site(tmp_path, f'[speech]\nmodel = "{model}"\n'))
    assert status_of(found)[0] == "pass"
    assert found.detail == f"vosk-model-small-cn-0.22 (Chinese, 3 MB) at {model}"
    # KIOSK_VOSK_MODEL (the environment) wins over the file.
    site = make_site(tmp_path, '[speech]\nmodel = "/nowhere"\n')
    site.env["KIOSK_VOSK_MODEL"] = str(model)
    assert local.speech_model(site).status == "pass"


def test_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = make_site(tmp_path)
    free_mb = shutil.disk_usage(tmp_path).free // 2**20
    assert local.disk(site).status == ("pass" if free_mb >= local.WARN_MB else "warn")
    monkeypatch.setattr(local, "FAIL_MB", free_mb + 10)  # this disk, as if it were that full
    assert local.disk(site).status == "fail"


def test_maintenance_pin(tmp_path: Path) -> None:
    demo = load_config(REPO / "config" / "kiosk.toml", env={}).extra["maintenance"]["pin_hash"]
    shipped = local.maintenance_pin(make_site(tmp_path, pin=demo))
    assert shipped.status == "fail" and "kiosk pin-hash" in shipped.fix
    same_pin_new_salt = local.maintenance_pin(make_site(tmp_path, pin=hash_pin("2468", iterations=1000)))
    assert same_pin_new_salt.status == "fail"
    assert local.maintenance_pin(make_site(tmp_path)).status == "pass"
    assert local.maintenance_pin(make_site(tmp_path, pin="")).status == "warn"


def test_config_permissions(tmp_path: Path) -> None:
    assert local.config_permissions(make_site(tmp_path, mode=0o640)).status == "pass"
    assert local.config_permissions(make_site(tmp_path, mode=0o644)).status == "warn"
    writable = local.config_permissions(make_site(tmp_path, mode=0o666))
    assert writable.status == "fail" and "chmod 640" in writable.fix
    inline = local.config_permissions(make_site(tmp_path, '[central]\ntoken = "abc"\n', mode=0o640))
    assert inline.status == "warn" and "token_file" in inline.fix


def test_thermal_printer_through_a_pty(tmp_path: Path) -> None:
    assert devices.printer(make_site(tmp_path)).status == "warn"  # the virtual printer
    missing = devices.printer(make_site(tmp_path, '[printer]\nkind = "serial"\nport = "/dev/kiosk-printer-none"\n'))
    assert missing.status == "fail" and "udev" in missing.fix
    for behaviour, want, words in ((Behaviour(), "pass", "online"),
                                   (Behaviour(status=STATUS_NEAR_END), "warn", "near its end"),
                                   (Behaviour(status=STATUS_PAPER_OUT), "fail", "paper roll"),
                                   (Behaviour(status=None), "fail", "switch the printer on")):
        with PtyPrinter(behaviour) as fake:
            result = devices.printer(make_site(tmp_path, f'[printer]\nkind = "serial"\nport = "{fake.port}"\n'))
        assert result.status == want and words in result.detail + result.fix, result
        assert fake.queries, "the doctor asked the printer (DLE EOT)"


def test_idcard_reader_through_a_pty(tmp_path: Path) -> None:
    none = devices.idcard(make_site(tmp_path))
    assert none.status == "warn" and "[idcard] port" in none.fix
    assert devices.idcard(make_site(tmp_path, '[idcard]\nport = "/dev/kiosk-idcard-none"\n')).status == "fail"
    with PtyIdCardReader() as reader:
        assert devices.idcard(make_site(tmp_path, f'[idcard]\nport = "{reader.port}"\n')).status == "pass"
        assert reader.commands, "the doctor asked the SAM module"
    with PtyIdCardReader(CardBehaviour(silent=True)) as reader:
        site = make_site(tmp_path, f'[idcard]\nport = "{reader.port}"\nreply_timeout_s = 0.3\n')
        silent = devices.idcard(site)
    assert silent.status == "fail" and "[idcard] baud" in silent.fix


@pytest.fixture(scope="module")
def cups() -> Iterator[cups_server.PrivateCups]:
    yield from cups_server.serve_pdf_queue("DoctorA4")


def test_a4_printer_through_a_private_cups(tmp_path: Path, cups: cups_server.PrivateCups) -> None:
    assert devices.a4_printer(make_site(tmp_path)).status == "warn"

    def a4(name: str, server: str = cups.socket) -> Result:
        return devices.a4_printer(make_site(tmp_path, f'[a4]\nprinter = "{name}"\nserver = "{server}"\n'))

    assert a4("DoctorA4").status == "pass"
    assert a4("NoSuchQueue").status == "fail" and "lpadmin" in a4("NoSuchQueue").fix
    cups.disable("DoctorA4")
    try:
        stopped = a4("DoctorA4")
    finally:
        cups.enable("DoctorA4")
    assert stopped.status == "fail" and "cupsenable DoctorA4" in stopped.fix
    down = a4("DoctorA4", str(Path(cups.socket).with_name("gone.sock")))
    assert down.status == "fail" and "systemctl start cups" in down.fix


def test_cli_table_json_and_exit_code(tmp_path: Path, x_server: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Warnings alone exit 0; any failure exits 1; --json carries the same verdicts."""
    site = make_site(tmp_path, '[speech]\nplayer = ["true", "{wav}"]\n')
    (tmp_path / "asound" / "cards").write_text(" 0 [Device ]: USB-Audio\n")
    assert cli.run(argparse.Namespace(json=False, lang="en"), site.cfg, site) == 0
    table = capsys.readouterr().out
    assert "ok    display" in table and "WARN  printer" in table and "0 failed" in table
    assert len(table.splitlines()) > len(cli.CHECKS)

    bad = make_site(tmp_path, '[speech]\nplayer = ["true", "{wav}"]\n', mode=0o666)
    assert cli.run(argparse.Namespace(json=True), bad.cfg, bad) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is False and len(report["checks"]) == len(cli.CHECKS)
    failed = [c for c in report["checks"] if c["status"] == "fail"]
    assert [c["check"] for c in failed] == ["config permissions"] and failed[0]["fix"]
    assert all(c["fix"] and c["fix_zh"] for c in report["checks"] if c["status"] != "pass"), report

    assert cli.run(argparse.Namespace(json=False, lang="zh-CN"), bad.cfg, bad) == 1
    chinese = capsys.readouterr().out
    assert "故障  配置文件权限" in chinese and "处理：改正配置文件的属主和权限" in chinese
    assert chinese.rstrip().endswith("1 项故障")


def test_every_fix_is_also_in_chinese(tmp_path: Path) -> None:
    """A kiosk with nearly every part missing or wrong: each warning and failure says its fix
    in both languages (the officer reads the kiosk's language)."""
    site = make_site(tmp_path, '[ui]\nfont = "/none.ttc"\n[speech]\nmodel = "/none"\nplayer = ["none", "{wav}"]\n'
                     '[printer]\nkind = "serial"\nport = "/dev/none"\n[idcard]\nport = "/dev/none"\n'
                     '[a4]\nprinter = "Q"\nserver = "/none.sock"\n'
                     '[central]\nurl = "http://127.0.0.1:9"\ntoken = "t"\n', pin="", mode=0o666)
    site.env = {}
    results = cli.run_checks(site)
    assert sum(r.status == "fail" for r in results) >= 8, results
    missing = [r.check for r in results if r.status != "pass" and not (r.fix and r.fix_zh)]
    assert missing == []


def test_a_check_that_breaks_is_a_failure_not_the_end(tmp_path: Path) -> None:
    def broken(_site: Site) -> Result:
        raise RuntimeError("boom")

    results = cli.run_checks(make_site(tmp_path), (("broken", broken), ("font", local.font)))
    assert [r.status for r in results] == ["fail", "pass"] and "boom" in results[0].detail


def test_kiosk_doctor_command(tmp_path: Path) -> None:
    """The real command: the shipped config has the demo PIN, so it fails, and says why."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
    env["PYTHONPATH"] = str(REPO)
    done = subprocess.run([sys.executable, "-m", "kiosk", "doctor", "--json"], capture_output=True, text=True,
                          env=env, cwd=tmp_path, timeout=120, check=False)
    assert done.returncode == 1, done.stderr
    checks = {c["check"]: c for c in json.loads(done.stdout)["checks"]}
    assert checks["maintenance PIN"]["status"] == "fail"
    assert "Traceback" not in done.stderr
