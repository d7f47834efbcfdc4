"""Application codes: 8 characters of Crockford base32 from 40 random bits.

Made on the kiosk, so a receipt can be printed while the line is down; 2^40 codes make a
collision between two kiosks unlikely, and the server answers 409 code_taken when one
happens (the kiosk then makes a new code). Crockford's alphabet has no I, L, O or U, so
a code read aloud or copied by hand survives: on input I and L read as 1, O as 0, any
case, with or without the dash.
"""

from __future__ import annotations

import re
import secrets

from kiosk.applications.errors import FieldError

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 8
_LOOKALIKES = str.maketrans({"I": "1", "L": "1", "O": "0"})


def new_code(bits: int | None = None) -> str:
    """A fresh code; `bits` (40 of them) only for tests."""
    value = secrets.randbits(40) if bits is None else bits
    if not 0 <= value < 1 << 40:
        raise ValueError("a code holds 40 bits")
    return "".join(ALPHABET[(value >> shift) & 31] for shift in range(35, -1, -5))


def code_bits(code: str) -> int:
    value = 0
    for ch in parse_code(code):
        value = value << 5 | ALPHABET.index(ch)
    return value


def display(code: str) -> str:
    """7K3M-9Q2P: two groups of four, as printed and spoken."""
    canonical = parse_code(code)
    return f"{canonical[:4]}-{canonical[4:]}"


def parse_code(text: str) -> str:
    """The 8 canonical characters, or FieldError('code', ...) in plain words."""
    cleaned = re.sub(r"[\s-]", "", text).upper().translate(_LOOKALIKES)
    if len(cleaned) != LENGTH or any(ch not in ALPHABET for ch in cleaned):
        raise FieldError("code", "bad_code", "申请编号是8位字母和数字（如 7K3M-9Q2P），请核对回执。",
                         "An application code has 8 letters and digits (like 7K3M-9Q2P); "
                         "please check your receipt.")
    return cleaned
