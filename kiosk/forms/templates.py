"""Loading a content pack's form templates (`forms/*.html`)."""

from __future__ import annotations

import re
from pathlib import Path

#: `{{ person.name }}`, `{{ case.facts | default("") }}`: the fields a template uses.
PLACEHOLDER = re.compile(r"\{\{-?\s*(person|case|answers)\.([a-z_][a-z0-9_]*)")


def load_templates(content_dir: Path) -> dict[str, str]:
    """Every `forms/*.html` of the pack by file name (`legal-aid.html`, `base.html`)."""
    folder = content_dir / "forms"
    if not folder.is_dir():
        return {}
    return {path.name: path.read_text(encoding="utf-8") for path in sorted(folder.glob("*.html"))}


def fields_used(template: str) -> set[tuple[str, str]]:
    """The (group, field) pairs a template fills, for the validator's cross-check with its kind."""
    return {(m.group(1), m.group(2)) for m in PLACEHOLDER.finditer(template)}
