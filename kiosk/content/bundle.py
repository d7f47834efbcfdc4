"""Load a content pack (pack.yaml + flows/*.yaml) and a locality into one versioned Bundle.

Loading never raises on bad content: every file that fails to parse or to match the
model becomes a Problem naming file, line and node, and the rest still loads. The
validator adds its graph and expression checks on top; the kiosk refuses to serve a
bundle with problems and keeps the last good one.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import msgspec

from kiosk.applications.model import ApplicationKind
from kiosk.content.examples import SearchExamples, example_files, load_examples
from kiosk.content.model import Hotline, Locality, Office, Pack
from kiosk.content.problems import Problem
from kiosk.content.referrals import REFERRALS_FILE, Referrals, load_referrals
from kiosk.flows.model import Flow
from kiosk.forms.templates import load_templates

if TYPE_CHECKING:  # PyYAML is imported only when YAML is read, never to serve
    from kiosk.content.yamlfile import YamlDoc

M = TypeVar("M", bound=msgspec.Struct)
D = TypeVar("D", Flow, ApplicationKind)

FLOWS_DIR = "flows"
APPLICATIONS_DIR = "applications"
PACK_FILE = "pack.yaml"
FORMS_DIR = "forms"


class Bundle(msgspec.Struct):
    """Everything a kiosk serves from: national pack, flows, and one locality's data."""

    pack: Pack
    locality: Locality
    flows: dict[str, Flow]
    version: str
    #: flow id -> file it came from (as displayed in problems), and its parsed YAML.
    sources: dict[str, YamlDoc] = msgspec.field(default_factory=dict)
    #: Application kinds by id (content/applications/<kind>.yaml).
    applications: dict[str, ApplicationKind] = msgspec.field(default_factory=dict)
    #: kind id -> file it came from (as displayed in problems).
    application_sources: dict[str, YamlDoc] = msgspec.field(default_factory=dict)
    #: A4 form templates by file name (content/forms/*.html), for kiosk.forms.
    forms: dict[str, str] = msgspec.field(default_factory=dict)
    #: Matters of other bodies (content/referrals.yaml), for search's "not here".
    referrals: Referrals | None = None
    #: Residents' phrasings per flow and not ours (content/search/examples/), for search.
    examples: SearchExamples | None = None
    #: The serving cache this bundle was checked into (None: not cached); search keeps its
    #: trained classifier there per content version (kiosk/search/intent_cache.py).
    cache_dir: Path | None = None

    def hotlines(self) -> dict[str, Hotline]:
        """National hotlines, with the locality's entries overriding by id."""
        table = {h.id: h for h in self.pack.hotlines}
        table.update({h.id: h for h in self.locality.hotlines})
        return table

    def offices_for(self, service: str) -> list[Office]:
        return [o for o in self.locality.offices if service in o.services]

    def rule_values(self) -> dict[str, Any]:
        return {name: rule.value for name, rule in self.locality.rules.items()}


def _display(path: Path, base: Path) -> str:
    try:
        return str(path.relative_to(base.parent))
    except ValueError:
        return str(path)


def _validate_model(model: type[M], doc: YamlDoc, problems: list[Problem]) -> M | None:
    try:
        return msgspec.convert(doc.data, model, strict=True)
    except msgspec.ValidationError as exc:
        from kiosk.content.schema_errors import schema_errors  # error path only

        found = schema_errors(model, doc.data)
        if not found:  # a rule beyond the schema (e.g. choices need two): msgspec's words
            loc = _msgspec_loc(str(exc))
            found = [(loc, f"'{'.'.join(map(str, loc)) or '(top)'}': {str(exc).split(' - at ')[0]}")]
        for loc, message in found:
            problems.append(Problem(doc.file, doc.line_of(loc), _node_at(doc.data, loc), message))
        return None


def _msgspec_loc(message: str) -> tuple[str | int, ...]:
    """`$.nodes[3].text` in a msgspec error -> ("nodes", 3, "text")."""
    if " - at `$" not in message:
        return ()
    path = message.rsplit(" - at `$", 1)[1].rstrip("`")
    return tuple(int(p) if p.isdigit() else p for p in re.findall(r"\.(\w+)|\[(\d+)\]", path)
                 for p in p if p)


def _node_at(data: Any, loc: tuple[Any, ...]) -> str | None:
    if len(loc) >= 2 and loc[0] == "nodes" and isinstance(loc[1], int):
        nodes = data.get("nodes") if isinstance(data, dict) else None
        if isinstance(nodes, list) and loc[1] < len(nodes) and isinstance(nodes[loc[1]], dict):
            node_id = nodes[loc[1]].get("id")
            return str(node_id) if node_id is not None else f"nodes[{loc[1]}]"
    return None


