"""HTTP to the central service: requests with an injected Session, urllib3 Retry, timeouts.

Every call carries the kiosk's bearer token and a (connect, read) timeout. POSTs are
retried by urllib3 only because every POST carries an Idempotency-Key: a replay returns
the server's first answer (docs/api.md). Retries honour Retry-After, but a foreground call
(a resident is waiting) gives up at once when the server asks for a longer pause than
`retry_after_max_s`; the outbox keeps its own persisted schedule for background work.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import (
    ConnectTimeoutError,
    MaxRetryError,
    NewConnectionError,
    ReadTimeoutError,
    ResponseError,
)
from urllib3.util.retry import Retry

from kiosk.connector.settings import CentralSettings

log = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})


class CentralUnavailable(Exception):
    """No answer worth acting on: connection refused, timed out, 5xx, 408/429.
    Nothing can be assumed about whether the server acted (except `sent=False`)."""

    def __init__(self, reason: str, *, retry_after: float | None = None, sent: bool = True,
                 status: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after
        #: False when the last try never connected (refused, connect timeout).
        self.sent = sent
        self.status = status


class CentralRefused(Exception):
    """A 4xx answer (other than 408/429): the server understood and said no."""

    def __init__(self, status: int, code: str, detail: str = "", body: dict[str, Any] | None = None) -> None:
        super().__init__(f"{status} {code}: {detail}" if detail else f"{status} {code}")
        self.status = status
        self.code = code
        self.detail = detail
        #: The whole JSON answer (fields beside error and detail, e.g. office_closed's opens_at).
        self.body = body or {}


class CappedRetry(Retry):
    """urllib3 Retry that gives up (returning the response) when the server's Retry-After
    is longer than a waiting resident can give, instead of sleeping through it."""

    give_up_after: float = 5.0

    def __init__(self, *args: Any, give_up_after: float = 5.0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.give_up_after = float(give_up_after)

    def new(self, **kw: Any) -> CappedRetry:
        fresh = super().new(**kw)
        fresh.give_up_after = self.give_up_after
        return fresh

    def increment(self, method: str | None = None, url: str | None = None, response: Any = None,
                  error: Exception | None = None, _pool: Any = None, _stacktrace: Any = None,
                  ) -> CappedRetry:
        if response is not None and response.headers.get("Retry-After"):
            wait = self.get_retry_after(response)
            if wait is not None and wait > self.give_up_after:
                raise MaxRetryError(_pool, url or "", ResponseError(f"Retry-After {wait:.0f}s"))
        return super().increment(method, url, response, error, _pool, _stacktrace)


def make_retry(settings: CentralSettings, total: int | None = None) -> CappedRetry:
    return CappedRetry(
        total=settings.retries if total is None else total,
        connect=settings.retries if total is None else total,
        read=settings.retries if total is None else total,
        status=settings.retries if total is None else total,
        backoff_factor=settings.backoff_s,
        backoff_jitter=settings.backoff_s,
        backoff_max=settings.retry_after_max_s,
        status_forcelist=RETRY_STATUSES,
        # POST included: every POST carries an Idempotency-Key, so a replay is safe.
        allowed_methods=frozenset({"GET", "HEAD", "POST"}),
        respect_retry_after_header=True,
        raise_on_status=False,
        give_up_after=settings.retry_after_max_s,
    )


def build_session(settings: CentralSettings, retries: int | None = None) -> requests.Session:
    """A Session with the retry policy mounted and TLS verification on (optionally with the
    bureau's own CA bundle)."""
    session = requests.Session()
    adapter = HTTPAdapter(max_retries=make_retry(settings, retries), pool_maxsize=4)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.verify = str(settings.ca_bundle) if settings.ca_bundle else True
    session.headers["User-Agent"] = "legal-kiosk-connector/0.1"
    return session


@dataclass(frozen=True)
class Answer:
    status: int
    data: Any
    size: int


def _unavailable(exc: requests.RequestException) -> CentralUnavailable:
    """Name why a request got no answer; `sent=False` only when the last try never connected."""
    reason: object = exc
    if exc.args and isinstance(exc.args[0], MaxRetryError):
        reason = exc.args[0].reason
    if isinstance(reason, NewConnectionError):  # a subclass of ConnectTimeoutError: first
        return CentralUnavailable("no connection", sent=False)
    if isinstance(reason, ConnectTimeoutError) or isinstance(exc, requests.ConnectTimeout):
        return CentralUnavailable("connect timed out", sent=False)
    if isinstance(reason, ReadTimeoutError | TimeoutError) or isinstance(exc, requests.Timeout):
        return CentralUnavailable("timed out")
    return CentralUnavailable(f"no answer: {type(reason).__name__}")


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        try:
            return Retry().parse_retry_after(value)
        except Exception:
            return None


class CentralClient:
    """Thin, typed calls to `/api/v1/`; raises CentralUnavailable or CentralRefused."""

    def __init__(self, settings: CentralSettings, session: requests.Session | None = None) -> None:
        self.settings = settings
        self.base = settings.url.rstrip("/")
        self.session = session if session is not None else build_session(settings)
        self.timeout = (settings.connect_timeout_s, settings.read_timeout_s)
        #: Bytes of every answer body read, for the bench.
        self.bytes_received = 0

    def _headers(self, extra: Mapping[str, str] | None = None) -> dict[str, str]:
        headers = {"Accept": "application/json"}
        if self.settings.token:
            headers["Authorization"] = f"Bearer {self.settings.token}"
        headers.update(extra or {})
        return headers

    def request(self, method: str, path: str, *, params: Mapping[str, str] | None = None,
                body: bytes | None = None, key: str | None = None) -> Answer:
        url = f"{self.base}{path}"
        extra = {}
        if body is not None:
            extra["Content-Type"] = "application/json"
        if method == "POST":
            extra["Idempotency-Key"] = key or str(uuid.uuid4())
        try:
            # verify passed per call: requests lets REQUESTS_CA_BUNDLE override a Session's
            # own pinned bundle otherwise (psf/requests#3829).
            response = self.session.request(method, url, params=params, data=body,
                                            headers=self._headers(extra), timeout=self.timeout,
                                            verify=self.session.verify)
        except requests.RequestException as exc:
            raise _unavailable(exc) from exc
        content = response.content
        self.bytes_received += len(content)
        status = response.status_code
        if status in RETRY_STATUSES or status >= 500:
            raise CentralUnavailable(f"server answered {status}", status=status,
                                     retry_after=_retry_after(response))
        try:
            data = json.loads(content) if content else None
        except ValueError as exc:
            if status >= 400:
                raise CentralRefused(status, "bad_answer", content[:200].decode("utf-8", "replace")) from exc
            raise CentralUnavailable(f"answer {status} is not JSON") from exc
        if status >= 400:
            code = data.get("error", "error") if isinstance(data, dict) else "error"
            detail = data.get("detail", "") if isinstance(data, dict) else ""
            answer = data if isinstance(data, dict) else None
            raise CentralRefused(status, str(code), str(detail or ""), answer)
        return Answer(status, data, len(content))

    def get(self, path: str, params: Mapping[str, str] | None = None) -> Any:
        return self.request("GET", path, params=params).data

    def post(self, path: str, payload: Any, key: str | None = None) -> Any:
        return self.post_raw(path, encode(payload), key).data

    def post_raw(self, path: str, body: bytes, key: str | None) -> Answer:
        return self.request("POST", path, body=body, key=key)


def encode(payload: Any) -> bytes:
    """Canonical JSON: the same payload always gives the same bytes (replays must match)."""
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
