"""schemathesis against /api/v1/openapi.json: generated requests never get a 5xx.

Bounded (a few dozen examples per operation) so the suite stays quick; the database is
the real one behind `central serve`, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import uuid
import warnings

from hypothesis import HealthCheck, given, settings

from tests.central.conftest import Api

EXAMPLES = 25


def test_no_server_errors_for_generated_requests(api: Api) -> None:
    # schemathesis 3.x uses jsonschema's deprecated RefResolver: its warnings, not ours.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        _fuzz(api)


def _fuzz(api: Api) -> None:
    import schemathesis

    schema = schemathesis.openapi.from_url(f"{api.base}/api/v1/openapi.json")
    auth = {"Authorization": f"Bearer {api.token}"}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {op.path for op in operations} >= {"/api/v1/bookings", "/api/v1/tickets", "/api/v1/slots"}
    checked: list[int] = []
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def call(case: object) -> None:
            headers = {**auth, "Idempotency-Key": str(uuid.uuid4())}
            response = case.call(base_url=api.base, headers=headers, timeout=30)  # type: ignore[attr-defined]
            checked.append(response.status_code)
            assert response.status_code < 500, (case, response.status_code, response.text[:500])
            if response.status_code >= 400:
                assert "error" in response.json(), response.text[:300]

        call()
    assert len(checked) >= len(operations) * 5
