"""The law and article picker, fed by the statute folder when it is on this machine
(kiosk/content/citations.py reads it); without it, law and article are free text and the
publish-time citation check stays the kiosk's."""

from __future__ import annotations

import functools
from pathlib import Path

from central.conf import conf
from kiosk.content.citations import LawLibrary


@functools.lru_cache(maxsize=1)
def library() -> LawLibrary | None:
    folder = Path(str(conf("LAWS_DIR")))
    return LawLibrary(folder) if folder.is_dir() else None


def law_titles() -> list[str]:
    lib = library()
    return sorted(lib._by_title) if lib is not None else []


def articles(law: str) -> list[str]:
    lib = library()
    statute = lib.statute(law) if lib is not None else None
    return list(statute.articles) if statute is not None else []


def citation_problem(law: str, article: str) -> str | None:
    """Why law + article does not resolve, or None (also None when there is no folder)."""
    lib = library()
    return lib.check(law, article) if lib is not None and law and article else None
