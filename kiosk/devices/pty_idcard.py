"""A fake SAM ID card reader on a real pseudo-terminal, for tests, the benchmark and the demo.

The kiosk's serial code talks to the pty's slave side exactly as to /dev/ttyUSB0; this fake
sits on the master side, parses the commands (checking their checksums as a SAM does) and
answers find / select / read for a made-up test card. It keeps the SAM's order: select only
after find, read only after select. On cue it has no card, lets the card be pulled mid-read
(the answer stops short and the card is gone), garbles answers, or goes silent; it can send
at a baud rate (10 bits a byte), so a read takes as long as on a real line.
"""

from __future__ import annotations

import hashlib
import os
import select
import threading
import time
import tty
from dataclasses import dataclass, field

from kiosk.devices import sam_protocol as sam
from kiosk.devices.idcard import SerialIdCardReader
from kiosk.devices.idcard_text import encode_text


@dataclass(frozen=True)
class TestCard:
    """A card's base text as the card holds it: codes, and dates as YYYYMMDD. The default is a
    made-up person; the ID number's check digit is right (GB 11643)."""

    __test__ = False  # not a pytest class

    name: str = "林晓雨"
    sex: str = "2"
    ethnicity: str = "01"
    birth_date: str = "19860412"
    address: str = "北京市东城区示例路12号院3号楼2单元501室"
    id_number: str = "110101198604120024"
    issuer: str = "北京市公安局东城分局"
    valid_from: str = "20160520"
    valid_until: str = "20360520"
    #: Stands in for the WLT photo: opaque bytes of the real size, never decoded.
    photo: bytes = field(default_factory=lambda: _opaque_photo(sam.PHOTO_BYTES))

    def text(self) -> bytes:
        return encode_text({k: getattr(self, k) for k in (
            "name", "sex", "ethnicity", "birth_date", "address", "id_number", "issuer",
            "valid_from", "valid_until")})


def _opaque_photo(size: int) -> bytes:
    out = b""
    while len(out) < size:
        out += hashlib.sha256(b"legal-kiosk test photo %d" % len(out)).digest()
    return out[:size]


GARBAGE = bytes.fromhex("13 37 FE 00 55 AA 01 96") * 4


@dataclass
class Behaviour:
    #: The card on the reader; None: no card (find answers 0x80).
    card: TestCard | None = field(default_factory=TestCard)
    #: Send at baud/10 bytes a second, like a real UART (None: as fast as the pty goes).
    baud: int | None = None
    #: Answer nothing at all (unpowered, hung, wrong speed).
    silent: bool = False
    #: Answer every command with line noise (no preamble).
    garbage: bool = False
    #: Send only this many bytes of the next read answer, then take the card away.
    pull_during_read: int | None = None
    #: Cut this many read answers short (after half their bytes); the card stays.
    truncate_reads: int = 0
    #: Send this many read answers with a wrong checksum.
    corrupt_reads: int = 0
    #: Answer this many reads with SW3 (e.g. 0x41 "read failed", 0x33 "verification failed").
    fail_reads: int = 0
    fail_sw3: int = 0x41
    #: The card leaves the reader with the first failed read (a SAM answers 0x41, not silence).
    pull_on_fail: bool = False
    #: SW3 for every command instead (e.g. 0x60: the SAM's self-test failed).
    fault_sw3: int | None = None
    #: The SAM's own time per command before answering (the card's radio exchange).
    think_s: float = 0.0


