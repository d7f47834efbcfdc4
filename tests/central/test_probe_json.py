"""Issue 14, V2: non-finite numbers (NaN, Infinity, 1e400) in a heartbeat or an event's
detail are bad input (422 JSON), not a 500 that a kiosk's outbox retries forever. Over real
HTTP on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
import requests

from tests.central.conftest import Api

NOW = dt.datetime.now(dt.UTC).isoformat()
BAD = ["NaN", "Infinity", "-Infinity", "1e400", "-1e400"]


def _raw(api: Api, path: str, body: str) -> requests.Response:
    headers = {"Idempotency-Key": str(uuid.uuid4()), "Content-Type": "application/json"}
    return api.session.post(api.base + path, data=body.encode(), headers=headers, timeout=30)


@pytest.mark.parametrize("number", BAD)
def test_v2_non_finite_numbers_in_a_heartbeat_are_422(api: Api, number: str) -> None:
    for body in (f'{{"state": "idle", "disk_free_mb": {number}}}',
                 f'{{"state": "idle", "mic": {{"level": {number}}}}}',
                 f'{{"state": "idle", "speaker": [1, {number}]}}'):
        answer = _raw(api, "/api/v1/heartbeat", body)
        assert answer.status_code == 422, (body, answer.status_code, answer.text[:300])
        assert answer.headers["Content-Type"].startswith("application/json")
        assert answer.json()["error"] == "non_finite_number", answer.text
    fine = _raw(api, "/api/v1/heartbeat", '{"state": "idle", "disk_free_mb": 1.5e3}')
    assert fine.status_code == 200, fine.text


@pytest.mark.parametrize("number", BAD)
def test_v2_non_finite_numbers_in_an_event_detail_are_422(api: Api, number: str) -> None:
    body = f'{{"kind": "usage", "at": "{NOW}", "detail": {{"flow": "divorce", "seconds": {number}}}}}'
    answer = _raw(api, "/api/v1/events", body)
    assert answer.status_code == 422, (body, answer.status_code, answer.text[:300])
    assert answer.json()["error"] == "non_finite_number"
    fine = _raw(api, "/api/v1/events", f'{{"kind": "usage", "at": "{NOW}", "detail": {{"seconds": 12.5}}}}')
    assert fine.status_code == 201, fine.text


def test_v2_nan_as_a_string_for_a_number_field_is_422(api: Api) -> None:
    for text in ("NaN", "inf", "-Infinity"):
        answer = api.post("/api/v1/heartbeat", {"state": "idle", "uptime_s": text})
        assert answer.status_code == 422, (text, answer.status_code, answer.text[:300])
        assert answer.json()["error"] == "invalid"
