"""The bars around every page: a top bar (home, title, call staff) and a bottom bar."""

from __future__ import annotations

from kivy.properties import BooleanProperty, StringProperty

from kiosk.ui.widgets.base import Card


class TopBar(Card):
    title = StringProperty("")
    show_home = BooleanProperty(True)


class BottomBar(Card):
    pass


class Notice(Card):
    """A message card (print result, desk errors); `tone` is info or warn."""

    text = StringProperty("")
    tone = StringProperty("info")


class Section(Card):
    """A titled block of text (outcome sections, booking details)."""

    title = StringProperty("")
    text = StringProperty("")


class OutcomeHead(Card):
    title = StringProperty("")
    summary = StringProperty("")


class TicketNumber(Card):
    number = StringProperty("")


class QrCard(Card):
    """A QR code with what it is for (continue on a phone, the slip that did not print)."""

    title = StringProperty("")
    data = StringProperty("")
