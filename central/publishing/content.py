"""Content in the database <-> content files, checked with the kiosk's own validator.

The files are the ones the kiosk loads (pack.yaml, flows/<id>.yaml, localities/<id>.yaml,
applications/<kind>.yaml and forms/<name>.html);
validation writes them to a temporary folder and runs `kiosk.flows.validate`, so the
server can never publish what a kiosk would refuse.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from central.conf import conf
from central.org.models import County
from central.publishing.models import Flow, LocalityDocument, PackDocument, PackFile

#: Pack files besides pack.yaml and the flows, as glob patterns: application kinds, form
#: templates, the search's referral table ("not our matter: here is who handles it") and
#: the residents' phrasings search learns from.
PACK_FILES = ("applications/*.yaml", "forms/*.html", "referrals.yaml", "search/examples/*.yaml")


def is_pack_file(name: str) -> bool:
    return any(Path(name).match(pattern) and name.count("/") == pattern.count("/") for pattern in PACK_FILES)


@dataclass(frozen=True)
class ContentProblem:
    file: str
    line: int | None
    node: str | None
    message: str

    def __str__(self) -> str:
        where = self.file + (f":{self.line}" if self.line else "") + (f" [{self.node}]" if self.node else "")
        return f"{where}: {self.message}"


def content_files(flow_override: tuple[str, str] | None = None) -> dict[str, bytes]:
    """Every content file as the kiosk will get it; `flow_override` = (flow_id, text) to try an edit."""
    files: dict[str, bytes] = {}
    pack = PackDocument.objects.first()
    if pack is not None:
        files["pack.yaml"] = pack.text.encode()
    for flow in Flow.objects.all():
        files[flow.path] = flow.text.encode()
    for extra in PackFile.objects.all():
        files[extra.path] = extra.text.encode()
    if flow_override is not None:
        files[f"flows/{flow_override[0]}.yaml"] = flow_override[1].encode()
    for doc in LocalityDocument.objects.select_related("county"):
        files[doc.path] = doc.text.encode()
    return files


def validate_files(files: dict[str, bytes], only_flow: str | None = None) -> list[ContentProblem]:
    """Run the kiosk validator over `files` against every locality (or just one flow's file)."""
    from kiosk.flows.validate import validate

    problems: list[ContentProblem] = []
    if "pack.yaml" not in files:
        return [ContentProblem("pack.yaml", None, None, "no pack.yaml: import the content pack first")]
    localities = sorted(p for p in files if p.startswith("localities/"))
    if not localities:
        return [ContentProblem("localities/", None, None, "no locality file: add one for the county")]
    with tempfile.TemporaryDirectory(prefix="central-content-") as tmp:
        root = Path(tmp)
        for path, data in files.items():
            (root / path).parent.mkdir(parents=True, exist_ok=True)
            (root / path).write_bytes(data)
        target = root / "flows" / f"{only_flow}.yaml" if only_flow else root
        seen: set[tuple[str, int | None, str | None, str]] = set()
        for locality in localities:
            report = validate(target, root, root / locality, conf("LOCALES"))
            for p in report.problems:
                message = p.message if len(localities) == 1 else f"{p.message} (with {locality})"
                key = (p.file, p.line, p.node, p.message)
                if key not in seen:
                    seen.add(key)
                    problems.append(ContentProblem(p.file, p.line, p.node, message))
    return problems


def validate_flow_text(flow_id: str, text: str) -> list[ContentProblem]:
    return validate_files(content_files((flow_id, text)), only_flow=flow_id)


@transaction.atomic
def import_content(content_dir: Path, localities: list[Path]) -> dict[str, int]:
    """Load pack.yaml, flows/*.yaml and locality files (validated first: nothing on failure)."""
    files: dict[str, bytes] = {"pack.yaml": (content_dir / "pack.yaml").read_bytes()}
    for path in sorted((content_dir / "flows").glob("*.yaml")):
        files[f"flows/{path.name}"] = path.read_bytes()
    for pattern in PACK_FILES:
        for path in sorted(content_dir.glob(pattern)):
            files[path.relative_to(content_dir).as_posix()] = path.read_bytes()
    for locality in localities:
        files[f"localities/{locality.name}"] = locality.read_bytes()
    for doc in LocalityDocument.objects.select_related("county"):
        files.setdefault(doc.path, doc.text.encode())
    problems = validate_files(files)
    if problems:
        raise ContentInvalid(problems)
    pack = PackDocument.objects.first() or PackDocument()
    pack.text = files["pack.yaml"].decode()
    pack.save()
    flows = 0
    for name, data in files.items():
        if name.startswith("flows/"):
            Flow.objects.update_or_create(flow_id=Path(name).stem, defaults={"text": data.decode()})
            flows += 1
        elif is_pack_file(name):
            PackFile.objects.update_or_create(path=name, defaults={"text": data.decode()})
    sync_services(files["pack.yaml"])
    for locality in localities:
        sync_locality(locality.stem, locality.read_text(encoding="utf-8"))
    return {"flows": flows, "localities": len(localities),
            "pack_files": sum(1 for name in files if is_pack_file(name))}


def sync_locality(slug: str, text: str) -> County:
    """The county and its offices as the locality file describes them."""
    import yaml

    from central.org.models import Office, Service

    data = yaml.safe_load(text)
    name = data.get("name", {})
    county, _ = County.objects.update_or_create(
        slug=slug, defaults={"name": name.get("zh-CN", slug), "name_en": name.get("en", "")})
    LocalityDocument.objects.update_or_create(county=county, defaults={"text": text})
    for entry in data.get("offices", []):
        office, _ = Office.objects.update_or_create(
            county=county, slug=entry["id"],
            defaults={"name": entry["name"].get("zh-CN", entry["id"]), "name_en": entry["name"].get("en", ""),
                      "address": entry.get("address", {}).get("zh-CN", "")})
        office.services.set(Service.objects.filter(slug__in=entry.get("services", [])))
    return county


def sync_services(pack_yaml: bytes) -> None:
    import yaml

    from central.org.models import Service

    for entry in yaml.safe_load(pack_yaml).get("services", []):
        Service.objects.update_or_create(slug=entry["id"], defaults={
            "name_zh": entry["title"]["zh-CN"], "name_en": entry["title"].get("en", ""),
            "prefix": entry.get("queue_prefix", "")[:2], "bookable": entry.get("bookable", True)})


class ContentInvalid(Exception):
    def __init__(self, problems: list[ContentProblem]) -> None:
        super().__init__(f"{len(problems)} content problem(s)")
        self.problems = problems
