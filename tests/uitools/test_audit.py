"""The audit on real Kivy widget trees in a real window: each rule catches a deliberate
violation and leaves the clean twin alone. Positions and sizes are dp (see conftest)."""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest

from kiosk.a11y import LIMITS, Finding

Mount = Callable[[Any], Any]
BLACK = [0, 0, 0, 1]
WHITE = [1, 1, 1, 1]


def found(theme: str = "normal") -> list[Finding]:
    from kiosk.ui.audit import audit

    return audit(LIMITS[theme])


def rules_of(findings: list[Finding], rule: str) -> list[tuple[str, float, float]]:
    return [(f.widget, f.value, f.minimum) for f in findings if f.rule == rule]


def test_touch_targets_main_and_others(mount: Mount, si: ModuleType) -> None:
    mount(si.page(
        si.tile("Small", at=(100, 100, 40, 40)),
        si.tile("Main", at=(100, 300, 300, 50), main=True),
        si.tile("Fine", at=(100, 500, 44, 44)),
        si.tile("Main OK", at=(100, 700, 300, 60), main=True),
    ))
    assert rules_of(found(), "target-size") == [
        ('Tile "Small"', 40.0, 44.0), ('Tile "Main"', 50.0, 60.0)]


def test_text_size_per_theme(mount: Mount, si: ModuleType) -> None:
    mount(si.page(si.label("Tiny words", font=14), si.label("Body", font=24, at=(100, 1300, 600, 80))))
    assert rules_of(found("normal"), "text-size") == [('Label "Tiny words"', 14.0, 18.0)]
    assert rules_of(found("elderly"), "text-size") == [
        ('Label "Tiny words"', 14.0, 30.0), ('Label "Body"', 24.0, 30.0)]


def test_line_spacing_of_wrapped_text_in_elderly_mode(mount: Mount, si: ModuleType) -> None:
    long = "Bring your identity card, the contract and any pay slips you have kept"
    tight = si.label(long, font=32, line_height=1.0, at=(100, 1500, 500, 400), text_w=500)
    roomy = si.label(long, font=32, line_height=1.35, at=(100, 900, 500, 400), text_w=500)
    single = si.label("One line", font=32, line_height=1.0, at=(100, 500, 600, 80))
    mount(si.page(tight, roomy, single))
    assert len(tight._label._cached_lines) > 1, "the text should wrap for this test to mean anything"
    assert rules_of(found("elderly"), "line-height") == [('Label "Bring your identity car…"', 1.0, 1.3)]
    assert rules_of(found("normal"), "line-height") == []


def test_contrast_on_the_painted_background_with_alpha(mount: Mount, si: ModuleType) -> None:
    grey = [0x77 / 255] * 3 + [1]  # 4.48:1 on white
    dark = [0x59 / 255] * 3 + [1]  # 7.0:1 on white
    faint = [0, 0, 0, 0.45]  # black at 45 % on white: about 3.2:1
    mount(si.page(si.label("Grey", color=grey), si.label("Dark", color=dark, at=(100, 1300, 600, 80)),
                  si.label("Faint", color=faint, at=(100, 1100, 600, 80))))
    normal = rules_of(found("normal"), "contrast")
    assert [w for w, _, _ in normal] == ['Label "Grey"', 'Label "Faint"']
    assert normal[0][1] < 4.5 and normal[1][1] < 3.5
    strict = [w for w, _, _ in rules_of(found("contrast"), "contrast")]
    assert 'Label "Grey"' in strict and 'Label "Faint"' in strict


def test_contrast_uses_the_nearest_painted_ancestor_and_then_the_window(
        mount: Mount, driver: Any, si: ModuleType) -> None:
    from kivy.uix.floatlayout import FloatLayout
    from kivy.uix.label import Label

    driver.window.clearcolor = (0, 0, 0, 1)
    inner = si.Panel(bg_color=[0.1, 0.1, 0.1, 1], **si.box(50, 1400, 700, 200))
    inner.add_widget(Label(text="White on dark", color=WHITE, font_size=si.dp(24), font_name=si.CJK))
    layer = FloatLayout()
    layer.add_widget(inner)
    layer.add_widget(si.label("Black on the black window", at=(100, 600, 600, 80)))
    mount(layer)
    assert [w for w, _, _ in rules_of(found(), "contrast")] == ['Label "Black on the black wind…"']


