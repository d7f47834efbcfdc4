"""A TUF repository for tests and the bench, built with python-tuf's metadata API.

Laid out as docs/api.md says the central service serves it (consistent snapshots):
metadata/{N}.root.json, metadata/timestamp.json, metadata/{N}.snapshot.json,
metadata/{N}.targets.json and targets/{sha256}.{path}. Old versions stay on disk, so an
attacker's replay of them (rollback, mix-and-match) is one file copy away.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from pathlib import Path

from securesystemslib.signer import CryptoSigner, Signer
from tuf.api._payload import MetaFile, Root, Snapshot, TargetFile, Targets, Timestamp
from tuf.api.metadata import Metadata
from tuf.api.serialization.json import JSONSerializer

ROLES = ("root", "targets", "snapshot", "timestamp")
REPO = Path(__file__).resolve().parents[2]


def content_files(content: Path = REPO / "content",
                  locality: Path = REPO / "config" / "localities" / "demo.yaml") -> dict[str, bytes]:
    """The shipped pack as TUF targets: pack.yaml, flows/<id>.yaml, localities/<id>.yaml,
    applications/<kind>.yaml and forms/<kind>.html (docs/api.md)."""
    files = {"pack.yaml": (content / "pack.yaml").read_bytes(),
             f"localities/{locality.name}": locality.read_bytes()}
    for flow in sorted((content / "flows").glob("*.yaml")):
        files[f"flows/{flow.name}"] = flow.read_bytes()
    for folder, pattern in (("applications", "*.yaml"), ("forms", "*.html")):
        for path in sorted((content / folder).glob(pattern)):
            files[f"{folder}/{path.name}"] = path.read_bytes()
    return files


def _in(days: float) -> dt.datetime:
    return (dt.datetime.now(dt.UTC) + dt.timedelta(days=days)).replace(microsecond=0)


class TufRepo:
    def __init__(self, root_dir: Path) -> None:
        self.dir = root_dir
        self.meta = root_dir / "metadata"
        self.targets_dir = root_dir / "targets"
        self.meta.mkdir(parents=True, exist_ok=True)
        self.targets_dir.mkdir(parents=True, exist_ok=True)
        self.signers: dict[str, Signer] = {r: CryptoSigner.generate_ed25519() for r in ROLES}
        root = Root(expires=_in(365), consistent_snapshot=True)
        for role in ROLES:
            root.add_key(self.signers[role].public_key, role)
        self.root = Metadata(root)
        self._write("root", self.root, f"{root.version}.root.json")
        self.version = 0
        self.files: dict[str, bytes] = {}

    @property
    def root_path(self) -> Path:
        return self.meta / "1.root.json"

    def _write(self, role: str, md: Metadata, name: str) -> None:  # type: ignore[type-arg]
        md.signatures.clear()
        md.sign(self.signers[role])
        md.to_file(str(self.meta / name), JSONSerializer(compact=True))

    def publish(self, files: dict[str, bytes], *, timestamp_days: float = 7.0) -> int:
        """Publish `files` as the next version; returns the version."""
        self.version += 1
        self.files = dict(files)
        targets = Targets(version=self.version, expires=_in(30))
        for path, data in files.items():
            info = TargetFile.from_data(path, data, ["sha256"])
            targets.targets[path] = info
            digest = hashlib.sha256(data).hexdigest()
            folder, _, name = path.rpartition("/")
            dest = self.targets_dir / folder / f"{digest}.{name}"
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(data)
        self._write("targets", Metadata(targets), f"{self.version}.targets.json")
        snapshot = Snapshot(version=self.version, expires=_in(30))
        snapshot.meta["targets.json"] = MetaFile(version=self.version)
        self._write("snapshot", Metadata(snapshot), f"{self.version}.snapshot.json")
        self.write_timestamp(self.version, days=timestamp_days)
        return self.version

    def write_timestamp(self, version: int, *, days: float = 7.0, snapshot_version: int | None = None) -> None:
        timestamp = Timestamp(version=version, expires=_in(days),
                              snapshot_meta=MetaFile(version=snapshot_version or version))
        self._write("timestamp", Metadata(timestamp), "timestamp.json")
        shutil.copyfile(self.meta / "timestamp.json", self.meta / f"{version}.timestamp.json")

    def target_file(self, path: str) -> Path:
        digest = hashlib.sha256(self.files[path]).hexdigest()
        folder, _, name = path.rpartition("/")
        return self.targets_dir / folder / f"{digest}.{name}"
