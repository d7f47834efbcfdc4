"""Signed content updates with python-tuf's ngclient Updater.

One `sync_once()`: refresh the top-level metadata (root, timestamp, snapshot, targets;
an up-to-date check costs the timestamp and a 404 for the next root), then, only when
the publication version changed, assemble the new bundle: targets whose hash matches a
file of the bundle in force are copied locally, the others downloaded and verified by
the Updater. The bundle is checked with the kiosk's own content loader and validator
before the pointer swaps. Every verification failure (rollback, freeze, tampered target,
mix-and-match) raises SyncFailed and leaves the bundle in force untouched.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import logging
import shutil
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
from tuf.api import exceptions as tuf_errors
from tuf.api._payload import Snapshot, Targets, Timestamp  # what tuf.api.metadata re-exports (mypy strict)
from tuf.api.metadata import Metadata
from tuf.ngclient.updater import Updater

from kiosk.connector.content_store import ContentStore, bundle_locality, safe_target_path
from kiosk.connector.fetcher import SessionFetcher

log = logging.getLogger(__name__)

Report = Callable[[str, dict[str, Any]], None]


class SyncFailed(Exception):
    """No new content. `kind`: unreachable (try later), verification (an attack or a broken
    repository: reported), invalid (signed content the kiosk's validator rejects), setup."""

    def __init__(self, kind: str, reason: str) -> None:
        super().__init__(f"{kind}: {reason}")
        self.kind = kind
        self.reason = reason


@dataclass
class SyncResult:
    version: int
    downloaded: list[str] = field(default_factory=list)
    bytes: int = 0
    changed: bool = False

    def as_json(self) -> dict[str, Any]:
        return {"version": self.version, "downloaded": self.downloaded, "bytes": self.bytes}


@contextmanager
def _exclusive(path: Path) -> Iterator[None]:
    """One sync at a time on this kiosk (the app's worker and a `kiosk sync` from a shell)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class ContentSync:
    def __init__(self, *, base_url: str, tuf_root: Path | None, state_dir: Path, locality_path: Path,
                 session: requests.Session, timeout: tuple[float, float], report: Report | None = None,
                 stale_margin_s: float = 21600.0,
                 now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC)) -> None:
        self.base_url = base_url.rstrip("/")
        self.tuf_root = tuf_root
        self.metadata_dir = state_dir / "tuf" / "metadata"
        self.store = ContentStore(state_dir / "bundles")
        self.locality_path = locality_path
        self.session = session
        self.timeout = timeout
        self.report = report or (lambda kind, detail: None)
        self.stale_margin = dt.timedelta(seconds=stale_margin_s)
        self.now = now
        self._last_reported: tuple[str, str] | None = None
        self._etags: dict[str, tuple[str, bytes]] = {}
        self._ready_lock = threading.Lock()
        #: Version the app serves (set by the app when it loads a bundle).
        self.serving_version: int | None = self.store.current_version()
        #: Called (from the worker thread) when a newer verified bundle is in force on disk.
        self.on_ready: Callable[[int], None] | None = None

    # --- the trusted root -----------------------------------------------------------------

    def _bootstrap(self) -> None:
        self.metadata_dir.mkdir(parents=True, exist_ok=True)
        trusted = self.metadata_dir / "root.json"
        if trusted.is_file():
            return  # the Updater has moved trust on from the shipped root already
        if self.tuf_root is None or not self.tuf_root.is_file():
            raise SyncFailed("setup", f"no trusted TUF root.json (set [central] tuf_root): {self.tuf_root}")
        shutil.copyfile(self.tuf_root, trusted)

    # --- one sync -------------------------------------------------------------------------

    def sync_once(self) -> SyncResult:
        with _exclusive(self.store.root / ".lock"):
            try:
                return self._sync()
            except SyncFailed as exc:
                if exc.kind in ("verification", "invalid"):
                    self._report_once("content_verification_failed", {"kind": exc.kind, "reason": exc.reason})
                raise
            finally:
                self.check_freshness()

    def _sync(self) -> SyncResult:
        self._bootstrap()
        fetcher = SessionFetcher(self.session, self.timeout, etags=self._etags)
        try:
            updater = Updater(str(self.metadata_dir), f"{self.base_url}/tuf/metadata/", None,
                              f"{self.base_url}/tuf/targets/", fetcher=fetcher)
            updater.refresh()
            targets = Metadata[Targets].from_file(str(self.metadata_dir / "targets.json")).signed
        except tuf_errors.DownloadHTTPError as exc:
            if exc.status_code in (404, 500, 502, 503, 504):
                raise SyncFailed("unreachable", f"metadata not served: {exc}") from exc
            raise SyncFailed("unreachable", str(exc)) from exc
        except tuf_errors.DownloadError as exc:
            raise SyncFailed("unreachable", f"{type(exc).__name__}: {exc}") from exc
        except tuf_errors.RepositoryError as exc:
            raise SyncFailed("verification", f"{type(exc).__name__}: {exc}") from exc
        version = targets.version
        current = self.store.current_version()
        if current is not None and version < current:
            raise SyncFailed("verification",
                             f"rollback: signed version {version} < bundle in force {current}")
        if current == version:
            return SyncResult(version, [], fetcher.bytes_received, changed=False)
        staging = self.store.stage()
        try:
            downloaded = self._assemble(updater, targets, staging)
            self._validate(staging)
            self.store.commit(staging, version)
        except BaseException:
            self.store.abandon(staging)
            raise
        self._last_reported = None
        log.info("content v%d verified: %d target(s) downloaded", version, len(downloaded))
        self._announce(version)
        return SyncResult(version, downloaded, fetcher.bytes_received, changed=True)

    def _assemble(self, updater: Updater, targets: Targets, staging: Path) -> list[str]:
        in_force = self.store.current()
        downloaded: list[str] = []
        for path in sorted(targets.targets):
            if not safe_target_path(path):
                raise SyncFailed("verification", f"unsafe target path {path!r}")
            info = updater.get_targetinfo(path)
            if info is None:
                raise SyncFailed("verification", f"target {path} vanished from the signed metadata")
            dest = staging / path
            dest.parent.mkdir(parents=True, exist_ok=True)
            if in_force is not None and updater.find_cached_target(info, str(in_force / path)):
                shutil.copyfile(in_force / path, dest)
                continue
            try:
                updater.download_target(info, str(dest))
            except tuf_errors.RepositoryError as exc:
                raise SyncFailed("verification", f"target {path}: {type(exc).__name__}: {exc}") from exc
            except tuf_errors.DownloadError as exc:
                raise SyncFailed("unreachable", f"target {path}: {type(exc).__name__}") from exc
            downloaded.append(path)
        return downloaded

    def _validate(self, staging: Path) -> None:
        from kiosk.content.compiled import checked_bundle  # the kiosk's own loader + checks

        if not (staging / "pack.yaml").is_file():
            raise SyncFailed("invalid", "the signed bundle has no pack.yaml")
        bundle, problems = checked_bundle(staging, bundle_locality(staging, self.locality_path))
        if bundle is None or problems or not bundle.flows:
            first = str(problems[0]) if problems else "no flows"
            raise SyncFailed("invalid", f"{len(problems)} content problem(s), first: {first}")

    # --- apply at the next idle -----------------------------------------------------------

    def _announce(self, version: int) -> None:
        if self.on_ready is not None and version != self.serving_version:
            try:
                self.on_ready(version)
            except Exception:
                log.exception("on_ready callback failed")

    def ready_version(self) -> int | None:
        """A verified version newer than the one served: load it at the next idle."""
        current = self.store.current_version()
        return current if current is not None and current != self.serving_version else None

    def take_ready(self) -> tuple[Path, Path] | None:
        """At idle: the (content, locality) paths of the newer bundle, marked as served."""
        with self._ready_lock:
            folder = self.store.current()
            version = self.store.current_version()
            if folder is None or version == self.serving_version:
                return None
            self.serving_version = version
            return folder, bundle_locality(folder, self.locality_path)

    # --- freshness ------------------------------------------------------------------------

    def expires(self) -> dt.datetime | None:
        """When the trusted metadata we last verified stops being valid."""
        found: list[dt.datetime] = []
        for role, kind in (("timestamp", Timestamp), ("snapshot", Snapshot), ("targets", Targets)):
            path = self.metadata_dir / f"{role}.json"
            if path.is_file():
                try:
                    found.append(Metadata[kind].from_file(str(path)).signed.expires)  # type: ignore[valid-type]
                except Exception:
                    log.warning("cannot read trusted %s metadata", role)
        return min(found) if found else None

    def check_freshness(self) -> bool:
        """True (and content_stale reported once) when the metadata is near expiry."""
        expires = self.expires()
        if expires is None:
            return False
        left = expires - self.now()
        if left > self.stale_margin:
            return False
        self._report_once("content_stale", {"expires": expires.isoformat(),
                                            "version": self.store.current_version()})
        return True

    def _report_once(self, kind: str, detail: dict[str, Any]) -> None:
        mark = (kind, str(sorted(detail.items())))
        if mark == self._last_reported:
            return
        self._last_reported = mark
        self.report(kind, detail)