def test_kivy_button_background_image_is_measured(mount: Mount, si: ModuleType) -> None:
    from kivy.uix.button import Button

    from kiosk.ui.audit import image_color

    # Kivy's stock button image is mid grey: stock white text on it is fine, black is not.
    color = image_color("atlas://data/images/defaulttheme/button")
    assert color is not None and 0.2 < color[0] < 0.5 and color[0] == pytest.approx(color[1], abs=0.02)
    font = si.dp(24)
    mount(si.page(
        Button(text="Stock", font_size=font, **si.box(100, 100, 300, 100)),
        Button(text="Black", color=BLACK, font_size=font, **si.box(100, 300, 300, 100)),
        Button(text="Flat", background_normal="", background_color=[1, 1, 0.6, 1], color=WHITE,
               font_size=font, **si.box(100, 500, 300, 100))))
    assert [w for w, _, _ in rules_of(found(), "contrast")] == ['Button "Black"', 'Button "Flat"']


def test_text_clipped_by_its_box(mount: Mount, si: ModuleType) -> None:
    long = "Labour dispute: unpaid wages and compensation"
    mount(si.page(
        si.label(long, at=(100, 1700, 200, 60)),  # one line, far too wide
        si.label(long, at=(100, 1500, 300, 60), text_w=300),  # wraps, box too low
        si.label(long, at=(100, 1300, 300, 60), text_w=300, text_h=60, valign="middle"),  # cut to fit
        si.label(long, at=(100, 1100, 300, 60), text_w=300, text_h=60, shorten=True),  # "…" hides it
        si.label(long, at=(100, 900, 900, 80)),  # fits
        si.label(long, at=(100, 500, 300, 300), text_w=300),  # wraps and fits
    ))
    clipped = rules_of(found(), "text-clipped")
    assert len(clipped) == 4, clipped
    assert clipped[0][1] == 200.0 and clipped[0][2] > 400  # width: needs far more than 200
    assert all(value == 60.0 and need > 60 for _, value, need in clipped[1:])  # height


def test_text_set_after_the_label_was_built_is_measured(mount: Mount, driver: Any, si: ModuleType) -> None:
    # kv rules and screens set `text` later: the core label's options keep the first text.
    late = si.label("", at=(100, 1500, 300, 60), text_w=300)
    mount(si.page(late))
    late.text = "Labour dispute: unpaid wages and compensation"
    driver.settle()
    clipped = rules_of(found(), "text-clipped")
    assert [(w, value) for w, value, _ in clipped] == [('Label "Labour dispute: unpaid…"', 60.0)]
    assert clipped[0][2] > 60


def test_widgets_outside_the_window_but_not_scrolled_rows(mount: Mount, si: ModuleType) -> None:
    from kivy.uix.gridlayout import GridLayout
    from kivy.uix.label import Label
    from kivy.uix.scrollview import ScrollView

    outside = si.tile("Off the edge", at=(1000, 100, 200, 100))
    scroll = ScrollView(**si.box(100, 1200, 600, 300))
    rows = GridLayout(cols=1, size_hint_y=None, height=si.dp(2000))
    for i in range(10):
        rows.add_widget(Label(text=f"Row {i}", color=BLACK, font_size=si.dp(24), font_name=si.CJK))
    scroll.add_widget(rows)
    mount(si.page(outside, scroll))
    assert rules_of(found(), "outside-window") == [('Tile "Off the edge"', -120.0, 0.0)]


def test_overlapping_touch_targets(mount: Mount, si: ModuleType) -> None:
    mount(si.page(
        si.tile("Yes", at=(100, 100, 300, 100)),
        si.tile("No", at=(380, 100, 300, 100)),  # 20 dp into "Yes"
        si.tile("Help", at=(700, 100, 300, 100)),  # 20 dp gap: fine
    ))
    assert rules_of(found(), "target-overlap") == [('Tile "Yes" ⟷ Tile "No"', -20.0, 0.0)]


