"""Resident ID card reader: the SAM module protocol of GA 467-2013 over a serial line.

Our own pyserial code, like the thermal printer's: every wait has a deadline, silence means
"the reader is not answering" (never "no card"), and every line or protocol fault becomes one
of the kiosk's IdCardError exceptions with plain words for the resident.

A read is find (20 01) until a card is there or time runs out, select (20 02), then read
the base text and photo (30 01). A failure that a moved card causes (an answer cut short or
garbled, the SAM's "read failed") is retried once, after finding the card again; if the card
is gone by then, it was pulled. The port is opened per read, so a replugged cable just works.
"""

from __future__ import annotations

import logging
import termios
import threading
import time
from collections.abc import Callable

import serial

from kiosk.devices import sam_protocol as sam
from kiosk.devices.idcard_text import TextError, decode_text
from kiosk.ports import (
    CardGarbled,
    CardPulled,
    CardUnreadable,
    IdCard,
    IdCardError,
    NoCard,
    ReadCancelled,
    ReaderFault,
    ReaderMissing,
    ReaderSilent,
)

log = logging.getLogger(__name__)

#: What a line can raise: termios.error comes from tcdrain when the far end is gone.
LINE_ERRORS = (serial.SerialException, OSError, termios.error)
#: Bytes of line noise tolerated before an answer's preamble (power-up glitches).
MAX_NOISE = 32
NO_CARD = 0x80


class _Transient(Exception):
    """A failure that finding the card again may cure; `error` is raised if it does not."""

    def __init__(self, error: IdCardError) -> None:
        super().__init__(error.detail)
        self.error = error


def _frame_error(exc: sam.FrameError) -> IdCardError:
    if exc.kind == "silent":
        return ReaderSilent(exc.detail or "no answer")
    return CardGarbled(f"{exc.kind}: {exc.detail}")


def _reason(exc: IdCardError) -> str:
    """A plain reason for staff (the maintenance screen, the heartbeat) from a reader error."""
    if isinstance(exc, ReaderMissing):
        return f"the card reader's port cannot be opened or was disconnected ({exc.detail})"
    if isinstance(exc, ReaderSilent):
        return f"the card reader does not answer (silent: {exc.detail})"
    if isinstance(exc, CardGarbled):
        return f"the card reader answers garbage ({exc.detail})"
    return f"the card reader has a fault ({exc.detail})"


