"""Verified content bundles on disk: one folder per publication, and an atomic pointer.

`<state>/bundles/v000007/` holds pack.yaml, flows/ and localities/ exactly as signed;
`<state>/bundles/current` is a symlink swapped with one rename, so a power cut leaves
either the old or the new bundle, never half of one. The previous bundle is kept: it is
the last verified one should the newest fail to load.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)

_VERSION_DIR = re.compile(r"^v(\d{6,})$")
_SAFE_PATH = re.compile(r"^[A-Za-z0-9_-][A-Za-z0-9._-]*(/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$")
KEEP = 2


def safe_target_path(path: str) -> bool:
    """A signed target path we are willing to write: relative, no `..`, plain names."""
    return bool(_SAFE_PATH.match(path)) and ".." not in path.split("/")


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class ContentStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    @property
    def pointer(self) -> Path:
        return self.root / "current"

    def current(self) -> Path | None:
        """The folder of the bundle in force, or None before the first verified sync."""
        try:
            target = os.readlink(self.pointer)
        except OSError:
            return None
        folder = self.root / target
        return folder if (folder / "pack.yaml").is_file() else None

    def current_version(self) -> int | None:
        folder = self.current()
        match = _VERSION_DIR.match(folder.name) if folder else None
        return int(match.group(1)) if match else None

    def versions(self) -> list[int]:
        if not self.root.is_dir():
            return []
        found = (_VERSION_DIR.match(p.name) for p in self.root.iterdir() if p.is_dir())
        return sorted(int(m.group(1)) for m in found if m)

    def stage(self) -> Path:
        """A fresh, empty folder to assemble a bundle in (same file system as the pointer)."""
        self.root.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=".staging-", dir=self.root))

    def abandon(self, staging: Path) -> None:
        shutil.rmtree(staging, ignore_errors=True)

    def commit(self, staging: Path, version: int) -> Path:
        """Make the staged folder version `version` and point `current` at it atomically."""
        for path in staging.rglob("*"):
            if path.is_file():
                with path.open("rb") as handle:
                    os.fsync(handle.fileno())
        final = self.root / f"v{version:06d}"
        if final.exists():  # a half-finished earlier try at this version: never in force
            if self.current() == final:
                shutil.rmtree(staging, ignore_errors=True)
                return final
            shutil.rmtree(final)
        os.replace(staging, final)
        link = self.root / f".current-{os.getpid()}"
        link.unlink(missing_ok=True)
        os.symlink(final.name, link)
        os.replace(link, self.pointer)
        _fsync_dir(self.root)
        self._prune(final)
        log.info("content bundle v%d in force", version)
        return final

    def _prune(self, keep: Path) -> None:
        kept = 0
        for version in reversed(self.versions()):
            folder = self.root / f"v{version:06d}"
            if folder == keep or kept < KEEP:
                kept += 1
                continue
            shutil.rmtree(folder, ignore_errors=True)
        for stale in self.root.glob(".staging-*"):
            shutil.rmtree(stale, ignore_errors=True)


def serving_paths(store: ContentStore, content_path: Path, locality_path: Path) -> tuple[Path, Path]:
    """Where the kiosk serves content from: the verified bundle in force, or the shipped pack.
    The locality comes from the bundle when it carries one of the configured name."""
    folder = store.current()
    if folder is None:
        return content_path, locality_path
    return folder, bundle_locality(folder, locality_path)


def bundle_locality(folder: Path, locality_path: Path) -> Path:
    candidate = folder / "localities" / locality_path.name
    return candidate if candidate.is_file() else locality_path
