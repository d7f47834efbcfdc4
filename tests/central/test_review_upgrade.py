"""Issue 17 on upgrade: content already in the database when the legal review arrives counts
as approved (a baseline by the system), so the first publish after the upgrade is not held."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

FLOW = "id: upgraded\nreviewed: 2026-11-30\n# a comment\n"


@pytest.fixture
def before_review(django_db: None) -> Iterator[object]:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate([("review", None)])
    executor.loader.build_graph()
    yield executor
    from central.publishing.models import Flow
    from central.review.models import Decision

    Flow.objects.filter(flow_id="upgraded").delete()
    Decision.objects.filter(path="flows/upgraded.yaml").delete()
    executor.loader.build_graph()
    executor.migrate(latest)


def test_existing_flows_get_a_baseline_approval_dated_from_reviewed(before_review: object) -> None:
    from django.db.migrations.executor import MigrationExecutor

    from central.publishing.models import Flow

    executor = before_review
    assert isinstance(executor, MigrationExecutor)
    Flow.objects.create(flow_id="upgraded", text=FLOW)
    executor.migrate(executor.loader.graph.leaf_nodes())
    executor.loader.build_graph()

    from central.review.models import Decision
    from central.review.state import pending

    (decision,) = Decision.objects.filter(path="flows/upgraded.yaml")
    assert decision.decision == "approved" and decision.system == "existing" and decision.text == FLOW
    assert decision.decided_at.date().isoformat() == "2026-11-30"
    assert "flows/upgraded.yaml" not in [p.path for p in pending()]
