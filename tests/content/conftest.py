"""Fixtures shared by the content tests."""

from __future__ import annotations

import pytest

from kiosk.content.bundle import Bundle, load_bundle
from tests.conftest import CONTENT, LOCALITY


@pytest.fixture(scope="module")
def bundle() -> Bundle:
    """The shipped content with the demo locality, loaded without problems."""
    loaded, problems = load_bundle(CONTENT, LOCALITY)
    assert loaded is not None and not problems
    return loaded
