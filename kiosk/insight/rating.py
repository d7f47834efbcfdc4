"""The rating at the end of a visit (好差评, 国办发〔2019〕51号): five levels, reasons for the
two lowest, and an optional phone number for a call back with its own consent.

Anonymous unless the resident leaves a number: the rating itself is a usage event with no
personal data; the number goes as one separate personal outbox item (body deleted once
the central service has it) and is never logged, spoken in full or shown unmasked.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass, field
from typing import Any

from kiosk.insight.kinds import REASON_CODES
from kiosk.insight.usage import UsageRecorder
from kiosk.services.local_desk import PHONE

log = logging.getLogger(__name__)

CALLBACK_PATH = "/api/v1/rating-callbacks"
CALLBACK_KIND = "rating_callback"


@dataclass(frozen=True)
class Level:
    value: int
    zh: str
    en: str
    #: What a resident may say for it, beyond the label (snapped by kiosk.voice.snap).
    say_zh: tuple[str, ...]
    say_en: tuple[str, ...]


#: Best first, as the scheme lists them.
LEVELS = (
    Level(5, "非常满意", "Very satisfied", ("很满意", "特别满意", "非常好", "很好", "太好了", "五星"),
          ("very good", "excellent", "great")),
    Level(4, "满意", "Satisfied", ("好", "不错", "挺好", "可以", "四星"), ("good", "fine")),
    Level(3, "基本满意", "Fairly satisfied", ("还行", "一般", "还可以", "凑合", "马马虎虎", "三星"),
          ("okay", "so so", "average")),
    Level(2, "不满意", "Dissatisfied", ("不好", "不太好", "不行", "差", "两星"), ("bad", "not good")),
    Level(1, "非常不满意", "Very dissatisfied", ("很不满意", "很差", "太差了", "非常差", "很不好", "一星"),
          ("very bad", "terrible", "awful")),
)
BY_VALUE = {level.value: level for level in LEVELS}

#: Reason code -> (zh, en), as the contract names them.
REASONS: dict[str, tuple[str, str]] = {
    "not_understood": ("没看懂、没听懂", "Hard to understand"),
    "not_my_matter": ("没有我要办的事", "My matter is not here"),
    "too_slow": ("太慢、步骤太多", "Too slow, too many steps"),
    "device_fault": ("机器出了故障", "The machine did not work"),
    "staff": ("工作人员的问题", "About the staff"),
    "other": ("其他", "Something else"),
}
assert tuple(REASONS) == REASON_CODES


def is_bad(level: int) -> bool:
    """The two lowest levels: reasons and a call back are offered."""
    return level <= 2


def voice_phrases(locale: str) -> list[tuple[str, int]]:
    """(phrase, level) pairs a resident may say on the rating screen."""
    english = locale.startswith("en")
    pairs: list[tuple[str, int]] = []
    for level in LEVELS:
        pairs.append((level.en.lower() if english else level.zh, level.value))
        pairs.extend((text, level.value) for text in (level.say_en if english else level.say_zh))
    return pairs


def level_from_speech(heard: str, locale: str) -> int | None:
    """The level a recognised phrase means, or None (ask again / touch)."""
    from kiosk.voice.snap import Phrase, Target, snap

    phrases = [Phrase(text, Target("choice", value)) for text, value in voice_phrases(locale)]
    found = snap(heard, phrases)
    return int(found.target.value) if found.target is not None else None


_NOT_DIGITS = re.compile(r"[\s()-]")


def parse_phone(text: str) -> str | None:
    """A mainland mobile number (11 digits, 1[3-9]...), +86 and separators taken off; or None."""
    digits = _NOT_DIGITS.sub("", text or "")
    if digits.startswith("+86"):
        digits = digits[3:]
    return digits if PHONE.match(digits) else None


def mask(digits: str) -> str:
    """What the screen shows of a number (also while it is typed): the 4th to 7th digits
    as stars, as on the kiosk's slips (138****5678)."""
    return digits[:3] + "*" * min(4, max(0, len(digits) - 3)) + digits[7:]


def spoken_mask(digits: str) -> str:
    """What read-aloud may say of it: only the last four digits."""
    return digits[-4:] if len(digits) >= 4 else ""


@dataclass
class RatingDraft:
    """The answers on the rating screen; `wipe()` forgets them (the phone first of all)."""

    level: int | None = None
    reasons: list[str] = field(default_factory=list)
    phone: str = ""
    consent: bool = False
    by: str = "touch"

    def __repr__(self) -> str:  # never the number
        phone = "set" if self.phone else ""
        return (f"RatingDraft(level={self.level}, reasons={self.reasons}, phone={phone}, "
                f"consent={self.consent}, by={self.by})")

    def toggle(self, code: str) -> None:
        if code not in REASONS:
            raise ValueError(f"unknown reason {code!r}")
        if code in self.reasons:
            self.reasons.remove(code)
        else:
            self.reasons.append(code)

    def callback_ready(self) -> bool:
        return (self.level is not None and is_bad(self.level) and self.consent
                and parse_phone(self.phone) is not None)

    def wipe(self) -> None:
        self.level = None
        self.reasons = []
        self.phone = ""
        self.consent = False
        self.by = "touch"


def submit(draft: RatingDraft, usage: UsageRecorder, outbox: Any,
           now: dt.datetime | None = None) -> str | None:
    """Record the rating (a usage event) and, for a bad one with a number and consent, queue
    the call back as one personal outbox item. Returns the rating event's uuid. The draft is
    wiped in any case."""
    if draft.level is None:
        draft.wipe()
        return None
    level = draft.level
    bad = is_bad(level)
    reasons = [c for c in REASON_CODES if c in draft.reasons] if bad else []
    callback = bad and draft.callback_ready()
    event_id = usage.record("rating", level=level, reasons=reasons, callback=callback, by=draft.by)
    if callback and event_id is not None and outbox is not None:
        usage.flush()  # the rating event is queued before its call back
        phone = parse_phone(draft.phone)
        at = (now or usage.now()).isoformat(timespec="seconds")
        outbox.enqueue(CALLBACK_KIND, CALLBACK_PATH,
                       {"rating": event_id, "level": level, "reasons": reasons, "phone": phone,
                        "consent": True, "at": at}, personal=True)
    log.info("rating %d recorded%s", level, " with a call back" if callback else "")
    draft.wipe()
    return event_id
