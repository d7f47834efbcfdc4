"""The real app under Xvfb, started as systemd starts it (NOTIFY_SOCKET, WATCHDOG_USEC): it says
READY=1 once the attract screen is up, pings WATCHDOG=1 from Kivy's clock, and stops pinging
when its UI thread hangs while its other threads keep running."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import CONTENT, LOCALITY

#: `kiosk run` with one addition: a clock callback that blocks the UI thread for good once the
#: test creates the file named by HANG_FILE (a real hang, as a stuck call in a screen would be).
DRIVER = """
import os, sys, time
from pathlib import Path
from kiosk.config import load_config
from kiosk.ui import launch

prepare = launch.prepare_kivy

def prepare_and_arm(*args, **kwargs):
    prepare(*args, **kwargs)
    from kivy.clock import Clock
    hang = Path(os.environ["HANG_FILE"])

    def maybe_hang(_dt):
        if hang.exists():
            time.sleep(3600)

    Clock.schedule_interval(maybe_hang, 0.1)

launch.prepare_kivy = prepare_and_arm
sys.exit(launch.run(load_config(Path(sys.argv[1])), demo=True))
"""


def test_real_app_pings_from_its_main_loop_and_stops_when_it_hangs(xvfb: str, tmp_path: Path) -> None:
    config = tmp_path / "kiosk.toml"
    config.write_text(
        '[kiosk]\nid = "wd"\nlocales = ["zh-CN", "en"]\n'
        f'[content]\npath = "{CONTENT}"\nlocality = "{LOCALITY}"\nstate_dir = "{tmp_path / "var"}"\n'
        '[speech]\nenabled = false\n', encoding="utf-8")
    address = str(tmp_path / "notify")
    receiver = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    receiver.bind(address)
    receiver.settimeout(0.1)
    hang = tmp_path / "hang"
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIVY_")}
    env.update(DISPLAY=xvfb, NOTIFY_SOCKET=address, WATCHDOG_USEC="1500000",  # a ping every 0.5 s
               HANG_FILE=str(hang))
    proc = subprocess.Popen([sys.executable, "-c", DRIVER, str(config)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    got: list[tuple[float, str]] = []

    def listen(seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and proc.poll() is None:
            with contextlib.suppress(TimeoutError):
                got.append((time.monotonic(), receiver.recv(4096).decode()))

    try:
        deadline = time.monotonic() + 90
        while not any(m.startswith("READY=1") for _t, m in got) and time.monotonic() < deadline:
            assert proc.poll() is None, proc.communicate(timeout=5)
            listen(0.5)
        assert any(m.startswith("READY=1") for _t, m in got), "no READY=1 within 90 s"
        listen(5.0)  # start-up's own work (screens built and primed, one a frame) settles meanwhile
        before = [t for t, m in got if m == "WATCHDOG=1"]
        hang.touch()
        hung_at = time.monotonic()
        got.clear()
        listen(5.0)
        assert proc.poll() is None, "the hung app must still be running (systemd kills it, not we)"
    finally:
        proc.kill()
        proc.communicate(timeout=20)
        receiver.close()
    # Every 0.5 s while the loop runs (6 in 3 s; at least 3 even with slow software-GL frames on a
    # loaded machine), then silence: a ping due in the frame that saw the file may still go out
    # (one frame: up to a second here), none in the 3 s after that.
    assert len([t for t in before if t > hung_at - 3.0]) >= 3, f"too few pings while running: {before}"
    after = [t - hung_at for t, m in got if m == "WATCHDOG=1"]
    assert all(t < 2.0 for t in after), f"pings went on while the UI thread hung: {after}"
