"""A virtual X display and the Kivy environment for drawing the kiosk without a screen.

Screenshots, the accessibility audit, the UI tests and bench/ui.py all draw real frames.
On a machine without a display they start their own Xvfb on a free display number
(`-displayfd` lets the server pick one, so parallel runs never collide) and stop it after.
Kivy reads its environment once, at its first import, so `kivy_environment()` must run
before anything imports kivy. No Kivy here.
"""

from __future__ import annotations

import contextlib
import logging
import os
import select
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

log = logging.getLogger(__name__)

#: Big enough for a full-size portrait (1080×1920) and landscape (1920×1080) window.
SCREEN = (1920, 1920)


class DisplayError(RuntimeError):
    """No display could be had: the message says what to install or set."""


def kivy_environment(home: Path | None = None, *, maxfps: int | None = None,
                     density: float | None = None) -> Path:
    """Set the variables Kivy reads at import: no argv parsing, logs through `logging`,
    a private KIVY_HOME (no config.ini written into the user's home), a portrait window,
    the mouse (X input, as XTest sends it) without multi-touch emulation. `maxfps=0` lets
    tools draw frames back to back; None keeps Kivy's 60 (what a resident gets).
    `density` below 1 draws the full-size layout on a smaller window: every size in dp
    stays that of the full-size screen, only the pixels per dp change. Returns KIVY_HOME."""
    kivy_home = home or Path(tempfile.mkdtemp(prefix="kiosk-kivy-"))
    if maxfps is not None:
        os.environ["KCFG_GRAPHICS_MAXFPS"] = str(maxfps)
    os.environ.setdefault("KCFG_GRAPHICS_WIDTH", "1080")
    os.environ.setdefault("KCFG_GRAPHICS_HEIGHT", "1920")
    os.environ.setdefault("KCFG_INPUT_MOUSE", "mouse,disable_multitouch")
    os.environ.setdefault("KCFG_KIVY_EXIT_ON_ESCAPE", "0")
    if logging.getLogger().getEffectiveLevel() > logging.DEBUG:
        os.environ.setdefault("KCFG_KIVY_LOG_LEVEL", "warning")
    os.environ.setdefault("KIVY_NO_ARGS", "1")
    os.environ.setdefault("KIVY_LOG_MODE", "PYTHON")
    os.environ.setdefault("KIVY_NO_FILELOG", "1")
    os.environ.setdefault("KIVY_NO_CONFIG", "1")
    os.environ.setdefault("KIVY_HOME", str(kivy_home))
    os.environ.setdefault("KIVY_WINDOW", "sdl2")
    os.environ.setdefault("KIVY_CLIPBOARD", "sdl2")  # not xclip/xsel, which kiosks lack
    # Fixed density: a dp is a pixel at full size, whatever the X server reports.
    if density is not None:
        os.environ["KIVY_METRICS_DENSITY"] = f"{density:g}"
    os.environ.setdefault("KIVY_METRICS_DENSITY", "1")
    os.environ.setdefault("KIVY_METRICS_FONTSCALE", "1")
    return Path(os.environ["KIVY_HOME"])


def _start_xvfb(size: tuple[int, int], timeout: float) -> tuple[subprocess.Popen[bytes], str]:
    exe = shutil.which("Xvfb")
    if exe is None:
        raise DisplayError("no DISPLAY and no Xvfb: install the Debian package `xvfb` (deploy/dev.sh does)")
    read_fd, write_fd = os.pipe()
    cmd = [exe, "-displayfd", str(write_fd), "-screen", "0", f"{size[0]}x{size[1]}x24",
           "-nolisten", "tcp", "-noreset", "+extension", "GLX"]
    proc = subprocess.Popen(cmd, pass_fds=(write_fd,), stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, start_new_session=True)
    os.close(write_fd)
    try:
        number = b""
        deadline = time.monotonic() + timeout
        while not number.endswith(b"\n"):
            left = deadline - time.monotonic()
            ready, _, _ = select.select([read_fd], [], [], max(left, 0))
            chunk = os.read(read_fd, 64) if ready else b""
            if not chunk:
                proc.kill()
                err = proc.communicate()[1].decode(errors="replace").strip()
                raise DisplayError(f"Xvfb did not start within {timeout:.0f} s: {err[-300:]}")
            number += chunk
    finally:
        os.close(read_fd)
    return proc, f":{number.decode().strip()}"


def _stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    if proc.stderr is not None:
        proc.stderr.close()


@contextlib.contextmanager
def virtual_display(size: tuple[int, int] = SCREEN, *, timeout: float = 20.0) -> Iterator[str]:
    """Yield a usable DISPLAY: the caller's own when set, else a fresh Xvfb stopped on exit."""
    existing = os.environ.get("DISPLAY")
    if existing:
        yield existing
        return
    proc, display = _start_xvfb(size, timeout)
    log.info("started Xvfb on %s (pid %d)", display, proc.pid)
    os.environ["DISPLAY"] = display
    try:
        yield display
    finally:
        os.environ.pop("DISPLAY", None)
        _stop(proc)
        log.info("stopped Xvfb on %s", display)
