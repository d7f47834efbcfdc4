"""Under /api/ every error is JSON (docs/api.md), also the ones Django answers before the API's
own handlers run: no such path (404), wrong method (405), a body over the size limit (413).

Kiosks parse every answer as JSON; an HTML error page made their connector report a
confusing parse error instead of the status.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

CODES = {400: "bad_request", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
         413: "too_large", 414: "too_long", 431: "too_long", 500: "server_error"}


class ApiJsonErrorsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith("/api/"):
            return self.get_response(request)
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if limit is not None and declared > limit:
            return _json(413, f"the body is larger than {limit} bytes")
        response = self.get_response(request)
        kind = response.get("Content-Type", "")
        if response.status_code >= 400 and not kind.startswith("application/json"):
            replaced = _json(response.status_code, response.reason_phrase)
            if "Allow" in response:
                replaced["Allow"] = response["Allow"]
            return replaced
        return response


def _json(status: int, detail: str) -> JsonResponse:
    return JsonResponse({"error": CODES.get(status, f"http_{status}"), "detail": detail}, status=status)
