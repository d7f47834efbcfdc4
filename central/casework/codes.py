"""Application codes: 8 characters of Crockford base32, made on the kiosk (docs/api.md)."""

from __future__ import annotations

import re

CODE_RE = re.compile(r"^[0-9A-HJKMNP-TV-Z]{8}$")
#: Crockford's decoding: letters a person may read for digits.
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})


def normalise(code: str) -> str | None:
    """'7k3m-9q2p' -> '7K3M9Q2P'; None when it cannot be a code."""
    if len(code) > 12:
        return None
    value = code.strip().replace("-", "").replace(" ", "").upper().translate(_READ_AS)
    return value if CODE_RE.match(value) else None
