"""Slip layouts: a short list of blocks (text, QR, rule, feed) laid out for one paper width.

The same layout feeds the ESC/POS bytes and the PNG preview, so what an administrator
previews is what prints. Text is wrapped here, by display width (a Chinese character
takes two columns, a Latin one), so both renderers see identical lines.
"""

from __future__ import annotations

import unicodedata
from typing import Literal

import msgspec

from kiosk.slips.data import AppointmentData, ReceiptData, SlipData, SummaryData, TicketData
from kiosk.slips.profiles import PrinterProfile
from kiosk.slips.texts import label

Align = Literal["left", "center"]


class Text(msgspec.Struct, frozen=True, tag="text"):
    """One printed line (already wrapped to fit)."""

    text: str
    scale: int = 1
    bold: bool = False
    align: Align = "left"


class QR(msgspec.Struct, frozen=True, tag="qr"):
    payload: str


class Rule(msgspec.Struct, frozen=True, tag="rule"):
    pass


class Feed(msgspec.Struct, frozen=True, tag="feed"):
    lines: int = 1


Block = Text | QR | Rule | Feed


class Layout(msgspec.Struct, frozen=True):
    kind: str
    locale: str
    blocks: tuple[Block, ...]
    #: The payload of the slip's QR code, shown on screen when printing fails.
    qr: str


