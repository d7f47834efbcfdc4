"""The CJK font is checked at start with an error naming the Debian package; a collection
(.ttc) yields its Simplified-Chinese face as a file of its own."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.bootstrap import CJK_FONT, CJK_FONT_BOLD, ICON_FONT
from kiosk.ui.fonts import FontMissing, check_fonts, face_file


def test_a_missing_font_names_the_package(tmp_path: Path) -> None:
    with pytest.raises(FontMissing, match="fonts-noto-cjk"):
        check_fonts(tmp_path / "nope.ttc", tmp_path / "nope-bold.ttc", Path(ICON_FONT))
    with pytest.raises(FontMissing, match="fonts-materialdesignicons-webfont"):
        check_fonts(Path(__file__), Path(__file__), tmp_path / "icons.ttf")


@pytest.mark.skipif(not Path(CJK_FONT).is_file(), reason="fonts-noto-cjk is not installed")
def test_the_simplified_chinese_face_is_extracted_once(tmp_path: Path) -> None:
    from fontTools.ttLib import TTFont

    path = face_file(Path(CJK_FONT), "Noto Sans CJK SC", tmp_path)
    assert path.parent == tmp_path and path.suffix == ".otf"
    with TTFont(str(path), lazy=True) as font:
        assert font["name"].getDebugName(1) == "Noto Sans CJK SC"
    mtime = path.stat().st_mtime_ns
    assert face_file(Path(CJK_FONT), "Noto Sans CJK SC", tmp_path) == path
    assert path.stat().st_mtime_ns == mtime  # cached, not written again
    assert face_file(Path(ICON_FONT), "Noto Sans CJK SC", tmp_path) == Path(ICON_FONT)
    assert Path(CJK_FONT_BOLD).is_file()
