"""Typed, bounded shapes for what kiosks report about themselves (heartbeat device fields and
event details): short words and numbers, never a resident's data.

The probe stored a name and a phone number in a heartbeat's free-form `mic` field, and an
event's detail of any size. Now device fields are a short string or a flag, and an event's
detail a few named scalars (or short lists of them): anything larger or nested is refused,
texts are cut short and a digit run as long as a phone or ID number is removed.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints

_DIGITS = re.compile(r"\d[\d ]*\d")
MAX_TEXT = 160


def _scrub_run(match: re.Match[str]) -> str:
    run = match.group(0)
    return "[number removed]" if sum(ch.isdigit() for ch in run) >= 7 else run


def clean_text(value: str) -> str:
    """A run of 7 or more digits (spaces allowed between: a phone, ID or card number) is
    removed, then the text is cut to MAX_TEXT characters. Cleaned, not refused: a kiosk's
    report (a TUF error quoting a hash) is kept rather than lost in its outbox."""
    return _DIGITS.sub(_scrub_run, value)[:MAX_TEXT]


Word = Annotated[str, AfterValidator(clean_text)]
DeviceState = Word | bool | None
Count = Annotated[int, Field(ge=-10**12, le=10**12)]
Measure = Annotated[float, Field(allow_inf_nan=False, ge=-10**12, le=10**12)]
Scalar = Word | Count | Measure | bool | None
DetailKey = Annotated[str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9_]{0,39}$")]
Detail = Annotated[dict[DetailKey, Scalar | Annotated[list[Scalar], Field(max_length=50)]],
                   Field(max_length=30)]
