"""Application kinds as the latest publication has them (content/applications/<kind>.yaml).

Read defensively: the file is content, written and published by others, and this service
must answer 4xx, never 5xx, whatever it holds. Only what the central service needs is read:
the receiving service, the personal fields, the decision deadline and retention.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from central.conf import conf
from central.publishing import tuf_repo
from central.publishing.models import Publication

log = logging.getLogger(__name__)
KIND_RE = re.compile(r"^[a-z][a-z0-9-]{0,47}$")
CALLBACK = "callback"
_cache: dict[tuple[int, str], Kind | None] = {}


@dataclass(frozen=True)
class Kind:
    id: str
    service: str
    #: Personal fields the kind asks for; `required` those it cannot do without (in the
    #: file, an optional one ends with "?": `[phone, name?]`).
    person: tuple[str, ...]
    required: frozenset[str]
    title: dict[str, str]
    days: int | None = None
    working_days: bool = False
    basis: dict[str, str] = field(default_factory=dict)
    retention_days: int = 365

    @property
    def is_callback(self) -> bool:
        return self.id == CALLBACK


def _text(value: Any) -> dict[str, str]:
    """A locale map or a plain string, as {"zh-CN": …, "en": …} (strings only)."""
    if isinstance(value, str):
        return {"zh-CN": value, "en": value}
    if isinstance(value, dict):
        return {str(k): str(v) for k, v in value.items() if isinstance(v, str | int)}
    return {}


def _basis(value: Any) -> dict[str, str]:
    if isinstance(value, list) and value:
        value = value[0]
    if not isinstance(value, dict):
        return _text(value)
    law, article = _text(value.get("law")), _text(value.get("article"))
    return {loc: f"{law.get(loc, '')} {article.get(loc, article.get('zh-CN', ''))}".strip()
            for loc in {*law, *article}}


def _int(value: Any, low: int, high: int) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        return None
    return value


def parse_kind(kind_id: str, data: Any) -> Kind | None:
    if not isinstance(data, dict) or not isinstance(data.get("service"), str):
        return None
    person: list[Any] = data["person"] if isinstance(data.get("person"), list) else []
    entries = [p.strip() for p in person if isinstance(p, str)]
    decision: dict[str, Any] = data["decision"] if isinstance(data.get("decision"), dict) else {}
    title = _text(data.get("title") or data.get("name"))
    retention = _int(data.get("retention_days"), 0, 36500)
    return Kind(
        id=kind_id, service=data["service"],
        person=tuple(p.rstrip("?") for p in entries),
        required=frozenset(p for p in entries if not p.endswith("?")),
        title=title, days=_int(decision.get("days"), 0, 3650),
        working_days=decision.get("working_days") is True, basis=_basis(decision.get("basis")),
        retention_days=retention if retention is not None else conf("APPLICATION_RETENTION_DAYS"))


def load_yaml(text: str) -> Any:
    """As the kiosk reads content (libyaml when present, kiosk/content/yamlfile.py): the pure
    Python loader refuses `[phone, name?]`, which libyaml reads as the kiosk does."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(text, Loader=loader)


def latest_publication() -> Publication | None:
    return Publication.objects.order_by("-version").first()


def published_text(path: str, publication: Publication | None = None) -> str | None:
    """A file of the latest (or the given) publication, or None if absent or unreadable."""
    publication = publication or latest_publication()
    meta = publication.files.get(path) if publication is not None else None
    if not isinstance(meta, dict) or "sha256" not in meta:
        return None
    try:
        return tuf_repo.read_target(path, str(meta["sha256"])).decode("utf-8")
    except (OSError, ValueError) as exc:
        log.error("published file %s unreadable: %s", path, exc)
        return None


def find_kind(kind_id: str) -> Kind | None:
    """The kind from the latest publication, or None when it is unknown or unusable."""
    if not KIND_RE.match(kind_id):
        return None
    publication = latest_publication()
    if publication is None:
        return None
    key = (publication.version, kind_id)
    if key not in _cache:
        text = published_text(f"applications/{kind_id}.yaml", publication)
        kind = None
        if text is not None:
            import yaml

            try:
                kind = parse_kind(kind_id, load_yaml(text))
            except yaml.YAMLError:
                log.error("applications/%s.yaml does not parse", kind_id)
        _cache[key] = kind
    return _cache[key]


def kind_title(kind_id: str, locale: str) -> str:
    kind = find_kind(kind_id)
    if kind is not None and kind.title:
        return kind.title.get(locale) or kind.title.get("zh-CN") or kind_id
    return {"callback": _("Callback")}.get(kind_id, kind_id)