def char_width(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def text_width(text: str) -> int:
    return sum(char_width(ch) for ch in text)


def wrap(text: str, columns: int, indent: str = "") -> list[str]:
    """Lines of at most `columns` display columns; Latin words are not split if avoidable,
    continuation lines start with `indent` (aligns items after a bullet or box)."""
    lines: list[str] = []
    line = ""
    for token in _tokens(text):
        if text_width(line + token) <= columns:
            line += token
            continue
        if line.strip():
            lines.append(line.rstrip())
        token = token.lstrip()
        line = indent + token
        while text_width(line) > columns:  # a single word longer than the line
            cut = _fit(line, columns)
            lines.append(line[:cut])
            line = indent + line[cut:]
    if line.strip():
        lines.append(line.rstrip())
    return lines or [""]


def _tokens(text: str) -> list[str]:
    """Latin words (with their following space) stay whole; each CJK character is a token."""
    tokens: list[str] = []
    word = ""
    for ch in text:
        if char_width(ch) == 2:
            if word:
                tokens.append(word)
                word = ""
            tokens.append(ch)
        else:
            word += ch
            if ch == " ":
                tokens.append(word)
                word = ""
    if word:
        tokens.append(word)
    return tokens


def _fit(line: str, columns: int) -> int:
    width = 0
    for i, ch in enumerate(line):
        width += char_width(ch)
        if width > columns:
            return max(i, 1)
    return len(line)


class _Builder:
    def __init__(self, profile: PrinterProfile) -> None:
        self.columns = profile.columns
        self.blocks: list[Block] = []

    def text(self, text: str, scale: int = 1, bold: bool = False, align: Align = "left",
             indent: str = "") -> None:
        for line in wrap(text, self.columns // scale, indent):
            self.blocks.append(Text(line, scale, bold, align))

    def heading(self, text: str) -> None:
        self.blocks.append(Feed(1))
        self.text(text, bold=True)

    def items(self, items: tuple[str, ...] | list[str], marker: str) -> None:
        pad = " " * text_width(marker)
        for item in items:
            self.text(f"{marker}{item}", indent=pad)

    def rule(self) -> None:
        self.blocks.append(Rule())

    def qr(self, payload: str, caption: str) -> None:
        self.blocks.append(Feed(1))
        self.blocks.append(QR(payload))
        self.text(caption, align="center")

    def end(self) -> tuple[Block, ...]:
        self.blocks.append(Feed(3))
        return tuple(self.blocks)


def build_layout(data: SlipData, profile: PrinterProfile, locale: str) -> Layout:
    if isinstance(data, TicketData):
        return Layout("ticket", locale, _ticket(data, profile, locale), data.qr)
    if isinstance(data, AppointmentData):
        return Layout("appointment", locale, _appointment(data, profile, locale), data.qr)
    if isinstance(data, ReceiptData):
        return Layout("receipt", locale, _receipt(data, profile, locale), data.qr)
    return Layout("summary", locale, _summary(data, profile, locale), data.qr)


def _ticket(data: TicketData, profile: PrinterProfile, locale: str) -> tuple[Block, ...]:
    b = _Builder(profile)
    b.text(data.office, bold=True, align="center")
    b.text(data.service, align="center")
    b.rule()
    b.text(label(locale, "ticket"), align="center")
    b.text(data.number, scale=4, bold=True, align="center")
    if data.provisional:
        b.text(label(locale, "provisional"), bold=True, align="center")
    if data.waiting_ahead is not None:
        b.text(label(locale, "ahead", n=data.waiting_ahead), scale=2 if profile.columns >= 48 else 1,
               align="center")
    if data.wait_minutes is not None:
        b.text(label(locale, "wait", m=data.wait_minutes), align="center")
    b.text(label(locale, "issued", t=f"{data.issued_at:%Y-%m-%d %H:%M}"), align="center")
    b.qr(data.qr, label(locale, "ticket_qr"))
    b.text(label(locale, "ticket_note"), align="center")
    return b.end()


def _appointment(data: AppointmentData, profile: PrinterProfile, locale: str) -> tuple[Block, ...]:
    b = _Builder(profile)
    b.text(label(locale, "appointment"), scale=2, bold=True, align="center")
    b.text(data.service, align="center")
    b.rule()
    b.text(label(locale, "when"), bold=True)
    b.text(f"{data.starts_at:%Y-%m-%d %H:%M}", scale=2)
    b.text(label(locale, "where"), bold=True)
    b.text(data.office)
    b.text(data.address)
    b.text(label(locale, "code"), bold=True)
    b.text(data.code, scale=3, bold=True, align="center")
    b.text(f"{label(locale, 'phone')}: {data.phone_masked}")
    if data.documents:
        b.heading(label(locale, "bring"))
        b.items(data.documents, "□ ")
    b.qr(data.qr, label(locale, "appointment_qr"))
    return b.end()


def _summary(data: SummaryData, profile: PrinterProfile, locale: str) -> tuple[Block, ...]:
    o = data.outcome
    b = _Builder(profile)
    b.text(label(locale, "summary"), align="center")
    b.text(o.title, scale=2, bold=True, align="center")
    b.rule()
    b.text(o.summary)
    b.heading(label(locale, "next"))
    for i, step in enumerate(o.steps, 1):
        marker = f"{i}. "
        b.text(marker + step, indent=" " * len(marker))
    if o.documents:
        b.heading(label(locale, "documents"))
        b.items(o.documents, "□ ")
    if o.where:
        b.heading(label(locale, "offices"))
        for office in o.where:
            b.text(office.name, bold=True)
            b.items([office.address, office.hours, office.phone], "  ")
    if o.deadlines:
        b.heading(label(locale, "deadlines"))
        b.items([f"{d.text} ({d.basis.citation})" for d in o.deadlines], "! ")
    if o.basis:
        b.heading(label(locale, "basis"))
        b.items([x.citation for x in o.basis], "- ")
    if o.hotlines:
        b.heading(label(locale, "hotlines"))
        b.items([f"{h.number} {h.title}" for h in o.hotlines], "- ")
    b.qr(data.qr, label(locale, "summary_qr"))
    b.rule()
    b.text(label(locale, "printed", t=f"{data.printed_at:%Y-%m-%d %H:%M}"))
    b.text(label(locale, "disclaimer"))
    return b.end()


def _receipt(data: ReceiptData, profile: PrinterProfile, locale: str) -> tuple[Block, ...]:
    b = _Builder(profile)
    b.text(label(locale, "receipt"), scale=2, bold=True, align="center")
    b.text(data.title, align="center")
    b.rule()
    b.text(label(locale, "body"), bold=True)
    b.text(data.body)
    if data.body_phone:
        b.text(f"{label(locale, 'body_phone')}: {data.body_phone}")
    b.text(label(locale, "app_code"), bold=True)
    b.text(data.code, scale=2 if profile.columns < 48 else 3, bold=True, align="center")
    b.text(label(locale, "submitted", t=f"{data.submitted_at:%Y-%m-%d %H:%M}"))
    if data.phone_masked:
        b.text(f"{label(locale, 'phone')}: {data.phone_masked}")
    if data.queued:
        b.blocks.append(Feed(1))
        b.text(label(locale, "queued"), bold=True)
    b.heading(label(locale, "due"))
    if data.decision_due is not None:
        due = f"{data.decision_due:%Y-%m-%d}"
        b.text(label(locale, "due_line", d=due, what=data.decision_what), bold=True)
        if data.basis:
            b.text(label(locale, "due_basis", b=data.basis))
    else:
        b.text(label(locale, "due_none"))
    b.qr(data.qr, label(locale, "receipt_qr"))
    b.text(label(locale, "receipt_note"), align="center")
    return b.end()
