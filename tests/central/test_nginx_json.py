"""Over-long request lines and headers through the production nginx site (real nginx, TLS,
loopback) in front of a real `central serve` (gunicorn): every answer under /api/ is JSON
with the right status, never gunicorn's or nginx's own HTML page."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from central.testing.nginx import Nginx, configure, nginx_missing
from central.testing.servers import start_central

#: What nginx's client_header_buffers allow (deploy/central/nginx-site.conf.in).
LIMIT = 4096


@pytest.fixture(scope="module")
def front() -> Iterator[Nginx]:
    reason = nginx_missing()
    if reason:
        pytest.skip(reason)
    root = Path(tempfile.mkdtemp(prefix="nginx-json-"))
    server = start_central(None, root / "node", workers=1, threads=2)
    try:
        port = int(server.url.rsplit(":", 1)[1])
        nginx = configure(root / "nginx", [port], root / "tuf", root / "static").start()
        try:
            yield nginx
        finally:
            nginx.stop()
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


def _get(nginx: Nginx, path: str, headers: dict[str, str] | None = None) -> requests.Response:
    return requests.get(nginx.url + path, headers=headers, verify=str(nginx.cert), timeout=30)


def _json_error(answer: requests.Response, status: int) -> None:
    assert answer.status_code == status, (answer.status_code, answer.text[:200])
    assert answer.headers["Content-Type"].startswith("application/json"), answer.text[:200]
    body = answer.json()
    assert body["error"] == "too_long" and "KiB" in body["detail"], body


def test_a_request_line_too_long_is_a_json_414(front: Nginx) -> None:
    _json_error(_get(front, "/api/v1/services?pad=" + "x" * 5000), 414)


def test_a_header_too_long_is_a_json_431(front: Nginx) -> None:
    _json_error(_get(front, "/api/v1/services", {"X-Pad": "x" * 5000}), 431)


def test_too_many_headers_is_a_json_431(front: Nginx) -> None:
    """Small headers pass nginx's buffers; gunicorn refuses more than 100 (HTML): nginx
    replaces that answer under /api/."""
    _json_error(_get(front, "/api/v1/services", {f"X-Pad-{n}": "x" for n in range(150)}), 431)


def test_at_the_edge_of_the_limit_every_answer_is_json(front: Nginx) -> None:
    """Request lines just under and over nginx's limit: either nginx refuses them (JSON 414)
    or they reach the service, whose limit is above nginx's (its answer, JSON 404)."""
    base = "/api/v1/no-such-thing?pad="
    fixed = len("GET  HTTP/1.1") + len(base)
    seen = set()
    for line in range(LIMIT - 12, LIMIT + 4):
        answer = _get(front, base + "x" * (line - fixed))
        assert answer.headers["Content-Type"].startswith("application/json"), (line, answer.text[:200])
        assert answer.status_code in (404, 414), (line, answer.status_code)
        seen.add(answer.status_code)
    assert seen == {404, 414}  # the edge was crossed
