"""An outcome as the kiosk shows it, from the latest publication, for the phone page /o/.

The kiosk's own loader and renderer do the work (kiosk.content.bundle, kiosk.flows.render),
so the phone shows what the screen showed. Parsed bundles are kept per publication.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from django.utils import timezone

from central.casework.kinds import latest_publication, published_text
from central.publishing.models import Publication

FLOW_RE = re.compile(r"^[a-z][a-z0-9-]{0,47}$")
NODE_RE = re.compile(r"^[a-z][a-z0-9_]{0,47}$")
LOCALES = ("zh-CN", "en")
_cache: dict[tuple[int, str, str], Any] = {}


class _Unknown(Mapping[str, str]):
    """The resident's answers are not on the phone: a placeholder for one reads '…'."""

    def __getitem__(self, key: str) -> str:
        return "…"

    def __contains__(self, key: object) -> bool:
        return True

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0


def _locality_path(publication: Publication, county: str) -> str | None:
    names = sorted(p for p in publication.files if p.startswith("localities/"))
    wanted = f"localities/{county}.yaml"
    return wanted if wanted in names else (names[0] if names else None)


def _bundle(publication: Publication, flow_id: str, locality: str) -> Any:
    from kiosk.content.bundle import Bundle, load_flows, load_locality, load_pack

    key = (publication.version, flow_id, locality)
    if key in _cache:
        return _cache[key]
    texts = {name: published_text(name, publication)
             for name in ("pack.yaml", f"flows/{flow_id}.yaml", locality)}
    bundle = None
    if all(t is not None for t in texts.values()):
        with tempfile.TemporaryDirectory(prefix="central-outcome-") as tmp:
            root = Path(tmp)
            for name, text in texts.items():
                (root / name).parent.mkdir(parents=True, exist_ok=True)
                (root / name).write_text(str(text), encoding="utf-8")
            problems: list[Any] = []
            pack, place = load_pack(root, problems), load_locality(root / locality, problems)
            flows, _ = load_flows([root / "flows" / f"{flow_id}.yaml"], root, problems)
            if pack is not None and place is not None and flow_id in flows:
                bundle = Bundle(pack, place, flows, f"v{publication.version}")
    if len(_cache) > 200:
        _cache.clear()
    _cache[key] = bundle
    return bundle


def outcome_view(flow_id: str, node_id: str, locale: str, county: str = "") -> Any:
    """The kiosk's OutcomeView, or None for an unknown flow, node or a node that is no outcome."""
    from kiosk.flows.model import OutcomeNode
    from kiosk.flows.render import Renderer

    if not FLOW_RE.match(flow_id) or not NODE_RE.match(node_id):
        return None
    publication = latest_publication()
    locality = _locality_path(publication, county) if publication is not None else None
    if publication is None or locality is None:
        return None
    bundle = _bundle(publication, flow_id, locality)
    if bundle is None:
        return None
    flow = bundle.flows[flow_id]
    node = flow.node_map().get(node_id)
    if not isinstance(node, OutcomeNode):
        return None
    locale = locale if locale in LOCALES else "zh-CN"
    chain = [locale, *(x for x in LOCALES if x != locale)]
    renderer = Renderer(bundle, flow, chain, locale, _Unknown(), bundle.rule_values(), timezone.localdate())
    return renderer.outcome(node)
