"""The rating screen's states for the catalogue (`kiosk screenshots`, `kiosk a11y`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kiosk.app import KioskApp

RATING_STATES = ("levels", "reasons", "callback", "callback-error", "thanks")
#: A made-up number, shown masked as on a resident's kiosk.
DEMO_PHONE = "13812345678"


def rating_state(app: KioskApp, step: str) -> Any:
    """The rating screen at `step`, with a bad rating, two reasons and a number typed where
    the step shows them. Nothing is recorded (the catalogue is not a visit)."""
    app.go("rating")
    screen: Any = app.screens["rating"]
    if step == "levels":
        return screen
    screen.draft.level = 1
    for code in ("not_understood", "too_slow"):
        screen.draft.toggle(code)
    if step == "thanks":
        screen.show("thanks")
        return screen
    screen.show("reasons")
    if step == "reasons":
        return screen
    screen.show("callback")
    for digit in DEMO_PHONE:
        screen.key(digit)
    if step == "callback-error":
        screen.send_callback()  # no consent yet: the plain message
    return screen
