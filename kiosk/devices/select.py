"""Picks the printer adapter named in the config: the one place that knows them all."""

from __future__ import annotations

from kiosk.config import KioskConfig
from kiosk.devices.printer import SerialPrinter
from kiosk.devices.virtual_printer import VirtualPrinter
from kiosk.ports import Printer
from kiosk.slips.profiles import PrinterProfile, load_profiles


def printer_profile(cfg: KioskConfig, name: str | None = None) -> PrinterProfile:
    profiles = load_profiles(cfg.printer.profiles)
    wanted = name or cfg.printer.profile
    if wanted not in profiles:
        raise KeyError(f"printer profile {wanted!r} is not in {cfg.printer.profiles} "
                       f"(known: {', '.join(sorted(profiles))})")
    return profiles[wanted]


def make_printer(cfg: KioskConfig) -> Printer:
    if cfg.printer.kind == "serial":
        return SerialPrinter(cfg.printer.port, printer_profile(cfg))
    return VirtualPrinter(cfg.state_dir / "slips")
