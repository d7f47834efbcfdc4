"""How much text fits on one kiosk screen, in screen units.

A CJK character counts 1 unit, any other character 0.5: at the elderly-mode size a
screen's question area holds about three lines of 25 CJK characters, or of 50 Latin
letters. The limits keep every screen readable without scrolling at the largest size.
"""

from __future__ import annotations

import unicodedata

#: field name -> the most screen units it may take.
LIMITS: dict[str, float] = {
    "title": 36,  # flow and outcome titles, step names
    "summary": 120,
    "text": 75,  # question, info and action texts
    "help": 90,
    "body": 240,
    "label": 30,  # one choice button
    "unit": 10,
    "step": 90,  # one "what to do next" line
    "document": 60,
    "deadline": 120,
    "gist": 120,
    "speak": 150,
    "note": 90,
    "law": 36,
    "article": 36,
}


def screen_units(text: str) -> float:
    """Width of `text` in screen units: full-width (CJK) characters 1, the rest 0.5."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.5 for ch in text)
