"""The big microphone button of flow questions and search: tap to speak, tap again to stop.

Its look follows the app's voice state (`app.voice.active`); `notice` holds the plain reason
when the microphone cannot work (no speech model, no microphone): the button then shows the
microphone crossed out, and a tap says why instead of listening.
"""

from __future__ import annotations

from kivy.properties import StringProperty

from kiosk.ui.widgets.base import KButton


class MicButton(KButton):
    notice = StringProperty("")
