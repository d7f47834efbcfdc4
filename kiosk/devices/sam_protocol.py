"""Frames of the SAM module protocol of GA 467-2013 (the resident ID card reader's UART side).

A command:  AA AA AA 96 69 | LEN (2 bytes, big-endian) | CMD PARA | DATA | CHK
An answer:  AA AA AA 96 69 | LEN (2 bytes, big-endian) | SW1 SW2 SW3 | DATA | CHK
LEN counts everything after itself (CMD or SW1 up to and including CHK); CHK is the XOR of
the LEN bytes and everything after them, so a reader's "read failed" answer is
AA AA AA 96 69 00 04 00 00 41 45. SW1 SW2 relay the card's own status; SW3 is the SAM's.
Pure functions only: the serial code (idcard.py) and the pty fake both use them.
"""

from __future__ import annotations

from dataclasses import dataclass

PREAMBLE = bytes.fromhex("AAAAAA9669")

# Commands (CMD, PARA).
RESET_SAM = (0x10, 0xFF)
SAM_STATUS = (0x11, 0xFF)
SAM_ID = (0x12, 0xFF)
FIND_CARD = (0x20, 0x01)
SELECT_CARD = (0x20, 0x02)
READ_BASE = (0x30, 0x01)  # base text (256 bytes) and photo (1024 bytes)

# SW3: the SAM's status byte.
OK = 0x90
NO_CONTENT = 0x91
FOUND = 0x9F
#: Each SW3 and what it means (the SAM module interface specification's table).
SW3_MEANING = {
    0x90: "success",
    0x91: "no content for this item on the card",
    0x9F: "card found",
    0x10: "checksum of the terminal's frame wrong",
    0x11: "length of the terminal's frame wrong",
    0x21: "command wrong (value or sequence)",
    0x23: "operation not permitted",
    0x24: "unrecognised error",
    0x31: "card failed to authenticate the SAM",
    0x32: "SAM failed to authenticate the card",
    0x33: "information verification failed",
    0x40: "card type not recognised",
    0x41: "reading the card failed",
    0x47: "getting a random number failed",
    0x60: "SAM self-test failed, no commands accepted",
    0x66: "SAM not authorised",
    0x80: "no card found",
    0x81: "selecting the card failed",
}
#: Failures a card that moved or was badly placed gives: re-find it once and try again.
TRANSIENT = frozenset({0x10, 0x11, 0x31, 0x32, 0x33, 0x41, 0x47, 0x81})
#: The SAM module itself is broken or locked: nothing a resident can do.
READER_FAULTS = frozenset({0x60, 0x66, 0x23})

#: Largest LEN we accept: the base text and photo answer is 0x0508; the fingerprint one 0x0D08.
MAX_LEN = 0x1000
TEXT_BYTES = 256
PHOTO_BYTES = 1024


class FrameError(Exception):
    """An answer that is not a whole, valid frame. `kind`: silent, truncated or garbage."""

    def __init__(self, kind: str, detail: str = "") -> None:
        super().__init__(kind, detail)
        self.kind = kind
        self.detail = detail


def xor(data: bytes | bytearray) -> int:
    out = 0
    for byte in data:
        out ^= byte
    return out


def frame(body: bytes) -> bytes:
    """Preamble, length and checksum around `body` (CMD PARA DATA, or SW1 SW2 SW3 DATA)."""
    length = (len(body) + 1).to_bytes(2, "big")
    return PREAMBLE + length + body + bytes([xor(length + body)])


def command(cmd: tuple[int, int], data: bytes = b"") -> bytes:
    """A command frame: `command(FIND_CARD)` == AA AA AA 96 69 00 03 20 01 22."""
    return frame(bytes(cmd) + data)


def answer(sw3: int, data: bytes = b"", sw1: int = 0, sw2: int = 0) -> bytes:
    """An answer frame, as a reader sends it (the fake reader and the tests build these)."""
    return frame(bytes((sw1, sw2, sw3)) + data)


@dataclass(frozen=True)
class Answer:
    sw1: int
    sw2: int
    sw3: int
    data: bytes

    @property
    def meaning(self) -> str:
        return SW3_MEANING.get(self.sw3, "unknown status")

    @property
    def detail(self) -> str:
        """For logs and fault records: the status bytes, never the data."""
        return f"sw={self.sw1:02x}{self.sw2:02x}{self.sw3:02x} ({self.meaning})"


def check_body(length: bytes, body: bytes) -> None:
    """`body` is everything after the two LEN bytes; raises FrameError unless the checksum holds."""
    if xor(length + body[:-1]) != body[-1]:
        raise FrameError("garbage", "checksum")


def parse_answer(raw: bytes) -> Answer:
    """One whole answer frame (preamble first) into its parts; raises FrameError."""
    if not raw:
        raise FrameError("silent")
    if not raw.startswith(PREAMBLE):
        kind = "truncated" if PREAMBLE.startswith(raw) else "garbage"
        raise FrameError(kind, "no preamble")
    if len(raw) < len(PREAMBLE) + 2:
        raise FrameError("truncated", "no length")
    length = raw[5:7]
    need = int.from_bytes(length, "big")
    if not 4 <= need <= MAX_LEN:
        raise FrameError("garbage", f"length {need}")
    body = raw[7:]
    if len(body) < need:
        raise FrameError("truncated", f"{len(body)} of {need} bytes")
    if len(body) > need:
        raise FrameError("garbage", "trailing bytes")
    check_body(length, body)
    return Answer(body[0], body[1], body[2], bytes(body[3:-1]))


def split_base(data: bytes) -> tuple[bytes, bytes]:
    """The data of a READ_BASE answer: text length, photo length (2 bytes each, big-endian),
    then the text and the photo. Raises FrameError when the lengths do not add up."""
    if len(data) < 4:
        raise FrameError("garbage", "base data too short")
    text_len = int.from_bytes(data[0:2], "big")
    photo_len = int.from_bytes(data[2:4], "big")
    if text_len != TEXT_BYTES or len(data) != 4 + text_len + photo_len:
        raise FrameError("garbage", f"base lengths {text_len}+{photo_len} in {len(data) - 4} bytes")
    return data[4 : 4 + text_len], data[4 + text_len :]


def base_data(text: bytes, photo: bytes) -> bytes:
    """The data of a READ_BASE answer (for the fake reader and the tests)."""
    return len(text).to_bytes(2, "big") + len(photo).to_bytes(2, "big") + text + photo
