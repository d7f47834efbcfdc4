"""The rating: five levels by touch or voice, reasons and a call back only for the two
lowest, the phone number only in its own personal outbox item."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kiosk.connector.outbox import Outbox
from kiosk.insight.rating import (
    CALLBACK_PATH,
    LEVELS,
    RatingDraft,
    level_from_speech,
    mask,
    parse_phone,
    spoken_mask,
    submit,
)
from kiosk.insight.usage import UsageRecorder

PHONE = "13812345678"


@pytest.mark.parametrize(("heard", "level"), [
    ("非常满意", 5), ("很好", 5), ("满意", 4), ("不错", 4), ("基本满意", 3), ("还行吧", 3),
    ("不满意", 2), ("不好", 2), ("非常不满意", 1), ("嗯 太差了", 1),
])
def test_levels_by_voice_with_synonyms(heard: str, level: int) -> None:
    assert level_from_speech(heard, "zh-CN") == level


def test_english_and_nonsense() -> None:
    assert level_from_speech("very bad", "en") == 1 and level_from_speech("good", "en") == 4
    assert level_from_speech("今天天气", "zh-CN") is None


def test_five_levels_best_first() -> None:
    assert [lv.zh for lv in LEVELS] == ["非常满意", "满意", "基本满意", "不满意", "非常不满意"]
    assert [lv.value for lv in LEVELS] == [5, 4, 3, 2, 1]


def test_phone_check_and_mask() -> None:
    assert parse_phone("138 1234-5678") == PHONE and parse_phone("+8613812345678") == PHONE
    assert parse_phone("12812345678") is None and parse_phone("1381234567") is None
    assert mask(PHONE) == "138****5678" and mask("1381") == "138*" and spoken_mask(PHONE) == "5678"
    draft = RatingDraft(level=1, phone=PHONE)
    assert PHONE not in repr(draft)


def _bodies(box: Outbox) -> list[tuple[str, dict, int]]:
    rows = box._db.execute("SELECT kind, body, personal FROM outbox ORDER BY id").fetchall()
    return [(k, json.loads(b), p) for k, b, p in rows]


def test_a_bad_rating_with_consent_sends_one_callback_item(tmp_path: Path) -> None:
    box = Outbox(tmp_path / "o.sqlite3")
    rec = UsageRecorder(box, strict=True)
    rec.start_visit("zh-CN", "normal")
    draft = RatingDraft(level=1, reasons=["too_slow", "not_understood"], phone=PHONE, consent=True, by="voice")
    event_id = submit(draft, rec, box)
    rec.end_visit("finished")
    (k1, usage, p1), (k2, callback, p2), (_k3, rest, _p3) = _bodies(box)
    assert (k1, p1, k2, p2) == ("usage", 0, "rating_callback", 1)
    rating = usage["events"][-1]
    assert rating["id"] == event_id and rating["kind"] == "rating"
    assert rating["detail"] == {"level": 1, "reasons": ["not_understood", "too_slow"], "callback": True, "by": "voice"}
    assert callback["rating"] == event_id and callback["phone"] == PHONE and callback["consent"] is True
    assert callback["level"] == 1 and callback["reasons"] == ["not_understood", "too_slow"]
    assert PHONE not in json.dumps(usage) + json.dumps(rest)
    assert box._db.execute("SELECT path FROM outbox WHERE kind = 'rating_callback'").fetchone()[0] == CALLBACK_PATH
    assert draft.phone == "" and draft.level is None


@pytest.mark.parametrize(("level", "consent", "phone"), [(1, False, PHONE), (2, True, "123"), (4, True, PHONE)])
def test_no_callback_without_consent_valid_number_or_bad_level(tmp_path: Path, level: int, consent: bool,
                                                              phone: str) -> None:
    box = Outbox(tmp_path / "o.sqlite3")
    rec = UsageRecorder(box, strict=True)
    rec.start_visit("zh-CN", "normal")
    submit(RatingDraft(level=level, reasons=["other"], phone=phone, consent=consent), rec, box)
    rec.end_visit("finished")
    bodies = _bodies(box)
    assert [k for k, _b, _p in bodies] == ["usage"]
    detail = bodies[0][1]["events"][1]["detail"]
    assert detail["callback"] is False
    assert detail["reasons"] == ([] if level > 2 else ["other"])
    assert PHONE not in json.dumps(bodies)
