"""`kiosk run` as a real process: it opens the app in a window, and refuses to start with a
plain message naming the package when the CJK font is missing."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import CONTENT, LOCALITY


def _config(tmp_path: Path, extra: str = "") -> Path:
    config = tmp_path / "kiosk.toml"
    config.write_text(
        '[kiosk]\nid = "cli"\nlocales = ["zh-CN", "en"]\n'
        f'[content]\npath = "{CONTENT}"\nlocality = "{LOCALITY}"\nstate_dir = "{tmp_path / "var"}"\n'
        + extra, encoding="utf-8")
    return config


def _env(display: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIVY_") and k != "DISPLAY"}
    if display:
        env["DISPLAY"] = display
    return env


@pytest.mark.parametrize("settle", [0.5, 3.0])  # SIGTERM during start-up's warm-up, and after
def test_kiosk_run_opens_the_app_and_keeps_running(xvfb: str, tmp_path: Path, settle: float) -> None:
    config = _config(tmp_path)
    proc = subprocess.Popen([sys.executable, "-m", "kiosk", "--config", str(config), "run", "--demo"],
                            env=_env(xvfb), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        fonts = tmp_path / "var" / "fonts"
        deadline = time.monotonic() + 60
        while not list(fonts.glob("*.otf")) and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(settle)  # the window opens, the screens build, the main loop runs
        assert proc.poll() is None, proc.communicate(timeout=5)
        assert (tmp_path / "var" / "kivy" / "config.ini").is_file()
    finally:
        proc.terminate()  # as systemd stops it
        try:
            _out, err = proc.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()  # its window must not stay on the shared display for the next tests
            proc.communicate()
            raise AssertionError("SIGTERM did not stop the kiosk within 20 s") from None
    assert proc.returncode == 0 and "Traceback" not in err, err


def test_kiosk_run_without_the_cjk_font_names_the_package(tmp_path: Path) -> None:
    config = _config(tmp_path, '[ui]\nfont = "/nonexistent/NotoSansCJK-Regular.ttc"\n')
    result = subprocess.run([sys.executable, "-m", "kiosk", "--config", str(config), "run"],
                            env=_env(None), capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 2
    assert "fonts-noto-cjk" in result.stderr and "Traceback" not in result.stderr


def test_kiosk_run_without_a_display_uses_a_virtual_screen(tmp_path: Path) -> None:
    """GIVEN a machine with no screen (DISPLAY unset), WHEN `kiosk run` starts, THEN it says
    so plainly, draws on a virtual screen it started itself, keeps running, and takes the
    virtual screen down with it when stopped."""
    config = _config(tmp_path)
    proc = subprocess.Popen([sys.executable, "-m", "kiosk", "--config", str(config), "run", "--demo"],
                            env=_env(None), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        fonts = tmp_path / "var" / "fonts"
        deadline = time.monotonic() + 60
        while not list(fonts.glob("*.otf")) and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(3)
        assert proc.poll() is None, proc.communicate(timeout=5)
        xvfbs = subprocess.run(["pgrep", "-P", str(proc.pid), "Xvfb"], capture_output=True, text=True,
                               check=False).stdout.split()
        assert len(xvfbs) == 1, "the kiosk started its own virtual screen"
    finally:
        proc.terminate()
        _out, err = proc.communicate(timeout=20)
    assert "no display found" in err and "virtual screen" in err, err
    assert "Traceback" not in err, err
    assert subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True, check=False).returncode != 0
    assert not Path(f"/proc/{xvfbs[0]}").exists() or "Z" in Path(f"/proc/{xvfbs[0]}/stat").read_text().split()[2]
