"""Kiosk request bodies parsed as strict JSON: no NaN, Infinity, or numbers too big for a float.

Python's json module accepts `NaN`, `Infinity` and turns `1e400` into infinity; PostgreSQL's
jsonb refuses them all, so such a heartbeat or event used to end in a 500, which a kiosk's
outbox retries forever. Refused at parse time, they are bad input like any other (422).
"""

from __future__ import annotations

import json
import math
from typing import Any, cast

from django.http import HttpRequest
from ninja.parser import Parser


class NonFiniteNumber(ValueError):
    """A number JSON cannot carry to the database (NaN, Infinity, or out of float range)."""


def _constant(name: str) -> Any:
    raise NonFiniteNumber(f"{name} is not a number JSON allows")


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise NonFiniteNumber(f"{text[:40]} is too large a number")
    return value


def loads(body: bytes | str) -> Any:
    return json.loads(body, parse_constant=_constant, parse_float=_float)


class StrictParser(Parser):
    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        return cast(dict[str, Any], loads(request.body))
