"""A content problem: where it is (file, line, node) and what to do about it."""

from __future__ import annotations

import msgspec


class Problem(msgspec.Struct, frozen=True, order=True):
    file: str
    line: int | None
    node: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        node = f" [node {self.node}]" if self.node else ""
        return f"{where}{node}: {self.message}"

    def as_json(self) -> dict[str, str | int | None]:
        return {"file": self.file, "line": self.line, "node": self.node, "message": self.message}
