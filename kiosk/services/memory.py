"""Give memory back after a resident leaves: collect the session's garbage now, and hand the
C heap's free pages back to the system.

A kiosk runs for months. Every visit renders text into software-GL textures and builds
widgets in native memory; freed, that memory stays in glibc's heap as holes (the heap only
shrinks from its top), so the process's resident size creeps up visit by visit.
`malloc_trim(0)` returns every free page, holes included. It is glibc's (not on musl or
macOS, where this does nothing). Called at the idle wipe, when nobody is waiting. No Kivy.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import logging
from functools import cache
from typing import Any

log = logging.getLogger(__name__)


@cache
def _libc() -> Any:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.malloc_trim.argtypes = [ctypes.c_size_t]
        libc.malloc_trim.restype = ctypes.c_int
    except (OSError, AttributeError):
        log.info("not glibc: freed memory stays with the process")
        return None
    return libc


def release_memory() -> bool:
    """Collect garbage (the frozen start-up objects are skipped: this is quick), then return
    the C heap's free pages. True when the C library gave any back."""
    gc.collect()
    libc = _libc()
    return libc is not None and bool(libc.malloc_trim(0))