def read_document(
    model: type[M], path: Path, base: Path, problems: list[Problem]
) -> tuple[M, YamlDoc] | None:
    """One content file read as YAML and checked against `model` (None: it does not load or
    fit; what is wrong is in `problems`, named by the file's path below `base`'s parent)."""
    from kiosk.content.yamlfile import ContentFileError, load_yaml

    try:
        doc = load_yaml(path, _display(path, base))
    except ContentFileError as exc:
        problems.append(Problem(exc.file, exc.line, None, exc.message))
        return None
    item = _validate_model(model, doc, problems)
    return None if item is None else (item, doc)


def load_pack(content_dir: Path, problems: list[Problem]) -> Pack | None:
    read = read_document(Pack, content_dir / PACK_FILE, content_dir, problems)
    return read[0] if read else None


def load_locality(path: Path, problems: list[Problem]) -> Locality | None:
    read = read_document(Locality, path, path.parent, problems)
    return read[0] if read else None


def flow_files(target: Path) -> list[Path]:
    """The flow files under a content folder, or the one file named."""
    if target.is_file():
        return [target]
    folder = target / FLOWS_DIR if (target / FLOWS_DIR).is_dir() else target
    return sorted(folder.glob("*.yaml"))


def _load_documents(
    model: type[D], what: str, files: list[Path], base: Path, problems: list[Problem],
    *, keep_mismatched: bool,
) -> tuple[dict[str, D], dict[str, YamlDoc]]:
    """Read each YAML file into `model`, keyed by its id. The id must match the file name
    (`flows/<id>.yaml` is how kiosks and the central service address a document); a flow
    whose id differs is kept so its other problems are still reported, a kind is dropped."""
    loaded: dict[str, D] = {}
    sources: dict[str, YamlDoc] = {}
    for path in files:
        read = read_document(model, path, base, problems)
        if read is None:
            continue
        item, doc = read
        if item.id != path.stem:
            problems.append(Problem(doc.file, doc.line_of(("id",)), None,
                                    f"{what} id '{item.id}' differs from the file name: "
                                    "rename one to match"))
            if not keep_mismatched:
                continue
        if item.id in loaded:
            problems.append(Problem(doc.file, doc.line_of(("id",)), None,
                                    f"{what} id '{item.id}' is used twice: give each {what} its own id"))
            continue
        loaded[item.id] = item
        sources[item.id] = doc
    return loaded, sources


def load_flows(
    files: list[Path], base: Path, problems: list[Problem]
) -> tuple[dict[str, Flow], dict[str, YamlDoc]]:
    return _load_documents(Flow, "flow", files, base, problems, keep_mismatched=True)


def application_files(content_dir: Path) -> list[Path]:
    """The application kind files of a content folder (none is fine: no kind offered)."""
    folder = content_dir / APPLICATIONS_DIR
    return sorted(folder.glob("*.yaml")) if folder.is_dir() else []


def load_applications(
    files: list[Path], base: Path, problems: list[Problem]
) -> tuple[dict[str, ApplicationKind], dict[str, YamlDoc]]:
    return _load_documents(ApplicationKind, "application kind", files, base, problems,
                           keep_mismatched=False)


def content_version(pack_version: str, files: list[Path]) -> str:
    """Pack version plus a digest of every file, so any edit gives a new version."""
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return f"{pack_version}+{digest.hexdigest()[:12]}"


def load_bundle(content_dir: Path, locality_path: Path) -> tuple[Bundle | None, list[Problem]]:
    """Load everything; return the bundle (None if the pack or locality is unusable)."""
    problems: list[Problem] = []
    pack = load_pack(content_dir, problems)
    locality = load_locality(locality_path, problems)
    files = flow_files(content_dir)
    flows, sources = load_flows(files, content_dir, problems)
    kind_files = application_files(content_dir)
    kinds, kind_sources = load_applications(kind_files, content_dir, problems)
    referrals = load_referrals(content_dir, problems)
    examples = load_examples(content_dir, problems)
    if pack is None or locality is None:
        return None, problems
    forms = load_templates(content_dir)
    form_files = [content_dir / FORMS_DIR / name for name in forms]
    all_files = [*files, *kind_files, *form_files, *example_files(content_dir), content_dir / PACK_FILE,
                 locality_path]
    if referrals is not None:
        all_files.append(content_dir / REFERRALS_FILE)
    version = content_version(pack.version, all_files)
    bundle = Bundle(pack, locality, flows, version, sources, kinds, kind_sources, forms, referrals, examples)
    return bundle, problems
