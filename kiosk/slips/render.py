"""A slip ready for a printer: its bytes, its layout (for the preview) and its QR payload."""

from __future__ import annotations

import msgspec

from kiosk.slips.data import SlipData
from kiosk.slips.escpos_bytes import to_bytes
from kiosk.slips.layout import Layout, build_layout
from kiosk.slips.profiles import PrinterProfile


class RenderedSlip(msgspec.Struct, frozen=True):
    kind: str
    locale: str
    data: bytes
    layout: Layout
    profile: PrinterProfile

    @property
    def qr(self) -> str:
        return self.layout.qr


def render_slip(slip: SlipData, profile: PrinterProfile, locale: str) -> RenderedSlip:
    layout = build_layout(slip, profile, locale)
    return RenderedSlip(layout.kind, locale, to_bytes(layout, profile), layout, profile)
