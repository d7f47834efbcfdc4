"""Set a flow's top-level `reviewed:` date without disturbing anything else in the file.

ruamel.yaml's round-trip loader finds where the key stands (or the `id:` it follows when it
is absent); only that one line is written, so comments, order, quoting and line breaks stay
byte for byte. The result is parsed again and must equal the input but for the date.
"""

from __future__ import annotations

import datetime as dt
import io
import re

import yaml
from ruamel.yaml import YAML

_VALUE = re.compile(r"^(reviewed:[ \t]*)([^#\s]*)(.*)$")


def set_reviewed(text: str, day: dt.date) -> str:
    """`text` with `reviewed: <day>` at the top level; ValueError if it is not a flow mapping."""
    loader = YAML(typ="rt")
    data = loader.load(io.StringIO(text))
    if not hasattr(data, "lc") or not isinstance(data.get("id"), str):
        raise ValueError("not a flow: no top-level mapping with an id")
    lines = text.splitlines(keepends=True)
    if "reviewed" in data:
        row, col = data.lc.key("reviewed")
        found = _VALUE.match(lines[row].rstrip("\r\n")) if col == 0 else None
        if found is None:
            raise ValueError("the reviewed: line is not a plain 'reviewed: date' line")
        ending = lines[row][len(lines[row].rstrip("\r\n")):]
        lines[row] = f"{found.group(1)}{day.isoformat()}{found.group(3)}{ending}"
    else:
        row, _col = data.lc.key("id")
        ending = "\r\n" if lines[row].endswith("\r\n") else "\n"
        lines.insert(row + 1, f"reviewed: {day.isoformat()}{ending}")
    result = "".join(lines)
    before, after = yaml.safe_load(text), yaml.safe_load(result)
    before["reviewed"] = day
    if after != before:
        raise ValueError("setting the reviewed date would change more than the date")
    return result
