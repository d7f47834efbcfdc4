"""Issue 14: the virtual printer kept every slip (booking codes, masked phones, legal
matters) forever, readable by anyone on the machine."""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

import pytest

from kiosk.content.bundle import Bundle, load_bundle
from kiosk.devices.virtual_printer import KEEP, VirtualPrinter
from kiosk.slips.demo import demo_slip
from kiosk.slips.profiles import load_profiles
from kiosk.slips.render import render_slip
from tests.conftest import CONTENT, LOCALITY, REPO

PROFILE = load_profiles(REPO / "config" / "printers.toml")["58mm"]


@pytest.fixture(scope="module")
def bundle() -> Bundle:
    loaded, problems = load_bundle(CONTENT, LOCALITY)
    assert loaded is not None and not problems
    return loaded


def test_only_the_newest_slips_are_kept_and_only_for_the_kiosk_user(bundle: Bundle, tmp_path: Path) -> None:
    assert KEEP <= 50
    folder = tmp_path / "slips"
    printer = VirtualPrinter(folder, keep=3)
    slip = render_slip(demo_slip("ticket", bundle, "zh-CN"), PROFILE, "zh-CN")
    paths = [printer.print_slip(slip).path for _ in range(5)]
    left = sorted(p.name for p in folder.iterdir())
    assert len(left) == 6, left  # three slips, .bin and .png each
    assert {Path(p).name for p in paths[-3:] if p} <= set(left), "the newest are the ones kept"
    for path in folder.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_slips_older_than_a_day_go_at_the_next_print(bundle: Bundle, tmp_path: Path) -> None:
    folder = tmp_path / "slips"
    folder.mkdir()
    old = time.time() - 2 * 86400
    for suffix in (".bin", ".png"):
        stale = folder / f"ticket-20200101-000000-000000{suffix}"
        stale.write_bytes(b"old slip")
        os.utime(stale, (old, old))
    slip = render_slip(demo_slip("ticket", bundle, "zh-CN"), PROFILE, "zh-CN")
    assert VirtualPrinter(folder).print_slip(slip).printed
    assert not list(folder.glob("ticket-2020*")), "yesterday's slips are gone"
    assert len(list(folder.iterdir())) == 2