class SerialIdCardReader:
    """One SAM module on one serial port (115200 8N1 by default)."""

    def __init__(self, port: str, *, baud: int = 115200, reply_timeout_s: float = 2.0,
                 poll_s: float = 0.2, clock: Callable[[], float] = time.monotonic) -> None:
        self.port = port
        self.baud = baud
        #: How long the SAM may take to start answering (a read includes the card's own
        #: radio exchange and authentication; vendors quote well under a second).
        self.reply_timeout_s = reply_timeout_s
        #: Pause between two "find card" polls while waiting for a card.
        self.poll_s = poll_s
        self.clock = clock
        self._lock = threading.Lock()
        self._cancel = threading.Event()
        #: What the last exchange showed was wrong with the reader (None: it answered).
        self._problem: str | None = None

    # --- the port ------------------------------------------------------------------------

    def read(self, timeout_s: float = 10.0) -> IdCard:
        self._cancel.clear()
        with self._lock:
            try:
                line = self._open()
                try:
                    with line:
                        card = self._read(line, self.clock() + timeout_s)
                except LINE_ERRORS as exc:
                    raise ReaderMissing(f"disconnected ({type(exc).__name__})") from None
            except (ReaderMissing, ReaderSilent, ReaderFault) as exc:
                self._problem = _reason(exc)
                raise
            except IdCardError:
                self._problem = None  # the reader answered; the card was the trouble
                raise
            self._problem = None
            return card

    def cancel(self) -> None:
        self._cancel.set()

    def unavailable(self) -> str | None:
        """Asks the SAM its status (11 FF). While a read holds the line (up to its timeout),
        answers at once with what the last exchange showed instead of waiting."""
        if not self._lock.acquire(timeout=0.05):
            return self._problem
        try:
            self._problem = self._status()
        finally:
            self._lock.release()
        return self._problem

    def _status(self) -> str | None:
        try:
            line = self._open()
        except ReaderMissing as exc:
            return _reason(exc)
        try:
            with line:
                answer = self._exchange(line, sam.SAM_STATUS)
        except LINE_ERRORS:
            return "the card reader was disconnected"
        except IdCardError as exc:
            return _reason(exc)
        if answer.sw3 != sam.OK:
            return f"the card reader reports a fault ({answer.detail})"
        return None

    def close(self) -> None:
        self.cancel()

    # --- one read ------------------------------------------------------------------------

    def _open(self) -> serial.Serial:
        try:
            return serial.Serial(self.port, baudrate=self.baud, timeout=self.reply_timeout_s,
                                 write_timeout=self.reply_timeout_s)
        except LINE_ERRORS as exc:
            raise ReaderMissing(f"{self.port}: {type(exc).__name__} opening the port") from None

    def _read(self, line: serial.Serial, deadline: float) -> IdCard:
        self._wait_for_card(line, deadline)
        try:
            return self._select_and_read(line)
        except _Transient as first:
            log.info("card read failed (%s): finding the card again", first.error.detail)
            if self._cancel.is_set():
                raise ReadCancelled() from None
            if not self._find(line):
                raise CardPulled(first.error.detail) from None
            try:
                return self._select_and_read(line)
            except _Transient as second:
                log.warning("card read failed twice (%s)", second.error.detail)
                raise second.error from None

    def _wait_for_card(self, line: serial.Serial, deadline: float) -> None:
        while True:
            if self._cancel.is_set():
                raise ReadCancelled()
            if self._find(line):
                return
            left = deadline - self.clock()
            if left <= 0:
                raise NoCard()
            if self._cancel.wait(min(self.poll_s, left)):
                raise ReadCancelled()

    def _find(self, line: serial.Serial) -> bool:
        answer = self._exchange(line, sam.FIND_CARD)
        if answer.sw3 != sam.FOUND and answer.sw3 != NO_CARD:
            log.info("find card: %s", answer.detail)
        return answer.sw3 == sam.FOUND

    def _select_and_read(self, line: serial.Serial) -> IdCard:
        try:
            selected = self._exchange(line, sam.SELECT_CARD)
            if selected.sw3 != sam.OK:
                raise _Transient(CardUnreadable(f"select: {selected.detail}"))
            base = self._exchange(line, sam.READ_BASE)
            if base.sw3 != sam.OK:
                raise _Transient(CardUnreadable(f"read: {base.detail}"))
            text, photo = sam.split_base(base.data)
        except sam.FrameError as exc:
            raise _Transient(_frame_error(exc)) from None
        except CardGarbled as exc:
            raise _Transient(exc) from None
        try:
            return decode_text(text, photo)
        except TextError as exc:
            raise _Transient(CardUnreadable(f"text field {exc.field} malformed")) from None

    # --- frames --------------------------------------------------------------------------

    def _exchange(self, line: serial.Serial, cmd: tuple[int, int]) -> sam.Answer:
        """Send one command and return the SAM's answer. Raises ReaderSilent, CardGarbled
        (noise, bad checksum, an answer cut short) or ReaderFault (the SAM is broken)."""
        line.reset_input_buffer()
        try:
            line.write(sam.command(cmd))
            line.flush()
        except serial.SerialTimeoutException:
            raise ReaderSilent("write timed out (line held)") from None
        try:
            answer = self._read_answer(line)
        except sam.FrameError as exc:
            raise _frame_error(exc) from None
        if answer.sw3 in sam.READER_FAULTS:
            raise ReaderFault(answer.detail)
        return answer

    def _read_answer(self, line: serial.Serial) -> sam.Answer:
        deadline = self.clock() + self.reply_timeout_s
        got = bytearray()
        while not got.endswith(sam.PREAMBLE):
            left = deadline - self.clock()
            if left <= 0 or len(got) > MAX_NOISE + len(sam.PREAMBLE):
                break
            line.timeout = left
            byte = line.read(1)
            if not byte:
                break
            got += byte
        if not got.endswith(sam.PREAMBLE):
            if not got:
                raise sam.FrameError("silent", f"no answer in {self.reply_timeout_s:g} s")
            kind = "truncated" if sam.PREAMBLE.startswith(got) else "garbage"
            raise sam.FrameError(kind, f"no preamble in {len(got)} bytes")
        line.timeout = self._wire(2)
        length = line.read(2)
        if len(length) < 2:
            raise sam.FrameError("truncated", "no length")
        need = int.from_bytes(length, "big")
        if not 4 <= need <= sam.MAX_LEN:
            raise sam.FrameError("garbage", f"length {need}")
        line.timeout = self._wire(need)
        body = line.read(need)
        if len(body) < need:
            raise sam.FrameError("truncated", f"{len(body)} of {need} bytes")
        sam.check_body(length, body)
        return sam.Answer(body[0], body[1], body[2], bytes(body[3:-1]))

    def _wire(self, size: int) -> float:
        """Time for `size` bytes at the line's speed (10 bits a byte), doubled, plus slack
        for a USB adapter's latency: an answer that takes longer was cut short."""
        return 2 * size * 10 / self.baud + 0.25
