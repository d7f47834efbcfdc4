"""The TUF repository as static files with ETag (and 304 on If-None-Match).

Versioned metadata and hash-named targets never change, so they may be cached for a
year; timestamp.json changes and must be revalidated every time.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.views.decorators.http import require_safe

from central.publishing import tuf_repo

_etags: dict[tuple[str, int, int], str] = {}


def _etag(path: Path) -> str:
    stat = path.stat()
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    if key not in _etags:
        _etags[key] = '"' + hashlib.sha256(path.read_bytes()).hexdigest()[:32] + '"'
    return _etags[key]


def _serve(request: HttpRequest, base: Path, relative: str, content_type: str, mutable: bool) -> HttpResponse:
    path = (base / relative).resolve()
    if not path.is_relative_to(base.resolve()) or not path.is_file():
        raise Http404("not published")
    etag = _etag(path)
    cache = "no-cache" if mutable else "public, max-age=31536000, immutable"
    if etag in [t.strip() for t in request.headers.get("If-None-Match", "").split(",")]:
        response: HttpResponse = HttpResponseNotModified()
    else:
        response = HttpResponse(path.read_bytes(), content_type=content_type)
    response["ETag"] = etag
    response["Cache-Control"] = cache
    return response


@require_safe
def metadata(request: HttpRequest, name: str) -> HttpResponse:
    return _serve(request, tuf_repo.metadata_dir(), name, "application/json",
                  mutable=name in ("timestamp.json", "root.json"))


@require_safe
def target(request: HttpRequest, path: str) -> HttpResponse:
    return _serve(request, tuf_repo.targets_dir(), path, "application/octet-stream", mutable=False)
