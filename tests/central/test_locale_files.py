"""The central service's gettext catalogues. The .mo files are committed (nothing in CI builds
them; Django reads them at run time), so each must say what its .po says; and each .po must be
one that `msgfmt -c` accepts for Chinese: a filled Language header and one plural form."""

from __future__ import annotations

import gettext
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

CENTRAL = Path(__file__).resolve().parents[2] / "central"
CATALOGUES = sorted(CENTRAL.rglob("locale/*/LC_MESSAGES/django.po"))


def test_the_catalogues_are_found() -> None:
    assert len(CATALOGUES) >= 4, CATALOGUES


@pytest.mark.parametrize("po", CATALOGUES, ids=[str(p.relative_to(CENTRAL).parts[0]) for p in CATALOGUES])
def test_header_plurals_and_the_compiled_file_agree(po: Path) -> None:
    with po.open("rb") as f:
        catalog = read_po(f, abort_invalid=True)  # e.g. more msgstr[n] than the header's nplurals
    assert str(catalog.locale) == "zh_Hans", "the Language header names the catalogue's language"
    assert (catalog.num_plurals, catalog.plural_expr) == (1, "0")
    messages = [m for m in catalog if m.id and not m.fuzzy]
    with po.with_suffix(".mo").open("rb") as f:
        mo = gettext.GNUTranslations(f)
    assert mo.info()["plural-forms"] == "nplurals=1; plural=0;"
    stale = []
    for m in messages:
        if m.pluralizable:
            want, got = m.string[0] or m.id[0], mo.npgettext(m.context, m.id[0], m.id[1], 5) if m.context \
                else mo.ngettext(m.id[0], m.id[1], 5)
        else:
            want, got = m.string or m.id, mo.pgettext(m.context, m.id) if m.context else mo.gettext(m.id)
        if got != want:
            stale.append(m.id)
    assert not stale, f"{po.with_suffix('.mo')} is older than its .po (msgfmt --check-format -o): {stale[:5]}"
