"""A submitted application's receipt, as the slip printer takes it (kiosk.slips)."""

from __future__ import annotations

from collections.abc import Sequence

from kiosk.applications.submit import Receipt
from kiosk.slips.data import ReceiptData


def _pick(text: dict[str, str], chain: Sequence[str]) -> str:
    return next((text[c] for c in chain if c in text), next(iter(text.values()), ""))


def receipt_slip(receipt: Receipt, chain: Sequence[str]) -> ReceiptData:
    """The slip's data in the first locale of `chain` that has each text."""
    return ReceiptData(
        title=_pick(receipt.title, chain), body=_pick(receipt.body, chain), body_phone=receipt.body_phone,
        code=receipt.code_display, submitted_at=receipt.created_at, decision_due=receipt.decision_due,
        decision_what=_pick(receipt.decision_what, chain) if receipt.decision_what else "",
        basis=_pick(receipt.basis, chain) if receipt.basis else "",
        phone_masked=receipt.phone_masked, queued=receipt.queued, qr=receipt.url)
