"""The big answer button and its grid, shared by the flow, booking and ticket screens.

They lived with the flow screen; booking and ticket made them through the Factory, which
only knew them once the flow screen had been built (`kiosk screenshots --only 'booking-*'`
failed with "Unknown class <ChoiceButton>"). Widgets are all loaded when the app builds.
"""

from __future__ import annotations

from kiosk.ui.widgets.base import KButton


class ChoiceButton(KButton):
    pass