def test_a_row_cut_by_its_scrolling_list_does_not_overlap_the_buttons_below(
        mount: Mount, si: ModuleType) -> None:
    from kivy.uix.gridlayout import GridLayout
    from kivy.uix.scrollview import ScrollView

    scroll = ScrollView(do_scroll_x=False, **si.box(100, 1200, 600, 300))
    rows = GridLayout(cols=1, size_hint_y=None, height=si.dp(500), spacing=si.dp(20))
    for i in range(4):
        rows.add_widget(si.Tile(text=f"Row {i}", font_name=si.CJK, font_size=si.dp(24),
                                size_hint=(1, None), height=si.dp(110)))
    scroll.add_widget(rows)
    # Right under the list: the last rows reach below it, but a touch there is not theirs.
    below = si.tile("Page down", at=(100, 1100, 600, 100))
    # Inside the list's visible part: this one does cover a row.
    covering = si.tile("Covering", at=(400, 1400, 200, 100))
    mount(si.page(scroll, below, covering))
    overlaps = [w for w, _, _ in rules_of(found(), "target-overlap")]
    assert overlaps and all("Covering" in pair for pair in overlaps), overlaps
    assert not any("Page down" in pair for pair in overlaps)


def test_only_what_the_resident_sees_counts(mount: Mount, driver: Any, si: ModuleType) -> None:
    from kivy.uix.modalview import ModalView
    from kivy.uix.screenmanager import NoTransition, Screen, ScreenManager

    sm = ScreenManager(transition=NoTransition())
    shown, hidden = Screen(name="shown"), Screen(name="hidden")
    shown.add_widget(si.page(si.tile("Shown", at=(100, 100, 30, 30)),
                             si.tile("Faded out", at=(300, 100, 30, 30), opacity=0),
                             si.tile("Disabled", at=(500, 100, 30, 30), disabled=True)))
    hidden.add_widget(si.page(si.tile("Other screen", at=(100, 100, 30, 30))))
    sm.add_widget(shown)
    sm.add_widget(hidden)
    mount(sm)
    assert [w for w, _, _ in rules_of(found(), "target-size")] == ['Tile "Shown"']
    sm.current = "hidden"
    driver.settle()
    assert [w for w, _, _ in rules_of(found(), "target-size")] == ['Tile "Other screen"']
    # An open modal covers the screen: only the modal's content can be touched.
    modal = ModalView(size_hint=(None, None), size=(si.dp(800), si.dp(600)), auto_dismiss=False)
    modal.add_widget(si.Tile(text="Continue", font_name=si.CJK, font_size=si.dp(24),
                             size_hint=(None, None), size=(si.dp(40), si.dp(40))))
    modal.open(animation=False)
    driver.settle()
    try:
        assert [w for w, _, _ in rules_of(found(), "target-size")] == ['Tile "Continue"']
    finally:
        modal.dismiss(animation=False)
        driver.settle()


def test_widget_names_use_ids_and_never_show_digits_or_typed_text(mount: Mount, si: ModuleType) -> None:
    from kivy.lang import Builder

    from kiosk.ui.audit import describe, snapshot

    root = Builder.load_string(
        "FloatLayout:\n"
        "    Label:\n"
        "        id: phone_shown\n"
        "        text: '138 1234 5678'\n"
        "    TextInput:\n"
        "        id: search\n"
        "        hint_text: 'Type here'\n"
        "        text: 'my secret words'\n")
    mount(root)
    ids = {root.ids.phone_shown.uid: "phone_shown", root.ids.search.uid: "search"}
    assert describe(root.ids.phone_shown, ids) == 'Label#phone_shown "### #### ####"'
    assert describe(root.ids.search, ids) == 'TextInput#search "Type here"'
    names = " ".join(n.name for n in snapshot()[0])
    assert "secret" not in names and "1234" not in names and "#phone_shown" in names


def test_a_clean_page_has_no_findings_in_any_theme(mount: Mount, si: ModuleType) -> None:
    mount(si.page(
        si.label("您好，请选择您要办理的事项", font=34, at=(90, 1700, 900, 100)),
        si.tile("我要咨询", at=(90, 1400, 440, 200), main=True, font=34),
        si.tile("预约办事", at=(550, 1400, 440, 200), main=True, font=34),
        si.tile("返回", at=(90, 90, 200, 90), font=34),
    ))
    for theme in ("normal", "elderly", "contrast"):
        assert found(theme) == [], theme


def test_icon_glyphs_are_named_not_printed_as_nothing(mount: Mount, si: ModuleType) -> None:
    from kiosk.ui.audit import describe

    icon = si.label("\uf156", at=(100, 100, 80, 80))
    mount(si.page(icon))
    assert describe(icon, {}) == 'Label "icon U+F156"'
