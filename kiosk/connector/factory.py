"""Builds the connector's parts from the kiosk config: the composition root calls these.

`make_connector(cfg)` returns None when `[central] url` is not set (the kiosk then runs on
the local desk); otherwise a Connector whose `.desk` implements the Desk port and whose
`.start()` begins the background work. `make_desk(cfg, fallback)` picks the desk.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import requests

from kiosk.config import KioskConfig
from kiosk.connector.client import CentralClient, build_session
from kiosk.connector.desk import CentralDesk
from kiosk.connector.health import Health, HealthSources
from kiosk.connector.outbox import Outbox
from kiosk.connector.runtime import Connector, state_paths
from kiosk.connector.settings import CentralSettings, load_central_settings
from kiosk.ports import Desk


def build_connector(settings: CentralSettings, cfg: KioskConfig, *, sources: HealthSources | None = None,
                    session: requests.Session | None = None,
                    background_session: requests.Session | None = None) -> Connector:
    db, cache = state_paths(settings)
    outbox = Outbox(db, base_s=settings.outbox_base_s, cap_s=settings.outbox_cap_s)
    client = CentralClient(settings, session)
    # Background work keeps its own persisted schedule: no urllib3 sleeping there.
    quiet = background_session if background_session is not None else build_session(settings, retries=0)
    drain_client = CentralClient(settings, quiet)
    holder: list[Connector] = []

    def wake() -> None:
        if holder:
            holder[0].wake()

    desk = CentralDesk(client, outbox, ticket_prefix=settings.ticket_prefix, cache_dir=cache, wake=wake)
    health = Health(drain_client, outbox, sources or HealthSources(), settings.state_dir, wake=wake)

    def report(kind: str, detail: dict[str, Any]) -> None:
        health.event(kind, detail)

    sync = None
    if settings.tuf_root is not None:
        from kiosk.connector.sync import ContentSync  # python-tuf: only when content syncs

        sync = ContentSync(base_url=settings.url, tuf_root=settings.tuf_root, state_dir=settings.state_dir,
                           locality_path=cfg.locality_path, session=quiet,
                           timeout=(settings.connect_timeout_s, settings.read_timeout_s),
                           report=report,
                           stale_margin_s=settings.stale_margin_s)
        if sources is None:  # no app to ask: report the signed version in force
            health.sources.content_version = lambda: f"v{sync.serving_version}" if sync else "unknown"
    connector = Connector(settings, desk=desk, outbox=outbox, drain_client=drain_client, sync=sync,
                          health=health)
    holder.append(connector)
    return connector


def make_connector(cfg: KioskConfig, *, sources: HealthSources | None = None,
                   env: dict[str, str] | None = None) -> Connector | None:
    settings = load_central_settings(cfg, env)
    if not settings.enabled:
        return None
    return build_connector(settings, cfg, sources=sources)


def make_desk(cfg: KioskConfig, fallback: Callable[[], Desk], *, connector: Connector | None = None,
              env: dict[str, str] | None = None) -> Desk:
    """The central-backed desk when `[central] url` is set, else `fallback()` (the local desk)."""
    if connector is None:
        connector = make_connector(cfg, env=env)
    return connector.desk if connector is not None else fallback()


def serving_content(cfg: KioskConfig) -> tuple[Path, Path]:
    """(content folder, locality file) to load at start: the verified bundle in force under
    `<state>/bundles/current` when a sync has installed one, else the shipped pack."""
    from kiosk.connector.content_store import ContentStore, serving_paths

    return serving_paths(ContentStore(cfg.state_dir / "bundles"), cfg.content_path, cfg.locality_path)
