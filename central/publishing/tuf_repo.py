"""The TUF repository kiosks update from: python-tuf metadata, consistent snapshots.

publish(files) signs a new targets version (== the publication version), a new snapshot
and timestamp. Unchanged files keep their target entry and file; only changed files are
written. refresh_timestamp() re-signs the short-lived timestamp (and snapshot when due)
with the online keys only.

Several nodes share one repository (CENTRAL_TUF_DIR on storage every node reads): every
write happens under `leader.exclusive()` (a PostgreSQL advisory lock), so one node signs
and all serve the same bytes. A repository without a root is only ever created when no
publication exists: a node that merely lost its data dir must not mint new keys and a new
root, which every kiosk would refuse (fail closed).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

from securesystemslib.signer import Signer  # type: ignore[attr-defined]
from tuf.api.metadata import (  # type: ignore[attr-defined]
    Metadata,
    MetaFile,
    Root,
    Snapshot,
    TargetFile,
    Targets,
    Timestamp,
)
from tuf.api.serialization.json import JSONSerializer

from central.conf import conf
from central.publishing import keys, leader

EXPIRY = {"root": dt.timedelta(days=365), "targets": dt.timedelta(days=365),
          "snapshot": dt.timedelta(days=7), "timestamp": dt.timedelta(days=1)}
SERIALIZER = JSONSerializer(compact=False)


def repo_dir() -> Path:
    return Path(conf("TUF_DIR"))


def metadata_dir() -> Path:
    return repo_dir() / "metadata"


def targets_dir() -> Path:
    return repo_dir() / "targets"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


class RepositoryMissing(Exception):
    """Publications exist but the repository (or its root) is not where this node looks."""


def _lock_file() -> Path:
    return repo_dir() / ".lock"


def _write(md: Metadata[Any], name: str) -> None:
    path = metadata_dir() / name
    tmp = path.with_suffix(".tmp")
    md.to_file(str(tmp), SERIALIZER)
    tmp.replace(path)


def _latest(role: str) -> Metadata[Any] | None:
    if role == "timestamp":
        path = metadata_dir() / "timestamp.json"
        return Metadata.from_file(str(path)) if path.exists() else None
    versions = sorted(int(p.name.split(".")[0]) for p in metadata_dir().glob(f"*.{role}.json"))
    return Metadata.from_file(str(metadata_dir() / f"{versions[-1]}.{role}.json")) if versions else None


def root_path() -> Path:
    """The root a kiosk ships (its trust anchor): the first root version."""
    return metadata_dir() / "1.root.json"


def _sign(md: Metadata[Any], role: str) -> None:
    signer: Signer = keys.signer(role)
    md.sign(signer)


def _ensure_root(published_before: int) -> None:
    if root_path().exists():
        return
    if published_before:
        raise RepositoryMissing(
            f"version {published_before} was published, but there is no TUF root at {root_path()}: "
            "mount the shared repository (CENTRAL_TUF_DIR) and the keys on this node; a new root "
            "would make every kiosk refuse all content")
    metadata_dir().mkdir(parents=True, exist_ok=True)
    targets_dir().mkdir(parents=True, exist_ok=True)
    keys.create_missing_keys()
    root = Root(expires=_now() + EXPIRY["root"], consistent_snapshot=True)
    for role in ("root", "targets", "snapshot", "timestamp"):
        root.add_key(keys.signer(role).public_key, role)
    md = Metadata(root)
    _sign(md, "root")
    _write(md, "1.root.json")


def target_file_path(path: str, sha256: str) -> Path:
    """Where a consistent-snapshot target lives: hash prefixed to the file name."""
    folder, _, name = path.rpartition("/")
    return targets_dir() / folder / f"{sha256}.{name}"


def _snapshot_and_timestamp(targets_version: int) -> None:
    prev = _latest("snapshot")
    version = prev.signed.version + 1 if prev else 1
    snapshot = Metadata(Snapshot(version=version, expires=_now() + EXPIRY["snapshot"],
                                 meta={"targets.json": MetaFile(version=targets_version)}))
    _sign(snapshot, "snapshot")
    _write(snapshot, f"{version}.snapshot.json")
    _timestamp(version)


def _timestamp(snapshot_version: int) -> None:
    prev = _latest("timestamp")
    version = prev.signed.version + 1 if prev else 1
    ts = Metadata(Timestamp(version=version, expires=_now() + EXPIRY["timestamp"],
                            snapshot_meta=MetaFile(version=snapshot_version)))
    _sign(ts, "timestamp")
    _write(ts, "timestamp.json")


def latest_version() -> int:
    latest = _latest("targets") if metadata_dir().exists() else None
    return latest.signed.version if latest else 0


def current_files() -> dict[str, dict[str, object]]:
    latest = _latest("targets") if metadata_dir().exists() else None
    if latest is None:
        return {}
    return {p: {"sha256": t.hashes["sha256"], "length": t.length} for p, t in latest.signed.targets.items()}


def publish(files: dict[str, bytes], version: int, published_at: dt.datetime,
            published_before: int = 0) -> list[str]:
    """Sign `files` as targets `version`; returns the paths that changed (new, edited, removed).
    `published_before` is the latest recorded publication (0: none, a new root may be made).
    The caller holds `leader.exclusive()`."""
    _ensure_root(published_before)
    keys.signer("targets")  # fail before writing anything when the offline key is absent
    before = current_files()
    prev = _latest("targets")
    if prev is not None and version <= prev.signed.version:
        raise ValueError(f"version {version} is not after the published {prev.signed.version}")
    entries: dict[str, TargetFile] = {}
    changed: list[str] = []
    for path, data in sorted(files.items()):
        entry = TargetFile.from_data(path, data, ["sha256"])
        sha = entry.hashes["sha256"]
        entries[path] = entry
        stored = target_file_path(path, sha)
        if not stored.exists():
            stored.parent.mkdir(parents=True, exist_ok=True)
            tmp = stored.with_suffix(".tmp")
            tmp.write_bytes(data)
            tmp.replace(stored)
        if before.get(path, {}).get("sha256") != sha:
            changed.append(path)
    changed += sorted(set(before) - set(files))
    targets = Targets(version=version, expires=_now() + EXPIRY["targets"], targets=entries,
                      unrecognized_fields={"custom": {"published_at": published_at.isoformat()}})
    md = Metadata(targets)
    _sign(md, "targets")
    _write(md, f"{version}.targets.json")
    _snapshot_and_timestamp(version)
    return changed


def status() -> dict[str, object]:
    """What /healthz tells an operator: is the repository here, which version, and when
    the timestamp expires (kiosks fail closed after that unless it is re-signed)."""
    ts = _latest("timestamp") if metadata_dir().exists() else None
    if ts is None or not root_path().exists():
        return {"present": False, "dir": str(repo_dir())}
    expires = ts.signed.expires
    return {"present": True, "targets_version": latest_version(), "timestamp_version": ts.signed.version,
            "timestamp_expires": expires.isoformat(), "expires_in_s": int((expires - _now()).total_seconds())}


def lock_file() -> Path:
    """The file lock SQLite installations use instead of the advisory lock."""
    return _lock_file()


def read_target(path: str, sha256: str) -> bytes:
    data = target_file_path(path, sha256).read_bytes()
    if hashlib.sha256(data).hexdigest() != sha256:
        raise ValueError(f"stored target {path} does not match its hash")
    return data


def refresh_timestamp(force: bool = False) -> bool:
    """Re-sign timestamp (and snapshot) before they expire; True when something was signed.
    Only the node holding the lock signs; the others skip this round."""
    with leader.exclusive(_lock_file(), wait=force) as leading:
        if not leading:
            return False
        ts, snap = _latest("timestamp"), _latest("snapshot")
        if ts is None or snap is None:
            return False
        now = _now()
        snapshot_due = snap.signed.expires - now < EXPIRY["snapshot"] / 2
        timestamp_due = ts.signed.expires - now < EXPIRY["timestamp"] / 2
        if snapshot_due or force:
            targets_version = snap.signed.meta["targets.json"].version
            _snapshot_and_timestamp(targets_version)
            return True
        if timestamp_due:
            _timestamp(snap.signed.version)
            return True
        return False

