"""The one error the domain raises for the API: a status, a code from docs/api.md, a plain detail."""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    def __init__(self, status: int, code: str, detail: Any = "", extra: dict[str, Any] | None = None) -> None:
        super().__init__(code, detail)
        self.status = status
        self.code = code
        self.detail = detail
        #: More fields of the answer beside error and detail (e.g. office_closed's opens_at).
        self.extra = extra or {}

    def body(self) -> dict[str, Any]:
        return {"error": self.code, "detail": self.detail, **self.extra}
