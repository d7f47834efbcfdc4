"""UI chrome texts through gettext catalogues (kiosk/locale/<ll_CC>/LC_MESSAGES/kiosk.po).

Message ids are the English texts, as gettext has it; a missing translation shows the
English. Catalogues are read with Babel once per locale, so switching language at run time
is a dictionary swap. Content texts do not come from here: the engine picks them from the
content's own locale maps.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "kiosk"


def catalogue_path(locale: str, root: Path = LOCALE_DIR) -> Path:
    return root / locale.replace("-", "_") / "LC_MESSAGES" / f"{DOMAIN}.po"


def load_catalogue(locale: str, root: Path = LOCALE_DIR) -> dict[str, str]:
    """msgid -> msgstr for one locale ({} when there is no catalogue, i.e. English)."""
    from babel.messages.pofile import read_po

    path = catalogue_path(locale, root)
    if not path.exists():
        return {}
    with path.open("rb") as handle:
        catalog = read_po(handle)
    return {str(m.id): str(m.string) for m in catalog if m.id and m.string and not m.fuzzy}


class Translator:
    """Translations for the configured locales, loaded on first use of each."""

    def __init__(self, root: Path = LOCALE_DIR) -> None:
        self.root = root
        self._tables: dict[str, dict[str, str]] = {}

    def table(self, locale: str) -> dict[str, str]:
        if locale not in self._tables:
            self._tables[locale] = load_catalogue(locale, self.root)
        return self._tables[locale]

    def __call__(self, msgid: str, locale: str, **params: Any) -> str:
        text = self.table(locale).get(msgid, msgid)
        return text.format(**params) if params else text


def N_(msgid: str) -> str:
    """Marks a message id kept in a table and translated later (gettext's convention)."""
    return msgid


def extract_msgids(root: Path | None = None) -> set[str]:
    """Every message id the UI uses: `t("...")` / `N_("...")` in Python, `app.t("...")` in .kv."""
    import ast
    import re

    root = root or Path(__file__).resolve().parent.parent
    found: set[str] = set()
    sources = [*sorted((root / "ui").rglob("*.py")), root / "app.py"]
    for path in sources:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            first = node.args[0]
            if name in ("t", "N_") and isinstance(first, ast.Constant) and isinstance(first.value, str):
                found.add(first.value)
    for path in sorted((root / "ui").rglob("*.kv")):
        found.update(re.findall(r'app\.t\("((?:[^"\\]|\\.)*)"', path.read_text(encoding="utf-8")))
    return found
