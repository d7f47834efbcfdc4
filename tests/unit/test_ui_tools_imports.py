"""Kivy reads its environment once, at its first import: the modules that set it up (and
the `kiosk` command's parser, which lists `screenshots` and `a11y`) must not import it."""

from __future__ import annotations

import subprocess
import sys

CHECK = """
import sys
import kiosk.a11y, kiosk.ui.headless, kiosk.ui.xinput, kiosk.ui.tools_cli
from kiosk.__main__ import build_parser
build_parser().parse_args(["a11y", "--json"])
print(sorted(m for m in sys.modules if m == "kivy" or m.startswith("kivy.")))
"""


def test_setting_up_kivy_does_not_import_it() -> None:
    out = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout
