"""Small Protocols the core owns; each device adapter implements one (fakes live beside them)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Literal, Protocol

import msgspec

if TYPE_CHECKING:  # escpos is slow to import; the CLI and connector start without it
    from kiosk.slips.render import RenderedSlip

Paper = Literal["ok", "near_end", "out", "unknown"]


class PrinterStatus(msgspec.Struct, frozen=True, kw_only=True):
    #: False when the printer did not answer, or answered garbage: nothing else is known then.
    answered: bool
    online: bool = False
    paper: Paper = "unknown"
    cover_open: bool = False
    cutter_error: bool = False
    detail: str = ""

    @property
    def fault(self) -> str | None:
        """Why a slip cannot be printed now, or None when it can."""
        if not self.answered:
            return self.detail or "no_answer"
        if self.cover_open:
            return "cover_open"
        if self.paper == "out":
            return "paper_out"
        if self.cutter_error:
            return "cutter_error"
        if not self.online:
            return "offline"
        return None


class PrintResult(msgspec.Struct, frozen=True, kw_only=True):
    printed: bool
    #: Fault code when not printed: no_answer, garbage, paper_out, cover_open, cutter_error,
    #: offline, disconnected, stalled, no_port.
    fault: str | None = None
    #: Printed, but staff should look: paper_near_end.
    warning: str | None = None
    #: Where a virtual printer put the slip.
    path: str | None = None


class Printer(Protocol):
    def status(self) -> PrinterStatus: ...

    def print_slip(self, slip: RenderedSlip) -> PrintResult: ...


# --- Desk: services, slots, bookings and queue tickets -----------------------------------
# The touchscreen's booking and ticket screens talk to this port only. A local in-memory
# desk serves until the central service is reachable; the connector implements the same
# port against the central API (docs/api.md).


class DeskUnavailable(Exception):
    """The desk cannot answer now (central unreachable, timed out, 5xx). Nothing was promised."""


class SlotFull(Exception):
    """The slot was taken while the resident was choosing: offer the other slots."""


class BookingRefused(Exception):
    """The desk answered no for a reason the resident can act on (`reason` is a code:
    phone_limit, slot_past, bad_phone, unknown_code, checkin_window, cancelled)."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(reason, detail)
        self.reason = reason
        self.detail = detail


class OfficeClosed(Exception):
    """No queue ticket: the office is closed now. `opens_at` is its next opening (None when
    not known). Online the central service says so (409 office_closed); offline the kiosk
    judges by the hours it cached; the local desk by its own `[desk]` hours."""

    def __init__(self, opens_at: dt.datetime | None = None) -> None:
        super().__init__(f"office closed; opens {opens_at.isoformat() if opens_at else 'unknown'}")
        self.opens_at = opens_at


