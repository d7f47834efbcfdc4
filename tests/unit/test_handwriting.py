"""Handwriting without zinnia: stroke normalisation onto the model's canvas, the null
recognizer, plain reasons when the library or model is missing, and hanzi-writer medians."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.devices.handwriting import (
    CANVAS,
    FIT,
    NullHandwriting,
    ZinniaHandwriting,
    handwriting_recognizer,
    normalise,
)
from kiosk.devices.handwriting_eval import BOX, medians_to_strokes


def test_the_writing_is_fitted_to_the_canvas_wherever_it_was_written() -> None:
    # A 40×20 writing in the top-left corner of a 1000×600 pad: its longer side becomes
    # FIT of the canvas (700), proportions kept, centred on (500, 500).
    assert FIT == 0.7
    corner = [[(10.0, 10.0), (50.0, 30.0)], [(30.0, 10.0), (30.0, 30.0)]]
    expected = [[(150, 325), (850, 675)], [(500, 325), (500, 675)]]
    assert normalise(corner, 1000, 600) == expected
    middle = [[(x * 3 + 400, y * 3 + 200) for x, y in s] for s in corner]  # 3× larger, moved
    assert normalise(middle, 1000, 600) == expected


def test_a_dot_alone_lands_in_the_middle() -> None:
    assert normalise([[(7.0, 7.0)]], 100, 100) == [[(500, 500)]]


def test_without_fit_a_square_pad_is_scaled_onto_the_canvas() -> None:
    strokes = [[(0.0, 0.0), (100.0, 50.0), (200.0, 200.0)]]
    assert normalise(strokes, 200, 200, fit=None) == [[(0, 0), (500, 250), (CANVAS, CANVAS)]]


def test_without_fit_a_wide_pad_keeps_its_proportions_and_is_centred_vertically() -> None:
    # 400×200: scale 2.5 by the longer side; the 500-high image sits 250 from the top.
    assert normalise([[(0.0, 0.0), (400.0, 200.0)]], 400, 200, fit=None) == [[(0, 250), (1000, 750)]]


def test_without_fit_a_tall_pad_is_centred_horizontally() -> None:
    assert normalise([[(0.0, 0.0), (100.0, 400.0)]], 100, 400, fit=None) == [[(375, 0), (625, 1000)]]


def test_y_up_coordinates_as_kivy_gives_them_are_flipped() -> None:
    down = normalise([[(10.0, 20.0), (30.0, 90.0)]], 100, 100, fit=None)
    up = normalise([[(10.0, 80.0), (30.0, 10.0)]], 100, 100, y_up=True, fit=None)
    assert up == down == [[(100, 200), (300, 900)]]
    assert normalise([[(10.0, 80.0), (30.0, 10.0)]], 100, 100, y_up=True) == normalise(
        [[(10.0, 20.0), (30.0, 90.0)]], 100, 100)


def test_points_off_the_pad_are_clamped_and_empty_strokes_dropped() -> None:
    out = normalise([[(-5.0, 50.0), (120.0, 130.0)], [], [(50.0, 50.0)]], 100, 100, fit=None)
    assert out == [[(0, 500), (1000, 1000)], [(500, 500)]]
    assert normalise([[], []], 100, 100) == []


@pytest.mark.parametrize(("width", "height"), [(0, 100), (100, -1)])
def test_an_empty_writing_area_is_refused(width: float, height: float) -> None:
    with pytest.raises(ValueError, match="writing area"):
        normalise([[(1.0, 1.0)]], width, height)


def test_the_null_recognizer_returns_nothing_and_says_why() -> None:
    null = NullHandwriting("no model")
    assert null.recognize([[(1.0, 1.0), (5.0, 5.0)]], 10, 10) == []
    assert null.unavailable() == "no model"


def test_a_missing_model_gives_a_plain_reason_and_a_null_recognizer(tmp_path: Path) -> None:
    missing = tmp_path / "handwriting-zh_CN.model"
    zinnia = ZinniaHandwriting(model=missing)
    reason = zinnia.unavailable()
    assert reason is not None and str(missing) in reason and "tegaki-zinnia-simplified-chinese" in reason
    assert zinnia.recognize([[(1.0, 1.0), (9.0, 9.0)]], 10, 10) == []
    fallback = handwriting_recognizer(missing)
    assert isinstance(fallback, NullHandwriting) and fallback.unavailable() == reason


def test_a_missing_library_gives_a_plain_reason(tmp_path: Path) -> None:
    model = tmp_path / "some.model"
    model.write_bytes(b"\0")
    reason = ZinniaHandwriting(model=model, library="libzinnia-not-here.so.0").unavailable()
    assert reason is not None and "libzinnia-not-here.so.0" in reason and "libzinnia0" in reason


def test_a_model_zinnia_cannot_read_is_reported(tmp_path: Path) -> None:
    bad = tmp_path / "bad.model"
    bad.write_bytes(b"not a zinnia model at all")
    zinnia = ZinniaHandwriting(model=bad)
    if zinnia.unavailable() is not None and "cannot be loaded" in (zinnia.unavailable() or ""):
        pytest.skip(f"libzinnia0 is not installed: {zinnia.unavailable()}")
    reason = zinnia.unavailable()
    assert reason is not None and "cannot be opened" in reason


def test_the_repr_names_the_model_only() -> None:
    assert repr(ZinniaHandwriting(model=Path("/m.model"))) == "ZinniaHandwriting(model='/m.model')"


def test_medians_become_y_down_strokes_in_the_1024_box() -> None:
    # hanzi-writer draws a median point (x, y) at (x, 900 - y): its y axis points up.
    assert BOX == 1024
    assert medians_to_strokes([[[296, 665], [742, 702]], [[122, -50]]]) == [
        [(296.0, 235.0), (742.0, 198.0)], [(122.0, 950.0)]]
