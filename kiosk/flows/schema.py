"""The JSON Schema of a flow file, generated from the model, for content authors' editors.

`content/schema/flow.schema.json` is this output; a test keeps the two identical.
"""

from __future__ import annotations

from typing import Any

import msgspec

from kiosk.flows.model import Flow

SCHEMA_ID = "https://legal-kiosk.example/schema/flow.schema.json"


def flow_schema() -> dict[str, Any]:
    schema: dict[str, Any] = msgspec.json.schema(Flow)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = SCHEMA_ID
    schema["title"] = "legal-kiosk flow"
    return schema
