"""The JSON Schema of a flow file, generated from the model, for content authors' editors.

`content/schema/flow.schema.json` is this output; a test keeps the two identical.
"""

from __future__ import annotations

from typing import Any

import msgspec

from kiosk.flows.model import Flow

SCHEMA_ID = "https://legal-kiosk.example/schema/flow.schema.json"


def flow_schema() -> dict[str, Any]:
    return _schema(Flow, SCHEMA_ID, "legal-kiosk flow")


EXAMPLES_SCHEMA_ID = "https://legal-kiosk.example/schema/search-examples.schema.json"


def examples_schema() -> dict[str, Any]:
    """The schema of content/search/examples/*.yaml (residents' phrasings search learns from)."""
    from kiosk.content.examples import Examples

    return _schema(Examples, EXAMPLES_SCHEMA_ID, "legal-kiosk search examples")


def _schema(model: type[Any], schema_id: str, title: str) -> dict[str, Any]:
    schema: dict[str, Any] = msgspec.json.schema(model)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = schema_id
    schema["title"] = title
    return schema
