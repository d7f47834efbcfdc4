"""`kiosk slip` (one demo slip to a file) and `kiosk printer-test` (a real port)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.config import KioskConfig
    from kiosk.content.bundle import Bundle

KINDS = ("ticket", "appointment", "summary", "receipt")


def configure_slip(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("kind", choices=KINDS)
    parser.add_argument("--demo", action="store_true", required=True, help="use the demo data")
    parser.add_argument("--profile", help="printer profile (default: from the config)")
    parser.add_argument("--locale", default="zh-CN")
    parser.add_argument("--out", required=True, help="file for the ESC/POS bytes")
    parser.add_argument("--png", help="file for the PNG preview")


def configure_printer_test(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--port", required=True, help="serial device, e.g. /dev/ttyUSB0")
    parser.add_argument("--baud", type=int, help="baud rate (default: the profile's)")
    parser.add_argument("--profile", help="printer profile (default: from the config)")
    parser.add_argument("--locale", default="zh-CN")


def run_slip(args: argparse.Namespace, cfg: KioskConfig, bundle: Bundle) -> int:
    from kiosk.devices.select import printer_profile
    from kiosk.slips.demo import demo_slip
    from kiosk.slips.preview import to_png
    from kiosk.slips.render import render_slip

    profile = printer_profile(cfg, args.profile)
    slip = render_slip(demo_slip(args.kind, bundle, args.locale), profile, args.locale)
    Path(args.out).write_bytes(slip.data)
    if args.png:
        to_png(slip.layout, profile).save(args.png)
    print(f"{args.kind}: {len(slip.data)} bytes, profile {profile.name}, "
          f"{len(slip.data) * 10 / profile.baud:.2f} s at {profile.baud} baud")
    return 0


def run_printer_test(args: argparse.Namespace, cfg: KioskConfig, bundle: Bundle) -> int:
    import msgspec

    from kiosk.devices.printer import SerialPrinter
    from kiosk.devices.select import printer_profile
    from kiosk.slips.demo import demo_slip
    from kiosk.slips.render import render_slip

    profile = printer_profile(cfg, args.profile)
    if args.baud:
        profile = msgspec.structs.replace(profile, baud=args.baud)
    printer = SerialPrinter(args.port, profile)
    status = printer.status()
    print(f"status: {msgspec.json.encode(status).decode()}")
    if status.fault:
        print(f"printer not ready: {status.fault}", file=sys.stderr)
        return 1
    result = printer.print_slip(render_slip(demo_slip("ticket", bundle, args.locale), profile, args.locale))
    if not result.printed:
        print(f"test slip not printed: {result.fault}", file=sys.stderr)
        return 1
    print("test slip printed" + (f" (warning: {result.warning})" if result.warning else ""))
    return 0
