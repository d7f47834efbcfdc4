"""Icon glyphs from Material Design Icons (Debian: fonts-materialdesignicons-webfont 1.6.50).

Content names an icon by a plain word (`labour`, `money`); this table maps each to a glyph
of the icon font. Unknown names get a neutral glyph, never an error on screen.
"""

from __future__ import annotations

_CODES: dict[str, int] = {
    # topics
    "legal-aid": 0xF5D1, "labour": 0xF0D6, "family": 0xF2E8, "handshake": 0xF00E, "land": 0xF509,
    "stamp": 0xF124,
    # choices in the content
    "broken": 0xF02A, "car": 0xF10B, "child": 0xF2E7, "contract": 0xF219, "court": 0xF29B,
    "dismissal": 0xF0D6, "divorce": 0xF2E8, "document": 0xF219, "elder": 0xF2E6, "fine": 0xF114,
    "food": 0xF25A, "government": 0xF070, "group": 0xF00E, "health": 0xF5F6, "house": 0xF2DC,
    "injury": 0xF2E0, "map": 0xF34E, "money": 0xF116, "passport": 0xF5D2, "person": 0xF004,
    "phone": 0xF11C, "question": 0xF625, "shield": 0xF499, "wage": 0xF116, "warning": 0xF02A,
    "welfare": 0xF2D1,
    # chrome
    "search": 0xF349, "calendar": 0xF0F0, "ticket": 0xF516, "aid": 0xF5D1, "info": 0xF2FC,
    "staff": 0xF3F6, "mic": 0xF36C, "mic-off": 0xF36D, "speaker": 0xF57E, "speaker-off": 0xF581,
    "replay": 0xF459, "back": 0xF04D, "home": 0xF2DC, "print": 0xF42A, "qr": 0xF432,
    "check": 0xF12C, "close": 0xF156, "backspace": 0xF06E, "prev": 0xF141, "next": 0xF142,
    "language": 0xF5CA, "text-size": 0xF27F, "contrast": 0xF197, "wrench": 0xF5B7, "lock": 0xF33E,
    "alert": 0xF028, "clock": 0xF150, "wheelchair": 0xF5A4, "book": 0xF0BE, "list": 0xF14C,
    "topics": 0xF0BE, "edit": 0xF3EB, "up": 0xF143, "down": 0xF140, "hand": 0xF64C,
    "box": 0xF131, "box-checked": 0xF132,
    "louder": 0xF57E, "softer": 0xF57F, "slower": 0xF583, "faster": 0xF46E,
}
FALLBACK = 0xF2D6  # help


def glyph(name: str | None) -> str:
    if not name:
        return ""
    return chr(_CODES.get(name, FALLBACK))