class PtyIdCardReader:
    """Use as a context manager; `port` is the slave's path for the kiosk's serial code."""

    def __init__(self, behaviour: Behaviour | None = None) -> None:
        self.behaviour = behaviour or Behaviour()
        self.master, self.slave = os.openpty()
        tty.setraw(self.slave)
        self.port = os.ttyname(self.slave)
        #: Every valid command received, as (CMD, PARA).
        self.commands: list[tuple[int, int]] = []
        #: Commands whose checksum or length was wrong.
        self.bad_frames = 0
        self._found = self._selected = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="pty-idcard", daemon=True)
        self._closed = False

    def __enter__(self) -> PtyIdCardReader:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(self) -> None:
        self._thread.start()

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=2)
        os.close(self.master)
        os.close(self.slave)

    # --- the line ------------------------------------------------------------------------

    def _run(self) -> None:
        pending = bytearray()
        while not self._stop.is_set():
            ready, _, _ = select.select([self.master], [], [], 0.02)
            if not ready:
                continue
            try:
                chunk = os.read(self.master, 4096)
            except OSError:
                return
            if self.behaviour.baud:  # the command's own time on the line
                time.sleep(len(chunk) * 10 / self.behaviour.baud)
            pending += chunk
            while True:
                cmd = self._take_command(pending)
                if cmd is None:
                    break
                self._answer(cmd)

    def _take_command(self, pending: bytearray) -> tuple[int, int] | bytes | None:
        """The next whole command in `pending` (removed from it); b"" for a bad frame."""
        at = pending.find(sam.PREAMBLE)
        if at == -1:
            del pending[: max(0, len(pending) - len(sam.PREAMBLE))]
            return None
        del pending[:at]
        if len(pending) < 7:
            return None
        need = int.from_bytes(pending[5:7], "big")
        if len(pending) < 7 + need:
            return None
        raw = bytes(pending[: 7 + need])
        del pending[: 7 + need]
        if need < 3 or sam.xor(raw[5:-1]) != raw[-1]:
            self.bad_frames += 1
            return b""
        return raw[7], raw[8]

    def _send(self, data: bytes) -> None:
        baud = self.behaviour.baud
        if not baud:
            os.write(self.master, data)
            return
        start = time.monotonic()
        for at in range(0, len(data), 16):
            chunk = data[at : at + 16]
            # A byte is there once its 10 bits have crossed the line; pace against the start,
            # so sleeps that overshoot do not add up.
            due = start + (at + len(chunk)) * 10 / baud
            if (wait := due - time.monotonic()) > 0:
                time.sleep(wait)
            os.write(self.master, chunk)

    # --- the SAM -------------------------------------------------------------------------

    def _answer(self, cmd: tuple[int, int] | bytes) -> None:
        b = self.behaviour
        if isinstance(cmd, tuple):
            self.commands.append(cmd)
        if b.silent:
            return
        if b.think_s:
            time.sleep(b.think_s)
        if b.garbage:
            self._send(GARBAGE)
        elif not isinstance(cmd, tuple):
            self._send(sam.answer(0x10))
        elif b.fault_sw3 is not None:
            self._send(sam.answer(b.fault_sw3))
        else:
            self._send(self._sam(cmd))

    def _sam(self, cmd: tuple[int, int]) -> bytes:
        b = self.behaviour
        if cmd == sam.SAM_STATUS:
            return sam.answer(sam.OK)
        if cmd == sam.FIND_CARD:
            self._found, self._selected = b.card is not None, False
            return sam.answer(sam.FOUND, bytes(4)) if self._found else sam.answer(0x80)
        if cmd == sam.SELECT_CARD:
            self._selected = self._found and b.card is not None
            return sam.answer(sam.OK, bytes(8)) if self._selected else sam.answer(0x81)
        if cmd == sam.READ_BASE:
            return self._read_base()
        return sam.answer(0x21)

    def _read_base(self) -> bytes:
        b = self.behaviour
        card, selected = b.card, self._selected
        self._found = self._selected = False  # the next read starts with find again
        if card is None or not selected:
            return sam.answer(0x41)
        if b.fail_reads:
            b.fail_reads -= 1
            if b.pull_on_fail:
                b.card = None
            return sam.answer(b.fail_sw3)
        whole = sam.answer(sam.OK, sam.base_data(card.text(), card.photo))
        if b.pull_during_read is not None:
            cut, b.pull_during_read, b.card = b.pull_during_read, None, None
            return whole[:cut]
        if b.truncate_reads:
            b.truncate_reads -= 1
            return whole[: len(whole) // 2]
        if b.corrupt_reads:
            b.corrupt_reads -= 1
            return whole[:-1] + bytes([whole[-1] ^ 0xFF])
        return whole


class DemoIdCardReader(SerialIdCardReader):
    """`[idcard] port = "fake"`: the real serial code against this fake, its made-up card always
    on the reader, paced like a real line. For demos and screenshots, never for residents."""

    def __init__(self, *, baud: int = 115200, reply_timeout_s: float = 2.0, poll_s: float = 0.2) -> None:
        self.fake = PtyIdCardReader(Behaviour(baud=baud))
        self.fake.start()
        super().__init__(self.fake.port, baud=baud, reply_timeout_s=reply_timeout_s, poll_s=poll_s)

    def close(self) -> None:
        super().close()
        self.fake.close()
