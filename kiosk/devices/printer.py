"""ESC/POS thermal printer on a serial port: our own pyserial code, not python-escpos's.

Why our own: python-escpos 3.1 reports "paper adequate" when the printer does not answer,
and has no write timeout or flow-control settings; at a kiosk, silence must mean
"offline", and a held line must become a fault within seconds, not a hung screen.

Status is asked with DLE EOT n (real-time, answered even mid-print): n=1 printer
(offline bit), n=2 offline cause (cover open, paper end stop, error), n=3 error cause
(autocutter), n=4 paper roll sensor (near end, out). Every valid answer has the fixed
pattern 0xx1xx10: anything else is garbage on the line.
"""

from __future__ import annotations

import termios

import serial

from kiosk.ports import Paper, PrinterStatus, PrintResult
from kiosk.slips.profiles import PrinterProfile
from kiosk.slips.render import RenderedSlip

DLE_EOT = b"\x10\x04"
FIXED_MASK, FIXED_BITS = 0x93, 0x12
CHUNK = 256
#: What a line can raise: termios.error comes from tcdrain when the far end is gone.
LINE_ERRORS = (serial.SerialException, OSError, termios.error)


def valid(byte: int) -> bool:
    return byte & FIXED_MASK == FIXED_BITS


def parse_status(answers: dict[int, int]) -> PrinterStatus:
    """Status from the answers to DLE EOT 1, 2, 3 and 4 (all four valid bytes)."""
    printer, offline, error, paper = (answers[n] for n in (1, 2, 3, 4))
    roll: Paper
    if paper & 0x60:
        roll = "out"
    elif paper & 0x0C:
        roll = "near_end"
    else:
        roll = "ok"
    if offline & 0x20:
        roll = "out"
    return PrinterStatus(
        answered=True,
        online=not printer & 0x08,
        paper=roll,
        cover_open=bool(offline & 0x04),
        cutter_error=bool(error & 0x08),
    )


class SerialPrinter:
    """One printer on one port; opens the port per slip so a replugged cable just works."""

    def __init__(self, port: str, profile: PrinterProfile) -> None:
        self.port = port
        self.profile = profile

    def _open(self) -> serial.Serial:
        return serial.Serial(
            self.port,
            baudrate=self.profile.baud,
            rtscts=self.profile.flow_control == "rtscts",
            dsrdtr=self.profile.flow_control == "dsrdtr",
            timeout=self.profile.status_timeout,
            write_timeout=self.profile.write_timeout,
        )

    def status(self) -> PrinterStatus:
        try:
            line = self._open()
        except LINE_ERRORS:
            return PrinterStatus(answered=False, detail="no_port")
        try:
            with line:
                return self._status(line)
        except LINE_ERRORS:
            return PrinterStatus(answered=False, detail="disconnected")

    def _status(self, line: serial.Serial, first_wait: float | None = None) -> PrinterStatus:
        """Ask DLE EOT 1-4. `first_wait`: how long the first answer may take when the query
        queues behind a slip still on the wire (USB adapters and ptys buffer it)."""
        answers: dict[int, int] = {}
        for n in (1, 2, 3, 4):
            line.reset_input_buffer()
            line.write(DLE_EOT + bytes([n]))
            line.flush()
            line.timeout = first_wait if (n == 1 and first_wait) else self.profile.status_timeout
            reply = line.read(1)
            if not reply:
                return PrinterStatus(answered=False, detail="no_answer")
            if not valid(reply[0]):
                return PrinterStatus(answered=False, detail="garbage")
            answers[n] = reply[0]
        return parse_status(answers)

    def print_slip(self, slip: RenderedSlip) -> PrintResult:
        try:
            line = self._open()
        except LINE_ERRORS:
            return PrintResult(printed=False, fault="no_port")
        try:
            with line:
                before = self._status(line)
                if before.fault:
                    return PrintResult(printed=False, fault=before.fault)
                for start in range(0, len(slip.data), CHUNK):
                    line.write(slip.data[start : start + CHUNK])
                line.flush()
                on_the_wire = len(slip.data) * 10 / self.profile.baud
                after = self._status(line, first_wait=self.profile.status_timeout + 1.5 * on_the_wire)
        except serial.SerialTimeoutException:
            return PrintResult(printed=False, fault="stalled")
        except LINE_ERRORS:
            return PrintResult(printed=False, fault="disconnected")
        if after.fault:
            return PrintResult(printed=False, fault=after.fault)
        return PrintResult(printed=True, warning="paper_near_end" if after.paper == "near_end" else None)
