"""Security headers Django does not set by itself."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse

CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
       "script-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'")


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if request.path.startswith(("/api/", "/b/", "/q/", "/a/", "/admin/", "/staff/")):
            response.headers.setdefault("Cache-Control", "no-store")
        return response


class RejectNulMiddleware:
    """NUL characters cannot be stored by PostgreSQL: refuse them as bad input (4xx), for every
    path, query and JSON body, instead of failing deep in the database with a 500."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = request.META.get("QUERY_STRING", "")
        suspicious = "\x00" in request.path or "%00" in query or "\x00" in query
        if not suspicious and request.method in ("POST", "PUT", "PATCH"):
            try:
                body = request.body
            except RequestDataTooBig:
                if request.path.startswith("/api/"):
                    return JsonResponse({"error": "too_large", "detail": "the request body is too large"},
                                        status=413)
                raise
            suspicious = b"\x00" in body or b"\\u0000" in body.lower()
        if suspicious:
            if request.path.startswith("/api/"):
                return JsonResponse({"error": "invalid", "detail": "NUL characters are not allowed"},
                                    status=422)
            return HttpResponse("NUL characters are not allowed", status=400, content_type="text/plain")
        return self.get_response(request)
