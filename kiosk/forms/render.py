"""Filling a form template and typesetting it as an A4 PDF.

Templates are content: they arrive signed with the pack, but are still treated as untrusted
input. Jinja's sandbox renders them (no attribute tricks, no Python), autoescaping every
value a resident or a flow supplied; WeasyPrint typesets the HTML with Noto Sans CJK, and
its URL fetcher refuses every URL except inline `data:` images, so a template can neither
read local files into a PDF nor reach the network. WeasyPrint rather than ReportLab:
ReportLab cannot embed Noto Sans CJK (CFF outlines), and HTML with CSS is a format bureau
staff can read and edit.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

log = logging.getLogger(__name__)


class FormError(Exception):
    """A form could not be made; `code` says why (no_template, template_error, render_failed)."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class RenderedForm:
    pdf: bytes
    pages: int
    seconds: float


def environment(templates: Mapping[str, str]) -> SandboxedEnvironment:
    """A sandbox that knows only the given templates (a form may extend `base.html`)."""
    return SandboxedEnvironment(
        loader=jinja2.DictLoader(dict(templates)),
        autoescape=True,
        # A field the resident left out prints as an empty line to fill in by hand.
        undefined=jinja2.ChainableUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def fill(templates: Mapping[str, str], name: str, context: Mapping[str, Any]) -> str:
    """The form's HTML with the context filled in."""
    if name not in templates:
        raise FormError("no_template", name)
    try:
        return environment(templates).get_template(name).render(**context)
    except jinja2.TemplateError as exc:
        raise FormError("template_error", f"{name}: {exc}") from exc


def data_only_fetcher() -> Any:
    """WeasyPrint's own fetcher, allowed the `data:` scheme only: a template's `file:`, `http:`
    or any other URL fails before anything is read."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols={"data"}, allow_redirects=False)


def render_pdf(html: str) -> RenderedForm:
    """Typeset filled HTML as PDF. WeasyPrint is imported here: it takes ~0.4 s to load."""
    started = time.perf_counter()
    try:
        import weasyprint

        document = weasyprint.HTML(string=html, url_fetcher=data_only_fetcher()).render()
        pdf = document.write_pdf()
    except Exception as exc:  # WeasyPrint raises many kinds; the kiosk needs one
        log.warning("form render failed: %s", type(exc).__name__)
        raise FormError("render_failed", type(exc).__name__) from exc
    if not isinstance(pdf, bytes):
        raise FormError("render_failed", "no PDF bytes")
    return RenderedForm(pdf=pdf, pages=len(document.pages), seconds=time.perf_counter() - started)


def make_form(templates: Mapping[str, str], name: str, context: Mapping[str, Any]) -> RenderedForm:
    """Fill and typeset in one call."""
    return render_pdf(fill(templates, name, context))
