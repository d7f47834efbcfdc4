"""Every kiosk POST carries an Idempotency-Key: the first answer is stored with the request's
effects in one transaction, and a retry gets that answer back (docs/api.md).

Also the place where a busy SQLite database becomes a 503 with Retry-After, not a 500.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Callable

from django.db import IntegrityError, OperationalError, transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.crypto import salted_hmac

from central.api.auth import kiosk_from_request
from central.conf import conf
from central.fleet.models import IdempotencyRecord, Kiosk

log = logging.getLogger(__name__)
API_PREFIX = "/api/v1/"
#: POSTs idempotent by nature and sent every few minutes by every kiosk: not recorded. A
#: heartbeat only sets the kiosk's last state, and a retry's reply (the pending commands) is
#: as good as the first (the kiosk runs each command once, by id). Recorded, they were
#: 57.6 million rows per 48 h at 100,000 kiosks beating every 5 minutes, and an INSERT a beat.
UNRECORDED = frozenset({API_PREFIX + "heartbeat"})
#: Rows deleted per statement by the housekeeping, and statements per run: a purge never
#: holds one long transaction over millions of rows (e.g. the first run after an upgrade).
PURGE_BATCH = 5000
PURGE_BATCHES = 40


def error(status: int, code: str, detail: str = "", **headers: str) -> JsonResponse:
    response = JsonResponse({"error": code, "detail": detail}, status=status)
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def busy() -> JsonResponse:
    return error(503, "busy", "the service is busy: retry shortly", Retry_After="1")


def is_busy(exc: BaseException) -> bool:
    text = str(exc).lower()
    return isinstance(exc, OperationalError) and ("locked" in text or "busy" in text
                                                  or "could not serialize" in text)


def _legacy_digest(request: HttpRequest) -> str:
    """The unkeyed digest records had before issue 14 (kept 48 h): a retry across the upgrade
    still gets its first answer. Remove once no server runs the older release."""
    return hashlib.sha256(request.path.encode() + b"\n" + request.body).hexdigest()


def _replay(record: IdempotencyRecord, digest: str, request: HttpRequest) -> HttpResponse:
    if record.body_digest != digest and record.body_digest != _legacy_digest(request):
        return error(409, "idempotency_key_reused", "this Idempotency-Key was used for another request")
    response = HttpResponse(bytes(record.response), status=record.status,
                            content_type="application/json")
    response["Idempotent-Replayed"] = "true"
    return response


def _cut_short(request: HttpRequest) -> bool:
    """True when fewer body bytes arrived than the Content-Length header announced."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return len(request.body) < declared


def _find(kiosk: Kiosk, key: str) -> IdempotencyRecord | None:
    return IdempotencyRecord.objects.filter(kiosk=kiosk, key=key).first()


class KioskApiMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method != "POST" or not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        try:
            return self._post(request)
        except OperationalError as exc:
            if is_busy(exc):
                return busy()
            raise

    def _post(self, request: HttpRequest) -> HttpResponse:
        kiosk = kiosk_from_request(request)
        if kiosk is None:
            return error(401, "unauthorized", "missing, unknown or revoked kiosk token")
        key = request.headers.get("Idempotency-Key", "").strip()
        if not key or len(key) > 100:
            return error(400, "idempotency_key_required", "send an Idempotency-Key header (a UUID)")
        if _cut_short(request):
            # The connection dropped mid-body (a kiosk killed or a line lost while sending):
            # never act on, nor record, a part of a request; its retry arrives whole.
            return error(400, "incomplete_body", "the request body is shorter than its Content-Length")
        if request.path in UNRECORDED:
            with transaction.atomic():  # one transaction, as for the others (SET LOCAL in it)
                return self.get_response(request)
        # Keyed (HMAC with the secret key): a plain SHA-256 of a booking's body gave its phone
        # number back to anyone with the table, by trying the 10^8 numbers of one prefix.
        digest = salted_hmac("central.idempotency", request.path.encode() + b"\n" + request.body,
                             algorithm="sha256").hexdigest()
        # Optimistic: run the request and store its answer in one transaction. A key seen
        # before makes the final INSERT fail on the unique (kiosk, key) constraint, which rolls
        # back everything this run did; the first answer is returned instead. This saves a
        # lookup on every first attempt, the common case, and is safe when retries race.
        try:
            with transaction.atomic():
                response = self.get_response(request)
                if response.status_code < 500 and response.status_code != 429:  # 429: nothing done
                    IdempotencyRecord.objects.create(kiosk=kiosk, key=key, body_digest=digest,
                                                     path=request.path[:200], status=response.status_code,
                                                     response=response.content)
                    return response
                transaction.set_rollback(True)  # nothing happened: the kiosk may retry
        except IntegrityError:
            record = _find(kiosk, key)
            # No record after all (purged meanwhile): nothing was done; ask for a retry.
            return _replay(record, digest, request) if record is not None else busy()
        record = _find(kiosk, key)
        return _replay(record, digest, request) if record is not None else response

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        return busy() if is_busy(exc) else None


def purge_old_keys() -> int:
    """Records older than IDEMPOTENCY_KEEP_H (48 h); those of unrecorded paths (written by
    an older release) after IDEMPOTENCY_SHORT_KEEP_MIN. In batches; the rest next run."""
    now = timezone.now()
    short = now - dt.timedelta(minutes=conf("IDEMPOTENCY_SHORT_KEEP_MIN"))
    old = Q(created_at__lt=now - dt.timedelta(hours=conf("IDEMPOTENCY_KEEP_H"))) | Q(
        path__in=UNRECORDED, created_at__lt=short)
    deleted = 0
    for _ in range(PURGE_BATCHES):
        batch = list(IdempotencyRecord.objects.filter(old).values_list("pk", flat=True)[:PURGE_BATCH])
        if not batch:
            break
        count, _ = IdempotencyRecord.objects.filter(pk__in=batch).delete()
        deleted += count
        if len(batch) < PURGE_BATCH:
            break
    return deleted
