"""The HTTP client: token, Idempotency-Key, timeouts, retries and Retry-After."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import requests

from kiosk.connector.client import CentralClient, CentralRefused, CentralUnavailable, encode
from kiosk.connector.settings import CentralSettings
from tests.connector.conftest import closed_port_url
from tests.connector.fake_central import FakeCentral


class RecordingSession(requests.Session):
    """An injected Session that answers from a script and records what was asked."""

    def __init__(self, status: int = 200, body: bytes = b"[]") -> None:
        super().__init__()
        self.calls: list[dict[str, Any]] = []
        self.status = status
        self.body = body

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> requests.Response:
        self.calls.append({"method": method, "url": url, **kwargs})
        response = requests.Response()
        response.status_code = self.status
        response._content = self.body
        return response


def test_every_call_has_token_timeout_and_posts_an_idempotency_key(settings: CentralSettings) -> None:
    session = RecordingSession()
    client = CentralClient(settings, session)
    client.get("/api/v1/services")
    client.post("/api/v1/events", {"kind": "usage"})
    client.post("/api/v1/events", {"kind": "usage"}, key="fixed-key")
    get, post, fixed = session.calls
    for call in session.calls:
        assert call["headers"]["Authorization"] == "Bearer test-token"
        assert call["timeout"] == (settings.connect_timeout_s, settings.read_timeout_s)
    assert "Idempotency-Key" not in get["headers"]
    assert len(post["headers"]["Idempotency-Key"]) == 36
    assert fixed["headers"]["Idempotency-Key"] == "fixed-key"
    assert fixed["data"] == encode({"kind": "usage"})


def test_session_verifies_tls_and_takes_a_ca_bundle(settings: CentralSettings, tmp_path: Any) -> None:
    import dataclasses

    from kiosk.connector.client import build_session

    assert build_session(settings).verify is True
    pinned = dataclasses.replace(settings, ca_bundle=tmp_path / "bureau-ca.pem")
    assert build_session(pinned).verify == str(tmp_path / "bureau-ca.pem")


def test_encoding_is_canonical() -> None:
    assert encode({"b": 1, "a": "法"}) == encode({"a": "法", "b": 1}) == '{"a":"法","b":1}'.encode()


def test_4xx_is_a_refusal_with_the_servers_code(settings: CentralSettings) -> None:
    client = CentralClient(settings, RecordingSession(409, b'{"error": "slot_full", "detail": "taken"}'))
    with pytest.raises(CentralRefused) as caught:
        client.post("/api/v1/bookings", {})
    assert (caught.value.status, caught.value.code, caught.value.detail) == (409, "slot_full", "taken")


def test_connection_refused_is_unavailable_and_known_unsent(settings: CentralSettings) -> None:
    import dataclasses

    client = CentralClient(dataclasses.replace(settings, url=closed_port_url(), retries=0))
    with pytest.raises(CentralUnavailable) as caught:
        client.get("/api/v1/services")
    assert caught.value.sent is False


def test_slow_server_times_out_and_the_post_is_retried_with_the_same_key(
        central: FakeCentral, make_client: Callable[..., CentralClient]) -> None:
    central.state.delay_s = 1.0
    client = make_client(read_timeout_s=0.2, retries=1)
    with pytest.raises(CentralUnavailable, match="timed out"):
        client.post("/api/v1/events", {"kind": "usage", "at": "x", "detail": {}}, key="k-slow")
    posts = [r for r in central.state.requests if r[0] == "POST"]
    assert [r[2] for r in posts] == ["k-slow", "k-slow"]  # urllib3 retried once, same key


def test_503_with_short_retry_after_is_retried(central: FakeCentral,
                                               make_client: Callable[..., CentralClient]) -> None:
    central.state.faults.append((503, {"Retry-After": "1"}))
    client = make_client(retries=2, retry_after_max_s=2.0)
    assert client.get("/api/v1/services")[0]["id"] == "legal-aid"
    assert len(central.state.requests) == 2


def test_503_with_long_retry_after_gives_up_at_once(central: FakeCentral,
                                                    make_client: Callable[..., CentralClient]) -> None:
    central.state.faults.append((503, {"Retry-After": "120"}))
    client = make_client(retries=3, retry_after_max_s=2.0)
    with pytest.raises(CentralUnavailable) as caught:
        client.get("/api/v1/services")
    assert caught.value.status == 503
    assert caught.value.retry_after == 120
    assert len(central.state.requests) == 1  # did not sleep through two minutes


def test_500_then_ok_is_retried_and_a_replay_returns_the_first_answer(
        central: FakeCentral, make_client: Callable[..., CentralClient]) -> None:
    central.state.faults.append((500, {}))
    client = make_client(retries=2)
    first = client.post("/api/v1/tickets", {"service": "legal-aid", "priority": "none"}, key="t-1")
    again = client.post("/api/v1/tickets", {"service": "legal-aid", "priority": "none"}, key="t-1")
    assert first == again
    assert len(central.effects("ticket")) == 1


def test_wrong_token_is_refused_401(central: FakeCentral, make_client: Callable[..., CentralClient]) -> None:
    with pytest.raises(CentralRefused) as caught:
        make_client(token="nope").get("/api/v1/services")
    assert caught.value.status == 401
