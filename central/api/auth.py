"""Kiosk bearer tokens: looked up by digest, refused when revoked."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from central.fleet.models import Kiosk, token_digest


def kiosk_from_request(request: HttpRequest) -> Kiosk | None:
    """The kiosk behind the request's bearer token (cached on the request), or None."""
    if hasattr(request, "_central_kiosk"):
        return request._central_kiosk  # type: ignore[no-any-return]
    kiosk = None
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        kiosk = Kiosk.objects.filter(token_hash=token_digest(token.strip()), revoked=False).first()
    request._central_kiosk = kiosk  # type: ignore[attr-defined]
    return kiosk


class KioskBearer(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        return kiosk_from_request(request)
