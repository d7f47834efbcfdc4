"""The idle wipe's memory release: the resident's objects are collected, not left for later."""

from __future__ import annotations

import gc
import platform
import weakref

from kiosk.services import memory


class _Answer:
    def __init__(self, phone: str) -> None:
        self.phone = phone
        self.me = self  # a cycle: reference counting alone never frees it


def test_release_collects_a_session_left_in_a_cycle_at_once() -> None:
    # GIVEN a resident's answer caught in a reference cycle, automatic collection off
    gc.disable()
    try:
        answer = _Answer("13812345678")
        ref = weakref.ref(answer)
        del answer
        assert ref() is not None  # still in memory: nothing has collected it yet
        # WHEN the kiosk releases memory after the idle wipe
        memory.release_memory()
        # THEN it is gone
        assert ref() is None
    finally:
        gc.enable()


def test_free_pages_go_back_through_glibc_here() -> None:
    if platform.libc_ver()[0] != "glibc":
        import pytest

        pytest.skip(f"not glibc ({platform.libc_ver()}): malloc_trim does not exist there")
    assert memory._libc() is not None
    blocks = [bytearray(64 * 1024) for _ in range(200)]  # heap blocks, below mmap's threshold
    del blocks
    assert isinstance(memory.release_memory(), bool)
