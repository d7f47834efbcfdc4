"""The virtual printer: each slip's ESC/POS bytes and a PNG preview, written to a folder.

Used by the demo and in development; an administrator previewing a slip sees exactly
the layout the real printer gets. Slips carry booking codes, masked phones and legal
matters, so only the last few are kept (KEEP, and none older than MAX_AGE_S), readable
by the kiosk user alone.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import time
from pathlib import Path

from kiosk.ports import PrinterStatus, PrintResult
from kiosk.slips.preview import to_png
from kiosk.slips.render import RenderedSlip

KEEP = 20
MAX_AGE_S = 24 * 3600.0


class VirtualPrinter:
    def __init__(self, folder: Path, keep: int = KEEP, max_age_s: float = MAX_AGE_S) -> None:
        self.folder = folder
        self.keep = keep
        self.max_age_s = max_age_s

    def status(self) -> PrinterStatus:
        return PrinterStatus(answered=True, online=True, paper="ok")

    def print_slip(self, slip: RenderedSlip) -> PrintResult:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            stem = self.folder / f"{slip.kind}-{dt.datetime.now():%Y%m%d-%H%M%S-%f}"
            os.chmod(self.folder, 0o700)
            binary = stem.with_suffix(".bin")
            binary.touch(mode=0o600)
            binary.write_bytes(slip.data)
            png = stem.with_suffix(".png")
            png.touch(mode=0o600)
            to_png(slip.layout, slip.profile).save(png, format="PNG")
        except OSError:
            return PrintResult(printed=False, fault="disconnected")
        self.prune()
        return PrintResult(printed=True, path=str(stem.with_suffix(".png")))

    def prune(self) -> None:
        """Remove all but the newest `keep` slips, and any older than `max_age_s`."""
        slips: dict[str, list[Path]] = {}
        for path in self.folder.glob("*.*"):
            if path.suffix in (".bin", ".png"):
                slips.setdefault(path.stem, []).append(path)
        cutoff = time.time() - self.max_age_s

        def age(files: list[Path]) -> float:
            with contextlib.suppress(OSError):
                return max(f.stat().st_mtime for f in files)
            return 0.0

        newest = sorted(slips.values(), key=age, reverse=True)
        for index, files in enumerate(newest):
            if index >= self.keep or age(files) < cutoff:
                for path in files:
                    with contextlib.suppress(OSError):
                        path.unlink()
