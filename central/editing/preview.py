"""What a resident sees: the kiosk's own renderer and engine (Kivy-free) over a bundle made
from the editor's working copy, so the preview and the walk are the kiosk's behaviour.

Bundles are built from the content files as the kiosk would get them, in a temporary
folder, and kept for a few versions (a walk restores only on the bundle it began on).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import tempfile
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any

from central.publishing.content import content_files
from kiosk.content.bundle import Bundle, load_bundle
from kiosk.flows.engine import FlowEngine, FlowSession, default_chain
from kiosk.flows.model import ComputeNode
from kiosk.flows.render import Renderer
from kiosk.flows.views import Screen

CACHE_SIZE = 8
_cache: OrderedDict[str, Bundle | None] = OrderedDict()
_lock = threading.Lock()


class PreviewUnavailable(Exception):
    """The working copy cannot be loaded by the kiosk (schema problems): fix those first."""


def bundle_for(flow_id: str, text: str) -> Bundle:
    mine = f"flows/{flow_id}.yaml"  # the other flows are not needed to show or walk this one
    files = {path: data for path, data in content_files((flow_id, text)).items()
             if not path.startswith("flows/") or path == mine}
    localities = sorted(p for p in files if p.startswith("localities/"))
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(path.encode() + b"\0" + files[path] + b"\0")
    key = digest.hexdigest()
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            cached = _cache[key]
            if cached is None:
                raise PreviewUnavailable(flow_id)
            return cached
    bundle = None
    if localities:
        with tempfile.TemporaryDirectory(prefix="central-preview-") as tmp:
            root = Path(tmp)
            for path, data in files.items():
                (root / path).parent.mkdir(parents=True, exist_ok=True)
                (root / path).write_bytes(data)
            bundle, _problems = load_bundle(root, root / localities[0])
            if bundle is not None and flow_id not in bundle.flows:
                bundle = None
            if bundle is not None:
                bundle.sources = {}  # line lookups need the files, which go with the folder
    with _lock:
        _cache[key] = bundle
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    if bundle is None:
        raise PreviewUnavailable(flow_id)
    return bundle


def node_screen(bundle: Bundle, flow_id: str, node_id: str, locale: str,
                today: dt.date | None = None) -> Screen | None:
    """The screen of one node as the kiosk draws it (None for compute nodes, never shown)."""
    flow = bundle.flows[flow_id]
    node = flow.node(node_id)
    if isinstance(node, ComputeNode):
        return None
    r = Renderer(bundle, flow, default_chain(locale), locale, {}, bundle.rule_values(),
                 today or dt.date.today())
    return r.screen(node, node.step or flow.steps[0].id, False, None)


def start_walk(bundle: Bundle, flow_id: str, locale: str) -> FlowSession:
    return FlowEngine(bundle).start(flow_id, locale)


def restore_walk(bundle: Bundle, state: dict[str, Any]) -> FlowSession:
    """StaleSession when the working copy changed since the walk began."""
    return FlowEngine(bundle).restore(state)


def parse_answer(screen: Screen, raw: str) -> Any:
    """A posted answer in the type the engine checks (it says what is wrong, not us)."""
    if screen.input == "yesno":
        return {"yes": True, "no": False}.get(raw, raw)
    return raw


def scenario_from_walk(session: FlowSession, name: str) -> dict[str, Any]:
    """The walk as a scenario entry: the answers on the path and the outcome reached."""
    answers: dict[str, Any] = {}
    for node_id in session.state.path[:-1]:
        node = session.compiled.nodes[node_id]
        if node_id in session.state.answers and hasattr(node, "var"):
            answers[node_id] = session.state.answers[node_id]  # dates stay dates in the YAML
    entry: dict[str, Any] = {"name": name, "answers": answers, "expect": session.state.path[-1]}
    if any(isinstance(v, dt.date) for v in session.state.answers.values()):
        entry["today"] = session.engine.clock()  # so the scenario does not rot
    return entry
