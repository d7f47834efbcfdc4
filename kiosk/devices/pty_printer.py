"""A fake ESC/POS printer on a real pseudo-terminal, for tests and the print benchmark.

The kiosk's serial code talks to the pty's slave side exactly as to /dev/ttyUSB0; this
fake sits on the master side, answers DLE EOT status queries with the bytes a real
printer would send (or with silence, or garbage), collects the slip bytes, and can
misbehave on cue: stop reading (a held line), or vanish mid-slip (a pulled cable).
It can also consume at a baud rate, so timings match a real line.
"""

from __future__ import annotations

import os
import select
import threading
import time
import tty
from dataclasses import dataclass, field

DLE_EOT = b"\x10\x04"

ONLINE, OFFLINE = 0x12, 0x1A
#: DLE EOT answers per condition: {n: byte}; None for n means "say nothing".
STATUS_OK = {1: ONLINE, 2: 0x12, 3: 0x12, 4: 0x12}
STATUS_NEAR_END = {**STATUS_OK, 4: 0x12 | 0x0C}
STATUS_PAPER_OUT = {1: OFFLINE, 2: 0x12 | 0x20, 3: 0x12, 4: 0x12 | 0x60}
STATUS_COVER_OPEN = {1: OFFLINE, 2: 0x12 | 0x04, 3: 0x12, 4: 0x12}
STATUS_CUTTER = {1: OFFLINE, 2: 0x12 | 0x40, 3: 0x12 | 0x08, 4: 0x12}


@dataclass
class Behaviour:
    status: dict[int, int] | None = field(default_factory=lambda: dict(STATUS_OK))
    #: Answer every query with this byte instead (line noise).
    garbage: int | None = None
    #: Status to switch to once the slip bytes arrived (e.g. paper ran out while printing).
    status_after: dict[int, int] | None = None
    #: Stop reading after this many slip bytes (flow control held, printer jammed).
    stall_after: int | None = None
    #: Close the line after this many slip bytes (cable pulled).
    drop_after: int | None = None
    #: Consume at most baud/10 bytes a second, like a real serial line.
    baud: int | None = None


class PtyPrinter:
    def __init__(self, behaviour: Behaviour | None = None) -> None:
        self.behaviour = behaviour or Behaviour()
        self.master, self.slave = os.openpty()
        tty.setraw(self.slave)
        self.port = os.ttyname(self.slave)
        self.received = bytearray()
        self.queries: list[int] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._master_open = True

    def __enter__(self) -> PtyPrinter:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        if self._master_open:
            os.close(self.master)
        os.close(self.slave)

    def _answer(self, n: int) -> None:
        self.queries.append(n)
        b = self.behaviour
        table = b.status_after if (b.status_after is not None and self.received) else b.status
        if b.garbage is not None:
            os.write(self.master, bytes([b.garbage]))
        elif table is not None and n in table:
            os.write(self.master, bytes([table[n]]))

    def _run(self) -> None:
        pending = b""
        b = self.behaviour
        while not self._stop.is_set():
            if b.stall_after is not None and len(self.received) >= b.stall_after:
                time.sleep(0.01)
                continue
            ready, _, _ = select.select([self.master], [], [], 0.02)
            if not ready:
                continue
            try:
                chunk = os.read(self.master, 64 if b.baud else 4096)
            except OSError:
                return
            if b.baud:
                time.sleep(len(chunk) * 10 / b.baud)
            pending += chunk
            while pending:
                at = pending.find(DLE_EOT)
                if at == -1:
                    keep = 1 if pending.endswith(b"\x10") else 0
                    self._data(pending[: len(pending) - keep])
                    pending = pending[len(pending) - keep :]
                    break
                if len(pending) < at + 3:
                    self._data(pending[:at])
                    pending = pending[at:]
                    break
                self._data(pending[:at])
                self._answer(pending[at + 2])
                pending = pending[at + 3 :]
            if b.drop_after is not None and len(self.received) >= b.drop_after:
                os.close(self.master)
                self._master_open = False
                return

    def _data(self, data: bytes) -> None:
        self.received += data
