"""The accessibility rules on plain numbers: WCAG arithmetic and each rule, no window."""

from __future__ import annotations

import pytest

from kiosk.a11y import (
    LIMITS,
    Box,
    Node,
    Text,
    check,
    composite,
    contrast_ratio,
    flatten,
    limits_for,
    relative_luminance,
    stamp,
)

WHITE = (1.0, 1.0, 1.0, 1.0)
BLACK = (0.0, 0.0, 0.0, 1.0)
WINDOW = Box(0, 0, 1080, 1920)


def grey(byte: int, alpha: float = 1.0) -> tuple[float, float, float, float]:
    return (byte / 255, byte / 255, byte / 255, alpha)


def text(**kw: object) -> Text:
    base: dict[str, object] = dict(font_dp=24.0, lines=1, line_height=1.0, colors=(BLACK,),
                                   background=WHITE, needs=(100.0, 30.0))
    base.update(kw)
    return Text(**base)  # type: ignore[arg-type]


LABEL_BOX = Box(10, 10, 200, 40)


def label(name: str = "Label", box: Box = LABEL_BOX, **kw: object) -> Node:
    return Node(name, box, text=text(**kw))


def rules(findings: list) -> list[str]:  # type: ignore[type-arg]
    return [f.rule for f in findings]


# --- WCAG arithmetic --------------------------------------------------------------------

def test_luminance_and_ratio_match_the_wcag_reference_values() -> None:
    assert relative_luminance(WHITE) == pytest.approx(1.0)
    assert relative_luminance(BLACK) == pytest.approx(0.0)
    assert contrast_ratio(BLACK, WHITE) == pytest.approx(21.0)
    assert contrast_ratio(WHITE, WHITE) == pytest.approx(1.0)
    # The well-known edge pair: #767676 on white passes AA (4.54), #777777 does not (4.48).
    assert contrast_ratio(grey(0x76), WHITE) == pytest.approx(4.54, abs=0.01)
    assert contrast_ratio(grey(0x77), WHITE) == pytest.approx(4.48, abs=0.01)
    # Symmetric in its arguments (for opaque colours).
    assert contrast_ratio(WHITE, grey(0x76)) == pytest.approx(contrast_ratio(grey(0x76), WHITE))


def test_alpha_is_composited_on_the_background_first() -> None:
    half_white = (1.0, 1.0, 1.0, 0.5)
    assert composite(half_white, BLACK)[:3] == pytest.approx((0.5, 0.5, 0.5))
    # Opaque black text at 30 % alpha on white looks light grey: far below 4.5.
    assert contrast_ratio((0.0, 0.0, 0.0, 0.3), WHITE) == pytest.approx(2.11, abs=0.01)
    assert contrast_ratio((0.0, 0.0, 0.0, 1.0), WHITE) > 20.0


def test_flatten_stacks_layers_bottom_first() -> None:
    out = flatten([(1.0, 0.0, 0.0, 1.0), (0.0, 0.0, 1.0, 0.5)], base=WHITE)
    assert out == pytest.approx((0.5, 0.0, 0.5, 1.0))
    # A see-through base counts as the black framebuffer behind it.
    assert flatten([], base=(1.0, 1.0, 1.0, 0.0)) == pytest.approx(BLACK)


def test_limits_per_theme_are_the_architecture_numbers() -> None:
    assert (LIMITS["normal"].text_dp, LIMITS["elderly"].text_dp, LIMITS["contrast"].text_dp) == (18, 30, 18)
    assert (LIMITS["normal"].contrast, LIMITS["contrast"].contrast) == (4.5, 7.0)
    assert LIMITS["elderly"].line_height == 1.3 and LIMITS["normal"].line_height is None
    with pytest.raises(ValueError, match="no accessibility limits for theme 'large'"):
        limits_for("large")


# --- one rule at a time: a violation is caught, the clean case is not ---------------------

def test_touch_target_size_main_and_others() -> None:
    small = Node("Button 'OK'", Box(0, 0, 50, 50), touchable=True)
    main = Node("Tile 'Search'", Box(100, 0, 50, 80), touchable=True, main=True)
    fine = Node("Button 'Back'", Box(300, 0, 44, 44), touchable=True)
    fine_main = Node("Tile 'Book'", Box(400, 0, 60, 60), touchable=True, main=True)
    not_touchable = Node("Label", Box(500, 0, 10, 10))
    found = check([small, main, fine, fine_main, not_touchable], WINDOW, LIMITS["normal"])
    assert [(f.widget, f.rule, f.value, f.minimum) for f in found] == [
        ("Tile 'Search'", "target-size", 50.0, 60.0)]
    found = check([Node("b", Box(0, 0, 43, 200), touchable=True)], WINDOW, LIMITS["normal"])
    assert [(f.rule, f.value, f.minimum) for f in found] == [("target-size", 43.0, 44.0)]


def test_text_size_depends_on_the_theme() -> None:
    node = label(font_dp=24.0)
    assert check([node], WINDOW, LIMITS["normal"]) == []
    found = check([node], WINDOW, LIMITS["elderly"])
    assert [(f.rule, f.value, f.minimum) for f in found] == [("text-size", 24.0, 30.0)]
    found = check([label(font_dp=17.0)], WINDOW, LIMITS["contrast"])
    assert [(f.rule, f.value, f.minimum) for f in found] == [("text-size", 17.0, 18.0)]