class DeskService(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    #: Locale map, e.g. {"zh-CN": "法律援助", "en": "Legal aid"}.
    name: dict[str, str]
    #: Queue number prefix, e.g. "A".
    prefix: str = ""
    bookable: bool = True


class Slot(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    service: str
    start: dt.datetime
    end: dt.datetime
    capacity: int
    booked: int

    @property
    def free(self) -> int:
        return max(0, self.capacity - self.booked)


class Booking(msgspec.Struct, frozen=True, kw_only=True):
    code: str
    service: str
    start: dt.datetime
    end: dt.datetime
    #: 138****5678: the full number never comes back from the desk.
    phone_masked: str
    office: str = ""
    status: str = "booked"  # booked | cancelled | checked_in | no_show


Priority = Literal["none", "elderly", "disabled", "appointment"]


class Ticket(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    number: str  # A001, or K3-017 when issued offline by this kiosk
    service: str
    issued_at: dt.datetime
    priority: Priority = "none"
    people_ahead: int | None = None
    wait_minutes: int | None = None
    #: True when the kiosk issued it without the central service (reported later).
    provisional: bool = False


class Desk(Protocol):
    """Services, slots, bookings and tickets. Every method may raise DeskUnavailable."""

    def services(self) -> list[DeskService]: ...

    def slots(self, service: str, day: dt.date | None = None) -> list[Slot]: ...

    def book(self, slot: str, service: str, phone: str) -> Booking:
        """Raises SlotFull or BookingRefused; returns only a booking the desk confirmed."""
        ...

    def cancel(self, code: str) -> Booking: ...

    def check_in(self, code: str) -> Ticket: ...

    def take_ticket(self, service: str, priority: Priority = "none") -> Ticket:
        """Raises OfficeClosed outside the office's opening hours."""
        ...


# --- Speech ------------------------------------------------------------------------------


class Speaker(Protocol):
    """Speech output. `say` returns at once; a new `say` or `stop` cuts what is playing."""

    def say(self, text: str, locale: str) -> None: ...

    def stop(self) -> None: ...

    def reset(self) -> None:
        """Back to the default rate and volume, for the next resident."""
        ...

    def unavailable(self) -> str | None:
        """Why speech output cannot work here (a plain reason), or None when it can."""
        ...


class Recognizer(Protocol):
    """Push-to-talk speech input. Results arrive through the callback, off the UI thread."""

    def listen(self, phrases: list[str] | None, locale: str, on_text: Callable[[str], None]) -> None:
        """Start listening; `phrases` constrains recognition (None = free dictation).
        Calls `on_text` once with the recognised text ("" for nothing heard)."""
        ...

    def stop(self) -> None: ...

    def unavailable(self) -> str | None:
        """Why speech input cannot work here (no model, no microphone), or None when it can."""
        ...


# --- ID card reader (GA 467 SAM) ----------------------------------------------------------
# The applicant's name, ID number and address without typing Chinese. Everything on a card
# is personal data: an IdCard never shows it in its repr, and `wipe()` forgets it.


class IdCard:
    """What a resident ID card holds (the base text and the photo, kept opaque).

    Mutable on purpose: `wipe()` blanks every field and zeroes the photo in place, so the
    idle wipe can forget a card that other objects still point at. `repr` shows which
    fields are filled and how long they are, never what they say."""

    __slots__ = ("_photo", "address", "birth_date", "ethnicity", "ethnicity_code", "id_number",
                 "issuer", "name", "sex", "sex_code", "valid_from", "valid_until")

    def __init__(self, *, name: str, sex: str, sex_code: str, ethnicity: str, ethnicity_code: str,
                 birth_date: dt.date, address: str, id_number: str, issuer: str,
                 valid_from: dt.date, valid_until: dt.date | None, photo: bytes = b"") -> None:
        self.name = name
        #: Words from GB/T 2261.1 (男, 女, 未知的性别, 未说明的性别) and the code on the card.
        self.sex = sex
        self.sex_code = sex_code
        #: Words from GB 3304 (汉族 ... 基诺族, 其他, 外国血统中国籍人士) and the two-digit code.
        self.ethnicity = ethnicity
        self.ethnicity_code = ethnicity_code
        self.birth_date = birth_date
        self.address = address
        self.id_number = id_number
        #: 签发机关, e.g. 某市公安局某分局.
        self.issuer = issuer
        self.valid_from = valid_from
        #: None for a card valid for life (长期).
        self.valid_until = valid_until
        self._photo = bytearray(photo)

    @property
    def photo(self) -> bytes:
        """The photo exactly as the card holds it (GA 467's compressed WLT format, never decoded
        here: showing it needs the licensed decoder, and the forms do not print it)."""
        return bytes(self._photo)

    @property
    def id_number_masked(self) -> str:
        """110***********123X: for a screen or slip that must show whose card it was."""
        n = self.id_number
        return n[:3] + "*" * (len(n) - 7) + n[-4:] if len(n) > 7 else "*" * len(n)

    def expired(self, today: dt.date) -> bool:
        return self.valid_until is not None and today > self.valid_until

    def wipe(self) -> None:
        """Forget the card: photo bytes zeroed in place, every text emptied, dates at date.min."""
        for i in range(len(self._photo)):
            self._photo[i] = 0
        self._photo = bytearray()
        self.name = self.sex = self.sex_code = self.ethnicity = self.ethnicity_code = ""
        self.address = self.id_number = self.issuer = ""
        self.birth_date = self.valid_from = dt.date.min
        self.valid_until = None

    @property
    def wiped(self) -> bool:
        return not (self.name or self.id_number or self.address or self._photo)

    def __repr__(self) -> str:
        filled = ", ".join(f"{key}=<{len(getattr(self, key))} chars>"
                           for key in ("name", "address", "id_number", "issuer") if getattr(self, key))
        return f"IdCard({filled or 'wiped'}, photo=<{len(self._photo)} bytes>)"

    __str__ = __repr__

    def __reduce__(self) -> tuple[object, ...]:
        raise TypeError("an IdCard is personal data: it is not pickled or copied out of the kiosk")


#: What a resident is told for each IdCardError code (plain words, and what to do next).
ID_CARD_MESSAGES: dict[str, dict[str, str]] = {
    "zh-CN": {
        "no_card": "请把身份证放在读卡区上，放平不要移动。",
        "pulled": "身份证还没读完就被拿开了。请把身份证重新放回读卡区，读完前不要移动。",
        "garbage": "身份证没有读对。请把身份证重新放好再试一次；也可以不用身份证，手写姓名。",
        "unreadable": "这张卡读不出来。请确认放的是居民身份证，或者不用身份证，手写姓名。",
        "silent": "读卡器没有响应。请不用身份证，手写姓名，或请工作人员帮忙。",
        "no_port": "读卡器没有连接。请不用身份证，手写姓名，或请工作人员帮忙。",
        "reader_fault": "读卡器出了故障。请不用身份证，手写姓名，或请工作人员帮忙。",
        "no_reader": "这台机器没有身份证读卡器。请手写姓名，并用数字键输入身份证号码。",
        "cancelled": "已停止读卡。",
        "error": "身份证没有读出来。请手写姓名，或请工作人员帮忙。",
    },
    "en": {
        "no_card": "Please place your ID card flat on the reader and keep it still.",
        "pulled": ("The card was taken away before it was read. Please put it back on the "
                   "reader and keep it still until it has been read."),
        "garbage": ("The card was not read correctly. Please place it again and retry, or "
                    "write your name by hand instead."),
        "unreadable": ("This card cannot be read. Please check it is a resident ID card, or "
                       "write your name by hand instead."),
        "silent": "The card reader is not answering. Please write your name by hand, or ask staff.",
        "no_port": "The card reader is not connected. Please write your name by hand, or ask staff.",
        "reader_fault": "The card reader has a fault. Please write your name by hand, or ask staff.",
        "no_reader": ("This kiosk has no ID card reader. Please write your name by hand and "
                      "type your ID number on the keypad."),
        "cancelled": "Card reading stopped.",
        "error": "The card could not be read. Please write your name by hand, or ask staff.",
    },
}


class IdCardError(Exception):
    """A card could not be read. `code` says why (the UI picks its words with `message`);
    `detail` is for staff and logs (a status byte, "checksum"), never personal data."""

    code = "error"

    def __init__(self, detail: str = "") -> None:
        super().__init__(self.code, detail)
        self.detail = detail

    def message(self, locale: str) -> str:
        words = ID_CARD_MESSAGES.get(locale) or ID_CARD_MESSAGES["zh-CN" if locale.startswith("zh") else "en"]
        return words.get(self.code, words["error"])

    @property
    def retry(self) -> bool:
        """True when putting the card (back) on the reader may help; else offer handwriting."""
        return self.code in ("no_card", "pulled", "garbage")


class NoCard(IdCardError):
    """No card on the reader within the time given: ask the resident to place it."""

    code = "no_card"


class CardPulled(IdCardError):
    """The card left the reader mid-read (the answer stopped short and the card is gone)."""

    code = "pulled"


class CardGarbled(IdCardError):
    """The answer was line noise, failed its checksum or stopped short, again after a retry."""

    code = "garbage"


class CardUnreadable(IdCardError):
    """The reader could not read this card (not a resident ID card, failed authentication,
    or the text on it does not make sense), again after a retry."""

    code = "unreadable"


class ReaderSilent(IdCardError):
    """The reader did not answer in time (unpowered, hung, wrong baud rate)."""

    code = "silent"


class ReaderMissing(IdCardError):
    """The serial port does not exist or cannot be opened (unplugged)."""

    code = "no_port"


class ReaderFault(IdCardError):
    """The SAM module reports itself broken (self-test failed, not authorised): staff must act."""

    code = "reader_fault"


class NoCardReader(IdCardError):
    """This kiosk has no card reader configured."""

    code = "no_reader"


class ReadCancelled(IdCardError):
    """`cancel()` was called while `read` waited (the resident went back)."""

    code = "cancelled"


class IdCardReader(Protocol):
    """A resident ID card reader. `read` blocks (run it off the UI thread)."""

    def read(self, timeout_s: float = 10.0) -> IdCard:
        """Wait up to `timeout_s` for a card on the reader, then find, select and read it.
        Raises an IdCardError subclass: NoCard, CardPulled, CardGarbled, CardUnreadable,
        ReaderSilent, ReaderMissing, ReaderFault, NoCardReader, ReadCancelled."""
        ...

    def cancel(self) -> None:
        """Make a `read` in progress (another thread) stop with ReadCancelled soon."""
        ...

    def unavailable(self) -> str | None:
        """Why cards cannot be read here (a plain reason for staff), or None when they can."""
        ...

    def close(self) -> None: ...
