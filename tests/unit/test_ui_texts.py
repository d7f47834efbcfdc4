"""UI chrome catalogues and theme numbers, checked without a window."""

from __future__ import annotations

from kiosk.ui.i18n import Translator, catalogue_path, extract_msgids, load_catalogue
from kiosk.ui.theme import THEMES, contrast_ratio

PAIRS = [("text", "bg"), ("text", "surface"), ("muted", "bg"), ("muted", "surface"),
         ("on_primary", "primary"), ("on_secondary", "secondary"), ("accent", "surface"),
         ("on_selected", "selected"), ("warn_text", "warn_bg"), ("text", "secondary")]


def test_every_ui_message_has_a_chinese_translation() -> None:
    used = extract_msgids()
    assert len(used) > 100, "the extractor found too few messages: is it looking in the right place?"
    zh = load_catalogue("zh-CN")
    missing = sorted(m for m in used if m not in zh)
    assert missing == []
    assert sorted(set(zh) - used) == []  # no stale entries left behind
    placeholders = [m for m in used if "{" in m and sorted(_fields(m)) != sorted(_fields(zh[m]))]
    assert placeholders == []


def _fields(text: str) -> list[str]:
    import string

    return [f for _, f, _, _ in string.Formatter().parse(text) if f]


def test_english_is_the_message_id_and_formatting_fills_placeholders() -> None:
    t = Translator()
    assert catalogue_path("zh-CN").is_file() and catalogue_path("en").is_file()
    assert t("Back", "en") == "Back" and t("Back", "zh-CN") == "返回"
    assert t("{n} places free", "zh-CN", n=3) == "还有3个名额"
    assert t("a message nobody wrote", "zh-CN") == "a message nobody wrote"


def test_theme_contrast_meets_the_minimum_of_each_theme() -> None:
    for theme in THEMES.values():
        minimum = 7.0 if theme.name == "contrast" else 4.5
        for fg, bg in PAIRS:
            ratio = contrast_ratio(getattr(theme, fg), getattr(theme, bg))
            assert ratio >= minimum, (theme.name, fg, bg, round(ratio, 2))


def test_theme_sizes_meet_the_accessibility_numbers() -> None:
    for theme in THEMES.values():
        smallest = min(theme.small, theme.body)
        assert smallest >= (30 if theme.name == "elderly" else 18)
        assert theme.main_target >= 60 and theme.min_target >= 44
        assert theme.button_height >= theme.main_target
    assert THEMES["elderly"].line_height >= 1.3
    assert contrast_ratio((0, 0, 0, 1), (1, 1, 1, 1)) == 21.0
