"""The compiled bundle: one JSON file with everything a kiosk serves from.

YAML is for authors; a kiosk serves from this file. It is written only from content
that loaded without a single problem, named by the digest of its sources, and replaced
atomically, so a kiosk either has a whole verified bundle or keeps the last one. Decoding
it is strict and typed (msgspec), and needs neither PyYAML nor the validator, which is
what keeps "process start -> flows ready" under 200 ms on a 2-core terminal.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import msgspec

from kiosk.applications.model import ApplicationKind
from kiosk.content.bundle import (
    PACK_FILE,
    Bundle,
    application_files,
    content_version,
    flow_files,
    load_bundle,
)
from kiosk.content.examples import SearchExamples, example_files
from kiosk.content.model import Locality, Pack
from kiosk.content.problems import Problem
from kiosk.content.referrals import REFERRALS_FILE, Referrals
from kiosk.flows.model import Flow

log = logging.getLogger(__name__)

FORMAT = 5  # 2: application kinds; 3: form templates; 4: referrals; 5: search examples


class CompiledBundle(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    format: int
    version: str
    pack: Pack
    locality: Locality
    flows: list[Flow]
    applications: list[ApplicationKind] = msgspec.field(default_factory=list)
    forms: dict[str, str] = msgspec.field(default_factory=dict)
    referrals: Referrals | None = None
    examples: SearchExamples | None = None

    def to_bundle(self) -> Bundle:
        return Bundle(self.pack, self.locality, {f.id: f for f in self.flows}, self.version,
                      applications={k.id: k for k in self.applications}, forms=self.forms,
                      referrals=self.referrals, examples=self.examples)


def compile_bundle(bundle: Bundle) -> bytes:
    compiled = CompiledBundle(FORMAT, bundle.version, bundle.pack, bundle.locality,
                              [bundle.flows[k] for k in sorted(bundle.flows)],
                              [bundle.applications[k] for k in sorted(bundle.applications)], bundle.forms,
                              bundle.referrals, bundle.examples)
    return msgspec.json.encode(compiled)


def read_compiled(path: Path) -> Bundle:
    """Decode a compiled bundle; msgspec.DecodeError/ValidationError if it is damaged."""
    compiled = msgspec.json.decode(path.read_bytes(), type=CompiledBundle, strict=True)
    if compiled.format != FORMAT:
        raise msgspec.ValidationError(f"bundle format {compiled.format}, expected {FORMAT}")
    return compiled.to_bundle()


def write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, fsync, then rename over it."""
    import tempfile  # write path only: keeps it off the start-up path

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def source_version(content_dir: Path, locality_path: Path) -> str:
    """The version load_bundle would give, from the files' bytes alone (no YAML parse)."""
    pack_version = "unknown"
    for line in (content_dir / PACK_FILE).read_text(encoding="utf-8").splitlines():
        if line.startswith("version:"):
            pack_version = line.split(":", 1)[1].strip().strip("\"'")
            break
    files = [*flow_files(content_dir), *application_files(content_dir), *example_files(content_dir),
             content_dir / PACK_FILE, locality_path]
    if (content_dir / REFERRALS_FILE).is_file():
        files.append(content_dir / REFERRALS_FILE)
    return content_version(pack_version, files)


def checked_bundle(content_dir: Path, locality_path: Path) -> tuple[Bundle | None, list[Problem]]:
    """Load from YAML and run every check `kiosk validate` runs, scenarios included."""
    from kiosk.applications.check import kind_problems
    from kiosk.flows.validate import check_flow

    bundle, problems = load_bundle(content_dir, locality_path)
    if bundle is None:
        return None, problems
    for kind_id, kind in sorted(bundle.applications.items()):
        found = kind_problems(kind, bundle, bundle.pack.locales, content_dir)
        problems += found
        if found:
            del bundle.applications[kind_id]
    from kiosk.content.referrals import referral_problems

    found = referral_problems(bundle.referrals, bundle.hotlines(), bundle.pack.locales,
                               bundle.flows.keys())
    problems += found
    if found:
        bundle.referrals = None  # search still says "nothing fits", without naming a body
    from kiosk.content.examples import example_problems

    found = example_problems(bundle.examples, bundle.flows.keys(),
                             {r.id for r in bundle.referrals.referrals} if bundle.referrals else set(),
                             bundle.pack.locales)
    problems += found
    if found:
        bundle.examples = None  # search is then lexical only, as before the examples
    broken = {p.file for p in problems}
    for flow_id, flow in sorted(bundle.flows.items()):
        found = check_flow(flow, bundle, bundle.pack.locales, bundle.sources[flow_id].file)
        problems += found
        if found or bundle.sources[flow_id].file in broken:
            del bundle.flows[flow_id]
    return bundle, problems


def load_serving_bundle(
    content_dir: Path, locality_path: Path, cache_dir: Path
) -> tuple[Bundle | None, list[Problem]]:
    """The bundle to serve: the compiled cache when it matches the sources, else a fresh
    load from YAML, fully checked, compiled into the cache only if it has no problems.

    Flows with problems are left out of the bundle (and their problems returned), so one
    broken flow from a bad update does not take the other fourteen off the screen.
    """
    try:
        cached = cache_dir / f"bundle-{source_version(content_dir, locality_path)}.json"
    except OSError as exc:
        return None, [Problem(str(content_dir), None, None, f"cannot read content: {exc}")]
    if cached.is_file():
        try:
            served = read_compiled(cached)
            served.cache_dir = cache_dir
            return served, []
        except (OSError, msgspec.DecodeError, msgspec.ValidationError) as exc:
            log.warning("compiled bundle %s is damaged (%s); rebuilding it", cached.name, exc)
    bundle, problems = checked_bundle(content_dir, locality_path)
    if bundle is not None and not problems:
        try:
            write_atomically(cached, compile_bundle(bundle))
            for old in cache_dir.glob("bundle-*.json"):
                if old != cached:
                    old.unlink(missing_ok=True)
            bundle.cache_dir = cache_dir
        except OSError as exc:
            log.warning("cannot cache the compiled bundle in %s: %s", cache_dir, exc)
    return bundle, problems
