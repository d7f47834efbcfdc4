"""The audit on real Kivy widget trees in a real window: each rule catches a deliberate
violation and leaves the clean twin alone."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from kivy.uix.button import Button
from kivy.uix.floatlayout import FloatLayout
from kivy.uix.gridlayout import GridLayout
from kivy.uix.label import Label
from kivy.uix.modalview import ModalView
from kivy.uix.screenmanager import NoTransition, Screen, ScreenManager
from kivy.uix.scrollview import ScrollView

from kiosk.a11y import LIMITS, Finding
from kiosk.ui.audit import audit, describe, image_color, snapshot

from .standin import CJK, Panel, Tile

Mount = Callable[[Any], Any]
WHITE = [1, 1, 1, 1]
BLACK = [0, 0, 0, 1]


def page(*children: Any, bg: list[float] = WHITE) -> Panel:
    """A full-window white panel holding widgets at fixed positions."""
    root = Panel(bg_color=bg)
    layer = FloatLayout()
    root.add_widget(layer)
    for child in children:
        layer.add_widget(child)
    return root


def label(text: str = "Legal help", **kw: Any) -> Label:
    kw.setdefault("size_hint", (None, None))
    kw.setdefault("size", (600, 80))
    kw.setdefault("pos", (100, 1500))
    kw.setdefault("font_size", 24)
    kw.setdefault("color", BLACK)
    return Label(text=text, font_name=CJK, **kw)


def tile(text: str = "OK", **kw: Any) -> Tile:
    kw.setdefault("size_hint", (None, None))
    kw.setdefault("font_size", 24)
    kw.setdefault("bg_color", [0.05, 0.3, 0.6, 1])
    return Tile(text=text, font_name=CJK, **kw)


def found(theme: str = "normal") -> list[Finding]:
    return audit(LIMITS[theme])


def rules_of(findings: list[Finding], rule: str) -> list[tuple[str, float, float]]:
    return [(f.widget, f.value, f.minimum) for f in findings if f.rule == rule]


def test_touch_targets_main_and_others(mount: Mount) -> None:
    mount(page(
        tile("Small", size=(40, 40), pos=(100, 100)),
        tile("Main", size=(300, 50), pos=(100, 300), main=True),
        tile("Fine", size=(44, 44), pos=(100, 500)),
        tile("Main OK", size=(300, 60), pos=(100, 700), main=True),
    ))
    assert rules_of(found(), "target-size") == [
        ('Tile "Small"', 40.0, 44.0), ('Tile "Main"', 50.0, 60.0)]


def test_text_size_per_theme(mount: Mount) -> None:
    mount(page(label("Tiny words", font_size=14), label("Body", font_size=24, pos=(100, 1300))))
    assert rules_of(found("normal"), "text-size") == [('Label "Tiny words"', 14.0, 18.0)]
    assert rules_of(found("elderly"), "text-size") == [
        ('Label "Tiny words"', 14.0, 30.0), ('Label "Body"', 24.0, 30.0)]


def test_line_spacing_of_wrapped_text_in_elderly_mode(mount: Mount) -> None:
    long = "Bring your identity card, the contract and any pay slips you have kept"
    tight = label(long, font_size=32, line_height=1.0, size=(500, 400), text_size=(500, None))
    roomy = label(long, font_size=32, line_height=1.35, size=(500, 400), text_size=(500, None), pos=(100, 900))
    single = label("One line", font_size=32, line_height=1.0, pos=(100, 500))
    mount(page(tight, roomy, single))
    assert len(tight._label._cached_lines) > 1, "the text should wrap for this test to mean anything"
    assert rules_of(found("elderly"), "line-height") == [('Label "Bring your identity car…"', 1.0, 1.3)]
    assert rules_of(found("normal"), "line-height") == []


def test_contrast_on_the_painted_background_with_alpha(mount: Mount) -> None:
    grey = [0x77 / 255] * 3 + [1]  # 4.48:1 on white
    dark = [0x59 / 255] * 3 + [1]  # 7.0:1 on white
    faint = [0, 0, 0, 0.45]  # black at 45 % on white: about 3.2:1
    mount(page(label("Grey", color=grey), label("Dark", color=dark, pos=(100, 1300)),
               label("Faint", color=faint, pos=(100, 1100))))
    normal = rules_of(found("normal"), "contrast")
    assert [w for w, _, _ in normal] == ['Label "Grey"', 'Label "Faint"']
    assert normal[0][1] < 4.5 and normal[1][1] < 3.5
    # The same "Dark" passes 4.5 but not the 7:1 of the contrast theme (it is 6.99..7.0).
    strict = [w for w, _, _ in rules_of(found("contrast"), "contrast")]
    assert 'Label "Grey"' in strict and 'Label "Faint"' in strict


def test_contrast_uses_the_nearest_painted_ancestor_and_then_the_window(mount: Mount, driver: Any) -> None:
    driver.window.clearcolor = (0, 0, 0, 1)
    inner = Panel(bg_color=[0.1, 0.1, 0.1, 1], size_hint=(None, None), size=(700, 200), pos=(50, 1400))
    inner.add_widget(Label(text="White on dark", color=WHITE, font_size=24, font_name=CJK))
    layer = FloatLayout()
    layer.add_widget(inner)
    layer.add_widget(label("Black on the black window", pos=(100, 600)))
    mount(layer)
    assert [w for w, _, _ in rules_of(found(), "contrast")] == ['Label "Black on the black wind…"']


def test_kivy_button_background_image_is_measured(mount: Mount) -> None:
    # Kivy's stock button image is mid grey: stock white text on it is fine, black is not.
    color = image_color("atlas://data/images/defaulttheme/button")
    assert color is not None and 0.2 < color[0] < 0.5 and color[0] == pytest.approx(color[1], abs=0.02)
    mount(page(Button(text="Stock", size_hint=(None, None), size=(300, 100), pos=(100, 100), font_size=24),
               Button(text="Black", color=BLACK, size_hint=(None, None), size=(300, 100), pos=(100, 300),
                      font_size=24),
               Button(text="Flat", background_normal="", background_color=[1, 1, 0.6, 1], color=WHITE,
                      size_hint=(None, None), size=(300, 100), pos=(100, 500), font_size=24)))
    assert [w for w, _, _ in rules_of(found(), "contrast")] == ['Button "Black"', 'Button "Flat"']


def test_text_clipped_by_its_box(mount: Mount) -> None:
    long = "Labour dispute: unpaid wages and compensation"
    mount(page(
        label(long, size=(200, 60), pos=(100, 1700)),  # one line, far too wide
        label(long, size=(300, 60), text_size=(300, None), pos=(100, 1500)),  # wraps, box too low
        label(long, size=(300, 60), text_size=(300, 60), valign="middle", pos=(100, 1300)),  # cut to fit
        label(long, size=(300, 60), text_size=(300, 60), shorten=True, pos=(100, 1100)),  # "..." hides it
        label(long, size=(900, 80), pos=(100, 900)),  # fits
        label(long, size=(300, 300), text_size=(300, None), pos=(100, 500)),  # wraps and fits
    ))
    clipped = rules_of(found(), "text-clipped")
    assert len(clipped) == 4, clipped
    assert clipped[0][1] == 200.0 and clipped[0][2] > 400  # width: needs far more than 200
    assert all(value == 60.0 and need > 60 for _, value, need in clipped[1:])  # height


def test_text_set_after_the_label_was_built_is_measured(mount: Mount, driver: Any) -> None:
    # kv rules and screens set `text` later: the core label's options keep the first text.
    late = mount(page(label("", size=(300, 60), text_size=(300, None), pos=(100, 1500))))
    late.children[0].children[0].text = "Labour dispute: unpaid wages and compensation"
    driver.settle()
    clipped = rules_of(found(), "text-clipped")
    assert [(w, value) for w, value, _ in clipped] == [('Label "Labour dispute: unpaid…"', 60.0)]
    assert clipped[0][2] > 60


def test_widgets_outside_the_window_but_not_scrolled_rows(mount: Mount) -> None:
    outside = tile("Off the edge", size=(200, 100), pos=(1000, 100))
    scroll = ScrollView(size_hint=(None, None), size=(600, 300), pos=(100, 1200))
    rows = GridLayout(cols=1, size_hint_y=None, height=2000)
    for i in range(10):
        rows.add_widget(Label(text=f"Row {i}", color=BLACK, font_size=24, font_name=CJK))
    scroll.add_widget(rows)
    mount(page(outside, scroll))
    outside_found = rules_of(found(), "outside-window")
    assert outside_found == [('Tile "Off the edge"', -120.0, 0.0)]


def test_overlapping_touch_targets(mount: Mount) -> None:
    mount(page(
        tile("Yes", size=(300, 100), pos=(100, 100)),
        tile("No", size=(300, 100), pos=(380, 100)),  # 20 dp into "Yes"
        tile("Help", size=(300, 100), pos=(700, 100)),  # 20 dp gap: fine
    ))
    assert rules_of(found(), "target-overlap") == [('Tile "Yes" ⟷ Tile "No"', -20.0, 0.0)]


def test_only_what_the_resident_sees_counts(mount: Mount, driver: Any) -> None:
    sm = ScreenManager(transition=NoTransition())
    shown, hidden = Screen(name="shown"), Screen(name="hidden")
    shown.add_widget(page(tile("Shown", size=(30, 30), pos=(100, 100)),
                          tile("Faded out", size=(30, 30), pos=(300, 100), opacity=0),
                          tile("Disabled", size=(30, 30), pos=(500, 100), disabled=True)))
    hidden.add_widget(page(tile("Other screen", size=(30, 30), pos=(100, 100))))
    sm.add_widget(shown)
    sm.add_widget(hidden)
    mount(sm)
    assert [w for w, _, _ in rules_of(found(), "target-size")] == ['Tile "Shown"']
    sm.current = "hidden"
    driver.settle()
    assert [w for w, _, _ in rules_of(found(), "target-size")] == ['Tile "Other screen"']
    # An open modal covers the screen: only the modal's content can be touched.
    modal = ModalView(size_hint=(None, None), size=(800, 600), auto_dismiss=False)
    modal.add_widget(tile("Continue", size_hint=(None, None), size=(40, 40)))
    modal.open(animation=False)
    driver.settle()
    try:
        assert [w for w, _, _ in rules_of(found(), "target-size")] == ['Tile "Continue"']
    finally:
        modal.dismiss(animation=False)
        driver.settle()


def test_widget_names_use_ids_and_never_show_digits_or_typed_text(mount: Mount) -> None:
    from kivy.lang import Builder

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


def test_a_clean_page_has_no_findings_in_any_theme(mount: Mount) -> None:
    mount(page(
        label("您好，请选择您要办理的事项", font_size=34, size=(900, 100), pos=(90, 1700)),
        tile("我要咨询", size=(440, 200), pos=(90, 1400), main=True, font_size=34),
        tile("预约办事", size=(440, 200), pos=(550, 1400), main=True, font_size=34),
        tile("返回", size=(200, 90), pos=(90, 90), font_size=34),
    ))
    for theme in ("normal", "elderly", "contrast"):
        assert found(theme) == [], theme


def test_a_row_cut_by_its_scrolling_list_does_not_overlap_the_buttons_below(mount: Mount) -> None:
    scroll = ScrollView(size_hint=(None, None), size=(600, 300), pos=(100, 1200), do_scroll_x=False)
    rows = GridLayout(cols=1, size_hint_y=None, height=500, spacing=20)
    for i in range(4):
        rows.add_widget(tile(f"Row {i}", size_hint=(1, None), height=110))
    scroll.add_widget(rows)
    # Right under the list: the last rows reach below it, but a touch there is not theirs.
    below = tile("Page down", size=(600, 100), pos=(100, 1100))
    # Inside the list's visible part: this one does cover a row.
    covering = tile("Covering", size=(200, 100), pos=(400, 1400))
    mount(page(scroll, below, covering))
    overlaps = [w for w, _, _ in rules_of(found(), "target-overlap")]
    assert overlaps and all("Covering" in pair for pair in overlaps), overlaps
    assert not any("Page down" in pair for pair in overlaps)
