"""What a form template is filled with: person, case, answers and the form's own lines."""

from __future__ import annotations

import base64
import io
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class FormMeta:
    """The lines every form prints besides the applicant's fields."""

    title: str
    #: The receiving body, as the locality names it; empty on a blank form.
    body: str = ""
    code_display: str = ""
    #: 2026年12月6日
    date: str = ""
    #: The phone page the QR code opens (`<public_base_url>/a/<code>`); empty: no QR.
    status_url: str = ""
    #: One sentence: when the decision is due and by which article.
    decision: str = ""


def qr_data_uri(url: str) -> str:
    """A PNG QR code inline: form templates may load no URL but `data:`."""
    import qrcode
    from qrcode.image.pil import PilImage

    image = qrcode.make(url, border=1, box_size=6, image_factory=PilImage)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def chinese_date(year: int, month: int, day: int) -> str:
    return f"{year}年{month}月{day}日"


def form_context(
    meta: FormMeta,
    person: Mapping[str, str] | None = None,
    case: Mapping[str, str] | None = None,
    answers: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The template's variables. A blank form (no consent) passes no person and no case."""
    form = {
        "title": meta.title, "body": meta.body, "code_display": meta.code_display, "date": meta.date,
        "decision": meta.decision, "qr": qr_data_uri(meta.status_url) if meta.status_url else "",
    }
    return {
        "form": form, "person": dict(person or {}), "case": dict(case or {}), "answers": dict(answers or {}),
    }
