"""Every schema error in a content file, in words an author can act on.

msgspec decodes fast but stops at the first error; when a file fails, this lists all of
them by checking the same data against the JSON Schema msgspec exports (jsonschema is
imported only here, on the error path, so a healthy kiosk never pays for it).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import Any

import msgspec

Loc = tuple[str | int, ...]


@cache
def _validator(model: type) -> Any:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(msgspec.json.schema(model))


def _branch_errors(error: Any) -> Iterator[Any]:
    """For an anyOf over tagged node kinds, only the errors of the kind the node names."""
    instance = error.instance
    tag = instance.get("kind") if isinstance(instance, dict) else None
    refs = [s.get("$ref", "") for s in error.validator_value]
    wanted = [i for i, ref in enumerate(refs) if ref.lower().endswith(f"/{tag}node")]
    if tag is not None and not wanted:
        yield error  # an unknown kind: report it at this level
        return
    for sub in error.context or ():
        if not wanted or sub.relative_schema_path[0] in wanted:
            yield from _leaves(sub)


def _leaves(error: Any) -> Iterator[Any]:
    if error.validator == "anyOf" and error.context:
        nullable = [s for s in error.validator_value if s.get("type") == "null"]
        if nullable and len(error.validator_value) == 2:  # "X or null": report X's errors
            yield from (e for sub in error.context if sub.validator != "type" or
                        sub.validator_value != "null" for e in _leaves(sub))
            return
        if (isinstance(error.instance, dict) and "kind" in error.instance) or any(
            "$ref" in s for s in error.validator_value
        ):
            yield from _branch_errors(error)
            return
    yield error


def schema_errors(model: type, data: Any) -> list[tuple[Loc, str]]:
    """(location, message) for each schema violation of `data` against `model`."""
    plain = msgspec.to_builtins(data)
    errors = [e for top in _validator(model).iter_errors(plain) for e in _leaves(top)]
    # A bad locale key also fails its value's check; one message for the one mistake.
    bad_keys = {(*e.absolute_path, e.instance) for e in errors if _is_key_error(e)}
    found = {_explain(e) for e in errors if tuple(e.absolute_path) not in bad_keys}
    return sorted(found, key=lambda e: [str(p) for p in e[0]])


def _is_key_error(error: Any) -> bool:
    return "propertyNames" in error.schema_path


def _explain(error: Any) -> tuple[Loc, str]:
    loc: Loc = tuple(error.absolute_path)
    path = ".".join(str(p) for p in loc) or "(top)"
    if _is_key_error(error):
        return loc, (f"'{error.instance}' at '{path}' is not a locale code (zh-CN, en). If it is "
                     "part of a text, quote the whole text: a comma inside {...} splits it")
    match error.validator:
        case "anyOf" if isinstance(error.instance, dict) and "kind" in error.instance:
            return loc, (f"'{path}': unknown node kind {error.instance['kind']!r}; "
                         "use question, info, compute, action or outcome")
        case "required":
            missing = error.message.split("'")[1]
            return loc, f"'{_join(loc, missing)}' is required: add it"
        case "additionalProperties":
            extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
            return loc, f"'{_join(loc, ', '.join(extra))}' is not a known key: remove it or fix its spelling"
        case "enum" if loc and loc[-1] == "kind":
            return loc, f"'{path}': unknown node kind; use question, info, compute, action or outcome"
        case "enum":
            return loc, f"'{path}': {error.instance!r} is not one of {error.validator_value}"
        case "pattern" if error.validator_value == "\\S":
            return loc, f"'{path}' is empty: write the text"
        case "pattern":
            return loc, f"'{path}': {error.instance!r} does not match {error.validator_value}"
        case "type":
            return loc, f"'{path}': expected {error.validator_value}, got {error.instance!r}"
        case "minItems":
            return loc, f"'{path}' needs at least {error.validator_value} item(s)"
    return loc, f"'{path}': {error.message}"


def _join(loc: Loc, name: str) -> str:
    return ".".join([*(str(p) for p in loc), name])
