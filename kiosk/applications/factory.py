"""Builds the applications service from the kiosk config (the composition root calls this).

With a connector (the running kiosk) the service shares its outbox, its foreground
client and its wake-up; without one (`kiosk apply` from a shell) it opens the same
outbox database and its own client. Without `[central] url` applications are still
queued (sealed to the provisioned key) for a drain once the kiosk is joined.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.applications.submit import Applications
from kiosk.config import KioskConfig
from kiosk.connector.central_config import CentralConfig
from kiosk.connector.settings import CentralSettings, load_central_settings
from kiosk.content.bundle import Bundle
from kiosk.services.public_urls import public_base_url

if TYPE_CHECKING:
    from kiosk.connector.runtime import Connector


def provisioned_config(settings: CentralSettings, cfg: KioskConfig) -> CentralConfig | None:
    if not settings.seal_public_key:
        return None
    return CentralConfig(public_base_url(cfg), settings.seal_public_key, settings.seal_key_id or "k1")


def make_applications(cfg: KioskConfig, bundle: Bundle, *, connector: Connector | None = None,
                      settings: CentralSettings | None = None) -> Applications:
    from kiosk.connector.client import CentralClient
    from kiosk.connector.outbox import Outbox
    from kiosk.connector.runtime import state_paths

    settings = settings or (connector.settings if connector else load_central_settings(cfg))
    client: CentralClient | None
    if connector is not None:
        outbox, client, wake = connector.outbox, connector.desk.client, connector.wake
    else:
        outbox = Outbox(state_paths(settings)[0], base_s=settings.outbox_base_s, cap_s=settings.outbox_cap_s)
        client = CentralClient(settings) if settings.enabled else None
        wake = None
    return Applications(bundle, outbox, settings.state_dir, client=client,
                        provisioned=provisioned_config(settings, cfg),
                        public_base=lambda: public_base_url(cfg), wake=wake)