def test_line_height_only_for_several_lines_in_elderly_mode() -> None:
    tight = label(font_dp=32.0, lines=3, line_height=1.0, needs=(100.0, 120.0), box=Box(0, 0, 200, 130))
    one_line = label(font_dp=32.0, lines=1, line_height=1.0)
    roomy = label(font_dp=32.0, lines=3, line_height=1.3, needs=(100.0, 130.0), box=Box(0, 0, 200, 130))
    found = check([tight, one_line, roomy], WINDOW, LIMITS["elderly"])
    assert [(f.rule, f.value, f.minimum) for f in found] == [("line-height", 1.0, 1.3)]
    assert check([tight], WINDOW, LIMITS["normal"]) == []


def test_contrast_per_theme_and_for_markup_colours() -> None:
    ok_aa = label(colors=(grey(0x59),))  # 7.0:1 on white
    assert contrast_ratio(grey(0x59), WHITE) == pytest.approx(7.0, abs=0.05)
    mid = label(colors=(grey(0x76),))  # 4.54: AA yes, AAA no
    assert check([ok_aa, mid], WINDOW, LIMITS["normal"]) == []
    found = check([mid], WINDOW, LIMITS["contrast"])
    assert [(f.rule, f.value, f.minimum) for f in found] == [("contrast", 4.54, 7.0)]
    assert "#767676 on #ffffff" in found[0].detail
    # A markup colour inside an otherwise fine label is checked too.
    found = check([label(colors=(BLACK, grey(0xaa)))], WINDOW, LIMITS["normal"])
    assert rules(found) == ["contrast"] and found[0].value < 4.5
    # Invisible text (alpha 0) is nobody's contrast problem.
    assert check([label(colors=((0.0, 0.0, 0.0, 0.0),))], WINDOW, LIMITS["normal"]) == []


def test_contrast_value_is_never_rounded_up_to_a_pass() -> None:
    found = check([label(colors=(grey(0x77),))], WINDOW, LIMITS["normal"])
    assert found[0].value < 4.5


def test_text_clipped_on_either_axis() -> None:
    wide = label(box=Box(0, 0, 100, 40), needs=(180.0, 30.0))
    tall = label(box=Box(0, 0, 200, 40), needs=(200.0, 90.0))
    fits = label(box=Box(0, 0, 200, 40), needs=(200.0, 40.0))
    found = check([wide, tall, fits], WINDOW, LIMITS["normal"])
    assert [(f.rule, f.value, f.minimum) for f in found] == [
        ("text-clipped", 100.0, 180.0), ("text-clipped", 40.0, 90.0)]
    assert found[0].detail.startswith("width") and found[1].detail.startswith("height")


def test_outside_window_reports_the_outermost_widget_only() -> None:
    out = Node("Box", Box(1000, 10, 200, 40))
    child = Node("Label", Box(1100, 10, 50, 40), parent_outside=True)
    in_scroll = Node("Row", Box(0, -300, 500, 100), clipped=True)
    inside = Node("Ok", Box(0, 0, 1080, 1920))
    found = check([out, child, in_scroll, inside], WINDOW, LIMITS["normal"])
    assert [(f.widget, f.rule, f.value) for f in found] == [("Box", "outside-window", -120.0)]


def test_overlapping_touch_targets_are_reported_once_per_pair() -> None:
    a = Node("A", Box(0, 0, 100, 100), touchable=True)
    b = Node("B", Box(90, 0, 100, 100), touchable=True)  # 10 dp into A
    c = Node("C", Box(190, 0, 100, 100), touchable=True)  # touches B, no overlap
    nested = Node("D", Box(400, 400, 200, 200), touchable=True)
    inner = Node("E", Box(450, 450, 60, 60), touchable=True)  # 110 dp to move out of D
    label_over = Node("L", Box(0, 0, 500, 500))  # not touchable: not a target
    found = check([a, b, c, nested, inner, label_over], WINDOW, LIMITS["normal"])
    assert [(f.widget, f.rule, f.value) for f in found] == [
        ("A ⟷ B", "target-overlap", -10.0), ("D ⟷ E", "target-overlap", -110.0)]


def test_box_gap() -> None:
    assert Box(0, 0, 10, 10).gap(Box(20, 0, 10, 10)) == 10
    assert Box(0, 0, 10, 10).gap(Box(5, 8, 10, 10)) == -2  # 5 deep in x, 2 deep in y
    assert Box(0, 0, 10, 10).gap(Box(13, 14, 10, 10)) == 4


def test_a_clean_screen_has_no_findings_and_stamping_names_the_state() -> None:
    nodes = [Node("Tile", Box(40, 40, 300, 200), touchable=True, main=True),
             label("Title", Box(40, 300, 600, 60), needs=(580.0, 60.0), font_dp=34.0)]
    assert check(nodes, WINDOW, LIMITS["elderly"]) == []
    found = check([label(font_dp=10.0)], WINDOW, LIMITS["normal"])
    (v,) = stamp(found, screen="home", theme="normal", orientation="portrait", locale="en")
    assert v.as_json() == {"screen": "home", "theme": "normal", "orientation": "portrait", "locale": "en",
                           "widget": "Label", "rule": "text-size", "value": 10.0, "minimum": 18.0,
                           "detail": ""}


def test_overlap_uses_the_part_a_scrolling_list_leaves_touchable() -> None:
    row = Node("Row", Box(0, 0, 500, 100), touchable=True, clipped=True, touch_box=Box(0, 60, 500, 40))
    below = Node("Page down", Box(0, 0, 500, 55), touchable=True)
    assert check([row, below], WINDOW, LIMITS["normal"]) == []
    closer = Node("Page down", Box(0, 0, 500, 70), touchable=True)
    assert [f.value for f in check([row, closer], WINDOW, LIMITS["normal"])] == [-10.0]
