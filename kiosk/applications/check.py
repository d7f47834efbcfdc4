"""Checks on application kinds that a schema cannot make, run by `kiosk validate`.

A kind must name a service of the catalogue that some office of the locality offers,
carry every text in every locale, and declare every field its A4 form template uses:
a `{{ person.X }}`, `{{ case.X }}` or `{{ answers.X }}` the kind does not declare would
print blank on a form a resident signs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from kiosk.applications.model import ApplicationKind
from kiosk.content.bundle import Bundle
from kiosk.content.problems import Problem
from kiosk.flows.model import LegalBasis

FORMS_DIR = "forms"

#: Any `person.x` / `case.x` / `answers.x` inside a `{{ ... }}` or `{% ... %}` tag.
_TAG = re.compile(r"\{\{(.*?)\}\}|\{%(.*?)%\}", re.S)
_REF = re.compile(r"(?<![\w.])(person|case|answers)\.([A-Za-z_][A-Za-z0-9_]*)")


def template_fields(text: str) -> list[tuple[str, str, int]]:
    """(scope, field, line) of every placeholder in a template, in order."""
    found: list[tuple[str, str, int]] = []
    for tag in _TAG.finditer(text):
        body = tag.group(1) if tag.group(1) is not None else tag.group(2)
        line = text.count("\n", 0, tag.start()) + 1
        found += [(m.group(1), m.group(2), line) for m in _REF.finditer(body)]
    return found


def declared(kind: ApplicationKind, scope: str) -> set[str]:
    if scope == "person":
        return {f.value for f in kind.fields}
    if scope == "case":
        return set(kind.case)
    return set(kind.takes)


_INCLUDE = re.compile(r"""\{%-?\s*include\s+["']([\w.-]+\.html)["']\s*-?%\}""")


def with_includes(text: str, folder: Path, depth: int = 3) -> str:
    """The template with the parts it includes (`{% include "_person.html" %}`) written in, so
    their placeholders are checked against the kind too."""
    if depth == 0:
        return text
    return _INCLUDE.sub(lambda m: with_includes((folder / m.group(1)).read_text(encoding="utf-8"), folder,
                                               depth - 1), text)


def form_problems(kind: ApplicationKind, template: Path, shown: str) -> list[Problem]:
    """Placeholders in `template` (and what it includes) that the kind does not declare."""
    try:
        text = with_includes(template.read_text(encoding="utf-8"), template.parent)
    except (OSError, UnicodeDecodeError) as exc:
        return [Problem(shown, None, None, f"cannot read the form template: {exc}")]
    problems = []
    for scope, name, line in template_fields(text):
        if name not in declared(kind, scope):
            where = {"person": "person", "case": "case", "answers": "takes"}[scope]
            problems.append(Problem(shown, line, None,
                                    f"uses {{{{ {scope}.{name} }}}} but application kind "
                                    f"'{kind.id}' does not declare '{name}' in '{where}': "
                                    f"add it there or remove it from the form"))
    return problems


def _texts(kind: ApplicationKind) -> Iterable[tuple[str, dict[str, str]]]:
    yield "title", kind.title
    for name, prompt in kind.case.items():
        yield f"case.{name}", prompt
    consent = kind.consent
    for name in ("what", "whom", "why", "how_long", "rights", "id_number"):
        text = getattr(consent, name)
        if text is not None:
            yield f"consent.{name}", text
    if kind.decision is not None:
        yield "decision.what", kind.decision.what
        basis: LegalBasis = kind.decision.basis
        yield "decision.basis.law", basis.law
        yield "decision.basis.article", basis.article


def kind_problems(kind: ApplicationKind, bundle: Bundle, locales: Sequence[str],
                  content_dir: Path | None) -> list[Problem]:
    doc = bundle.application_sources.get(kind.id)
    file = doc.file if doc else f"applications/{kind.id}.yaml"

    def at(key: str, message: str) -> Problem:
        return Problem(file, doc.line_of((key,)) if doc else None, None, message)

    problems: list[Problem] = []
    services = {s.id for s in bundle.pack.services}
    if kind.service not in services:
        problems.append(at("service", f"service '{kind.service}' is not in the service catalogue "
                                      "(pack.yaml)"))
    elif not bundle.offices_for(kind.service):
        problems.append(at("service", f"no office in locality '{bundle.locality.id}' offers "
                                      f"'{kind.service}': nobody would receive this application"))
    for where, text in _texts(kind):
        missing = [loc for loc in locales if loc not in text]
        if missing:
            problems.append(at(where.split(".")[0], f"'{where}' has no text in {', '.join(missing)}"))
    if kind.form is not None and kind.form != f"{FORMS_DIR}/{kind.id}.html":
        problems.append(at("form", f"form must be '{FORMS_DIR}/{kind.id}.html', not '{kind.form}'"))
    if content_dir is not None:
        template = content_dir / FORMS_DIR / f"{kind.id}.html"
        if template.is_file():
            problems += form_problems(kind, template, f"{FORMS_DIR}/{kind.id}.html")
    return problems


def application_problems(bundle: Bundle, locales: Sequence[str],
                         content_dir: Path | None) -> list[Problem]:
    """Every kind's problems; a kind with problems should not be served."""
    problems: list[Problem] = []
    for _, kind in sorted(bundle.applications.items()):
        problems += kind_problems(kind, bundle, locales, content_dir)
    return problems
