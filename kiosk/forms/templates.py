"""Loading a content pack's form templates (`forms/*.html`)."""

from __future__ import annotations

from pathlib import Path


def load_templates(content_dir: Path) -> dict[str, str]:
    """Every `forms/*.html` of the pack by file name (`legal-aid.html`, `base.html`)."""
    folder = content_dir / "forms"
    if not folder.is_dir():
        return {}
    return {path.name: path.read_text(encoding="utf-8") for path in sorted(folder.glob("*.html"))}
