"""The address of the person behind a request, as far as the configured proxies vouch for it.

Behind nginx every request's REMOTE_ADDR is the proxy's, so a lock keyed on it locks out
everyone at once. Each trusted proxy appends the address it saw to X-Forwarded-For; with N
trusted proxies the real client is the N-th entry from the right. Entries further left are
whatever the client sent and are never believed. CENTRAL_TRUSTED_PROXIES (default 0: the
service faces the network itself and X-Forwarded-For is ignored).
"""

from __future__ import annotations

import ipaddress

from django.http import HttpRequest

from central.conf import conf


def _valid(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None


def client_address(request: HttpRequest | None) -> str:
    if request is None:
        return ""
    remote = str(request.META.get("REMOTE_ADDR", ""))[:45]
    proxies = int(conf("TRUSTED_PROXIES"))
    if proxies <= 0:
        return remote
    hops = [h for h in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",") if h.strip()]
    if not hops:
        return remote  # not through the proxy (a health check on loopback)
    found = _valid(hops[-min(proxies, len(hops))])
    return (found or remote)[:45]
