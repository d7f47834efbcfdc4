"""Fixtures: a loopback central service, settings pointing at it, and connector parts."""

from __future__ import annotations

import dataclasses
import socket
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kiosk.connector.client import CentralClient, build_session
from kiosk.connector.desk import CentralDesk
from kiosk.connector.outbox import Outbox
from kiosk.connector.settings import CentralSettings
from tests.connector.fake_central import TOKEN, FakeCentral


def closed_port_url() -> str:
    """A loopback URL where nothing listens (connection refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@pytest.fixture
def central() -> Iterator[FakeCentral]:
    server = FakeCentral().start()
    yield server
    server.stop()


@pytest.fixture
def settings(tmp_path: Path, central: FakeCentral) -> CentralSettings:
    return CentralSettings(url=central.url, token=TOKEN, tuf_root=None, ticket_prefix="K3",
                           state_dir=tmp_path / "state", connect_timeout_s=1.0, read_timeout_s=2.0,
                           retries=1, backoff_s=0.01, retry_after_max_s=2.0, outbox_base_s=1.0,
                           outbox_cap_s=60.0)


@pytest.fixture
def make_client(settings: CentralSettings) -> Callable[..., CentralClient]:
    def make(**changes: object) -> CentralClient:
        changed = dataclasses.replace(settings, **changes)  # type: ignore[arg-type]
        return CentralClient(changed, build_session(changed))

    return make


@pytest.fixture
def outbox(settings: CentralSettings) -> Iterator[Outbox]:
    box = Outbox(settings.state_dir / "outbox.sqlite3", base_s=1.0, cap_s=60.0)
    yield box
    box.close()


@pytest.fixture
def make_desk(settings: CentralSettings, outbox: Outbox,
              make_client: Callable[..., CentralClient]) -> Callable[..., CentralDesk]:
    def make(**changes: object) -> CentralDesk:
        return CentralDesk(make_client(**changes), outbox, ticket_prefix="K3",
                           cache_dir=settings.state_dir / "central")

    return make
