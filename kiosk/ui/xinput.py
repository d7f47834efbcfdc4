"""Real taps through the X server (XTest), as a finger on a touch screen arrives.

The event goes X server → SDL2 → Kivy's mouse provider → the widget, exactly the path a
resident's touch takes on a kiosk whose touch screen speaks X input. libXtst comes with
the Debian package libxtst6 (deploy/dev.sh installs it). ctypes, because this is four
calls and python-xlib would be a dependency for them. No Kivy.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os


class XInputError(RuntimeError):
    """The X display or the XTest extension is not available."""


def _lib(name: str, package: str) -> ctypes.CDLL:
    path = ctypes.util.find_library(name) or f"lib{name}.so.6"
    try:
        return ctypes.CDLL(path)
    except OSError as exc:
        raise XInputError(f"cannot load lib{name} ({exc}): install the Debian package {package}") from exc


class XTap:
    """Sends pointer taps to one X display. Screen pixels, origin top-left."""

    def __init__(self, display: str | None = None) -> None:
        self._x11 = _lib("X11", "libx11-6")
        self._xtst = _lib("Xtst", "libxtst6")
        self._x11.XOpenDisplay.restype = ctypes.c_void_p
        self._x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
        self._x11.XFlush.argtypes = [ctypes.c_void_p]
        self._x11.XCloseDisplay.argtypes = [ctypes.c_void_p]
        self._xtst.XTestFakeMotionEvent.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_int,
                                                    ctypes.c_int, ctypes.c_ulong]
        self._xtst.XTestFakeButtonEvent.argtypes = [ctypes.c_void_p, ctypes.c_uint, ctypes.c_int,
                                                    ctypes.c_ulong]
        name = display or os.environ.get("DISPLAY", "")
        self._dpy = self._x11.XOpenDisplay(name.encode())
        if not self._dpy:
            raise XInputError(f"cannot open X display {name!r}")

    def move(self, x: int, y: int) -> None:
        self._xtst.XTestFakeMotionEvent(self._dpy, -1, int(x), int(y), 0)
        self._x11.XFlush(self._dpy)

    def press(self, x: int, y: int) -> None:
        self._xtst.XTestFakeMotionEvent(self._dpy, -1, int(x), int(y), 0)
        self._xtst.XTestFakeButtonEvent(self._dpy, 1, 1, 0)
        self._x11.XFlush(self._dpy)

    def release(self) -> None:
        self._xtst.XTestFakeButtonEvent(self._dpy, 1, 0, 0)
        self._x11.XFlush(self._dpy)

    def tap(self, x: int, y: int) -> None:
        self.press(x, y)
        self.release()

    def close(self) -> None:
        if self._dpy:
            self._x11.XCloseDisplay(self._dpy)
            self._dpy = None
