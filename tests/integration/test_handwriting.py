"""Handwriting for real: libzinnia with Tegaki's zh_CN model on hanzi-writer-data medians.

Needs the Debian packages libzinnia0 and tegaki-zinnia-simplified-chinese (deploy/dev.sh
installs them) and the npm package hanzi-writer-data, fetched with npm into a cache folder
on first run (~/.cache/legal-kiosk/, or KIOSK_HANZI_DATA). Skipped, with the reason, when
either is missing. The floors sit below what was measured on the same sample (top-1 87 %,
top-5 97 %): the data and the model are fixed, so a drop means the normalisation broke.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import pytest

from kiosk.applications.pinyin_input import name_characters
from kiosk.devices.handwriting import ZinniaHandwriting, handwriting_recognizer
from kiosk.devices.handwriting_eval import (
    BOX,
    StrokeDataUnavailable,
    evaluate,
    fetch_stroke_data,
    load_strokes,
)

SAMPLE = 30
TOP1_FLOOR = 0.75
TOP5_FLOOR = 0.88


@pytest.fixture(scope="module")
def zinnia() -> ZinniaHandwriting:
    recognizer = ZinniaHandwriting()
    reason = recognizer.unavailable()
    if reason:
        pytest.skip(f"handwriting recognizer unavailable: {reason}")
    return recognizer


@pytest.fixture(scope="module")
def strokes_folder() -> Path:
    try:
        return fetch_stroke_data()
    except StrokeDataUnavailable as exc:
        pytest.skip(f"stroke data unavailable: {exc}")


def sample() -> list[str]:
    """Every 17th of the 500 commonest name characters: surnames and given names alike."""
    names = name_characters()
    return list(dict.fromkeys([*names.surnames, *names.given]))[:500][::17][:SAMPLE]


def test_the_model_knows_all_of_gb2312(zinnia: ZinniaHandwriting) -> None:
    assert zinnia.classes() == 6763
    assert isinstance(handwriting_recognizer(), ZinniaHandwriting)


def test_name_characters_are_recognised_above_the_floor(zinnia: ZinniaHandwriting, strokes_folder: Path) -> None:
    chars = sample()
    assert len(chars) == SAMPLE
    figures = evaluate(zinnia, strokes_folder, chars)
    print(figures.summary())
    assert figures.tried == SAMPLE and figures.missing == 0
    assert figures.top1 >= TOP1_FLOOR, figures.summary()
    assert figures.top5 >= TOP5_FLOOR, figures.summary()
    assert figures.ms_per_char < 200, figures.summary()


def test_small_y_up_writing_off_centre_on_a_wide_pad_reads_the_same(zinnia: ZinniaHandwriting, strokes_folder: Path) -> None:
    strokes = load_strokes(strokes_folder, "林")
    assert strokes is not None
    expected = [c.char for c in zinnia.recognize(strokes, BOX, BOX, n=5)]
    assert expected[0] == "林"
    # The same writing at 40 % size near the right edge of a 1600×1024 pad, y measured upwards.
    moved = [[(1150 + x * 0.4, BOX - (100 + y * 0.4)) for x, y in s] for s in strokes]
    got = [c.char for c in zinnia.recognize(moved, 1600, BOX, n=5, y_up=True)]
    assert got[0] == "林"


def test_candidates_are_ranked_and_capped(zinnia: ZinniaHandwriting, strokes_folder: Path) -> None:
    strokes = load_strokes(strokes_folder, "王")
    assert strokes is not None
    found = zinnia.recognize(strokes, BOX, BOX, n=3)
    assert len(found) == 3
    assert [c.score for c in found] == sorted((c.score for c in found), reverse=True)
    assert zinnia.recognize([], BOX, BOX) == []
    assert zinnia.recognize(strokes, BOX, BOX, n=0) == []


def test_nothing_about_the_writing_is_logged_or_shown(zinnia: ZinniaHandwriting, strokes_folder: Path,
                                                       caplog: pytest.LogCaptureFixture) -> None:
    strokes = load_strokes(strokes_folder, "李")
    assert strokes is not None
    with caplog.at_level(logging.DEBUG):
        found = zinnia.recognize(strokes, BOX, BOX)
    assert found and caplog.records == []
    assert "李" not in repr(zinnia)


def test_concurrent_calls_get_their_own_answers(zinnia: ZinniaHandwriting, strokes_folder: Path) -> None:
    chars = ["林", "刘", "杨", "周"]
    alone = {ch: zinnia.recognize(load_strokes(strokes_folder, ch) or [], BOX, BOX, n=3) for ch in chars}
    together: dict[str, list[object]] = {}

    def run(ch: str) -> None:
        strokes = load_strokes(strokes_folder, ch) or []
        together[ch] = [zinnia.recognize(strokes, BOX, BOX, n=3) for _ in range(5)]

    threads = [threading.Thread(target=run, args=(ch,)) for ch in chars]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for ch in chars:
        assert together[ch] == [alone[ch]] * 5
