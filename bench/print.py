"""Benchmark: slip sizes and time on the wire, native QR against python-escpos's raster QR.

For each slip (zh-CN and en, 58 mm and 80 mm): bytes with the native QR (GS ( k) and with
python-escpos's default raster QR for the same content, the ratio, and the line's physical
limit (bytes x 10 bits / baud) at 9600 and 115200 baud. Then each native slip is sent
through a fake printer on a real pty that consumes at the baud rate, and the measured time
(status before, slip, status after) is compared with that limit.
Run: .venv/bin/python bench/print.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import msgspec

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kiosk.content.bundle import load_bundle  # noqa: E402
from kiosk.devices.printer import SerialPrinter  # noqa: E402
from kiosk.devices.pty_printer import Behaviour, PtyPrinter  # noqa: E402
from kiosk.slips.demo import demo_slip  # noqa: E402
from kiosk.slips.profiles import load_profiles  # noqa: E402
from kiosk.slips.render import render_slip  # noqa: E402

BAUDS = (9600, 115200)


def main() -> None:
    bundle, problems = load_bundle(ROOT / "content", ROOT / "config" / "localities" / "demo.yaml")
    if bundle is None:
        raise SystemExit(f"content does not load: {problems}")
    profiles = load_profiles(ROOT / "config" / "printers.toml")
    print("slip                      native B  raster-QR B  ratio   wire 9600   wire 115200")
    rows = []
    for kind in ("ticket", "appointment", "summary"):
        for locale in ("zh-CN", "en"):
            for paper in ("58mm", "80mm"):
                profile = profiles[paper]
                data = demo_slip(kind, bundle, locale)
                native = render_slip(data, profile, locale)
                raster = render_slip(data, msgspec.structs.replace(profile, native_qr=False), locale)
                n, r = len(native.data), len(raster.data)
                print(f"{kind:<11} {locale:<5} {paper:<5} {n:>9,} {r:>12,} {r / n:6.1f}x "
                      f"{n * 10 / 9600:9.2f} s {n * 10 / 115200:11.3f} s")
                rows.append((f"{kind} {locale} {paper}", native, profile))
    print()
    print("through a pty fake printer consuming at the baud rate (status + slip + status):")
    print("slip                      baud     bytes   measured   line limit   ratio")
    for name, slip, profile in rows:
        if "80mm" not in name:
            continue
        for baud in BAUDS:
            timed = msgspec.structs.replace(profile, baud=baud, write_timeout=30.0)
            with PtyPrinter(Behaviour(baud=baud)) as fake:
                printer = SerialPrinter(fake.port, timed)
                t0 = time.perf_counter()
                result = printer.print_slip(slip)
                elapsed = time.perf_counter() - t0
            wire = (len(slip.data) + 2 * 4 * 3) * 10 / baud  # the slip plus 8 status queries
            status = "" if result.printed else f"  NOT PRINTED: {result.fault}"
            print(f"{name:<25} {baud:>6} {len(slip.data):>8,} {elapsed:9.3f} s {wire:10.3f} s "
                  f"{elapsed / wire:7.2f}x{status}")


if __name__ == "__main__":
    main()
