"""Submitting an application: sealed, queued in the outbox, delivered exactly once.

The order is the guarantee. The personal fields are sealed to the central service's
key first; the whole POST (with its own Idempotency-Key) is committed to the outbox
before the first byte goes out; only then is it sent once in the foreground. A 201
acknowledges the row, which drops the sealed box from the kiosk. No answer leaves it
queued: the connector's drain delivers it later under the same key, across reboots and
kills, and the server answers a replay with its first answer. The draft's personal
fields are wiped as soon as they are sealed: the kiosk cannot read them back.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from kiosk.applications.codes import display, new_code
from kiosk.applications.deadline import CHINA, decision_due
from kiosk.applications.draft import Draft
from kiosk.applications.errors import ConsentMissing
from kiosk.applications.model import ApplicationKind
from kiosk.applications.sealing import SealKeyError, seal
from kiosk.connector.central_config import CentralConfig, cached_config, refresh_config
from kiosk.connector.client import CentralClient, CentralRefused, CentralUnavailable, encode
from kiosk.connector.outbox import Outbox
from kiosk.content.bundle import Bundle
from kiosk.services.public_urls import receipt_url
from kiosk.slips.data import mask_phone

log = logging.getLogger(__name__)

PATH = "/api/v1/applications"
OUTBOX_KIND = "application"
CODE_TRIES = 3


class NoSealKey(Exception):
    """The kiosk does not know the central service's sealing key yet."""

    text: ClassVar[dict[str, str]] = {
        "zh-CN": "这台机器还没有连上过中心系统，暂时不能提交申请。请打热线或到窗口办理。",
        "en": "This kiosk has not reached the central service yet, so it cannot take "
              "applications. Please call the hotline or go to the counter."}


class ApplicationRefused(Exception):
    """The central service said no for good (a 4xx); nothing stays queued."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.text = {
            "zh-CN": "中心系统没有接收这份申请（" + code + "）。信息已经清除，请到窗口办理。",
            "en": f"The central service did not accept this application ({code}). What you "
                  "entered has been wiped; please go to the counter.",
        }


@dataclass(frozen=True)
class Receipt:
    """What the receipt slip and the screen show; no name, no ID number, phone masked."""

    code: str
    kind: str
    title: dict[str, str]
    body: dict[str, str]
    body_phone: str
    created_at: dt.datetime
    decision_due: dt.date | None
    #: decision.what and the basis in short ("《法律援助法》第四十三条"), per locale.
    decision_what: dict[str, str]
    basis: dict[str, str]
    url: str
    phone_masked: str
    #: True: kept in the outbox until the line is back (the receipt says so).
    queued: bool

    @property
    def code_display(self) -> str:
        return display(self.code)


class Applications:
    """The UI's entry point: start a draft, submit it, (see status.py) ask about it."""

    def __init__(self, bundle: Bundle, outbox: Outbox, state_dir: Path, *,
                 client: CentralClient | None = None, provisioned: CentralConfig | None = None,
                 public_base: Callable[[], str] | None = None,
                 clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(CHINA),
                 wake: Callable[[], None] | None = None) -> None:
        self.bundle = bundle
        self.outbox = outbox
        self.state_dir = state_dir
        self.client = client
        self.provisioned = provisioned
        self.public_base = public_base
        self.clock = clock
        self.wake = wake or (lambda: None)

    # --- kinds ------------------------------------------------------------------------------

    def kind(self, kind_id: str) -> ApplicationKind:
        return self.bundle.applications[kind_id]

    def start(self, kind_id: str, *, flow: str = "", outcome: str = "", locale: str = "zh-CN",
              answers: dict[str, Any] | None = None) -> Draft:
        return Draft(self.kind(kind_id), flow=flow, outcome=outcome, locale=locale,
                     content_version=self.bundle.version, answers=answers)

    def body(self, kind: ApplicationKind) -> tuple[dict[str, str], str]:
        """The receiving body's name (per locale) and phone: the locality's office for the service."""
        offices = self.bundle.offices_for(kind.service)
        if not offices:
            return {}, ""
        return dict(offices[0].name), offices[0].phone

    # --- the key ----------------------------------------------------------------------------

    def seal_config(self, fresh: bool = False) -> CentralConfig:
        """The cached GET /api/v1/config; asked now when there is none (or `fresh`); else
        the key provisioned in kiosk.toml; else NoSealKey."""
        found = None if fresh else cached_config(self.state_dir)
        if found is None and self.client is not None:
            try:
                found = refresh_config(self.client, self.state_dir)
            except (CentralUnavailable, CentralRefused) as exc:
                log.info("central config not available: %s", exc)
                found = cached_config(self.state_dir)
        found = found or self.provisioned
        if found is None:
            raise NoSealKey("no sealing key: the central service was never reached and "
                            "[central] seal_public_key is not set")
        return found

    # --- submitting -------------------------------------------------------------------------

    def _payload(self, draft: Draft, code: str, created: dt.datetime, sealed: str,
                 key_id: str) -> dict[str, Any]:
        assert draft.consent is not None
        return {"code": code, "kind": draft.kind.id, "flow": draft.flow, "outcome": draft.outcome,
                "content_version": draft.content_version, "locale": draft.locale,
                "answers": dict(draft.answers), "case": dict(draft.case),
                "consent": draft.consent.as_json(),
                "created_at": created.isoformat(timespec="seconds"), "key_id": key_id,
                "sealed": sealed}

    def submit(self, draft: Draft) -> Receipt:
        """Seal, queue, send once. Raises FieldError (something missing: the draft is kept),
        ConsentMissing, NoSealKey, ApplicationRefused (the draft is wiped)."""
        if draft.consent is None:
            raise ConsentMissing("the application")
        person = draft.person()  # FieldError names a missing field; the draft stays
        phone = draft.phone() or ""
        config = self.seal_config()
        created = self.clock()
        resealed = False
        try:
            for _ in range(CODE_TRIES):
                code = new_code()
                try:
                    sealed = seal(person, config.seal_public_key)
                except SealKeyError as exc:
                    raise NoSealKey(str(exc)) from exc
                payload = self._payload(draft, code, created, sealed, config.seal_key_id)
                key = self.outbox.enqueue(OUTBOX_KIND, PATH, payload, personal=True)
                try:
                    answer = self._send(key, encode(payload))
                except CentralRefused as exc:
                    self._drop(key, exc)
                    if exc.code == "code_taken":
                        continue
                    if exc.code == "unsealable" and not resealed:  # the key changed: ask again
                        config, resealed = self.seal_config(fresh=True), True
                        continue
                    raise ApplicationRefused(exc.code, exc.detail) from exc
                receipt = self._receipt(draft, code, created, phone, answer)
                draft.wipe()  # sealed and queued: the kiosk keeps nothing it could read
                return receipt
            raise ApplicationRefused("code_taken")
        except ApplicationRefused:
            draft.wipe()
            raise

    def _send(self, key: str, body: bytes) -> dict[str, Any] | None:
        """One foreground try: the answer on 201, None when it stays queued."""
        if self.client is None:
            self.wake()
            return None
        try:
            answer = self.client.post_raw(PATH, body, key)
        except CentralUnavailable as exc:
            self.outbox.retry_later(key, exc.reason, exc.retry_after)
            self.wake()
            return None
        except CentralRefused as exc:
            if exc.status in (401, 403) or exc.code == "idempotency_key_reused":
                self.outbox.retry_later(key, f"{exc.status} {exc.code}")
                self.wake()
                return None  # the kiosk's own trouble: kept for the drain and the maintenance screen
            raise
        self.outbox.acknowledge(key, answer.data)
        return answer.data if isinstance(answer.data, dict) else {}

    def _drop(self, key: str, exc: CentralRefused) -> None:
        log.warning("application refused by the central service: %s %s", exc.status, exc.code)
        self.outbox.park(key, f"{exc.status} {exc.code}")
        self.outbox.discard(key)

    def _receipt(self, draft: Draft, code: str, created: dt.datetime, phone: str,
                 answer: dict[str, Any] | None) -> Receipt:
        kind = draft.kind
        body, body_phone = self.body(kind)
        due = decision_due(kind.decision, created)
        url = ""
        if answer is not None:
            body = answer.get("body") or body
            with contextlib.suppress(ValueError):
                due = dt.date.fromisoformat(str(answer.get("decision_due") or due))
            url = str(answer.get("url") or "")
        if not url:
            base = self.public_base() if self.public_base else self.seal_config().public_base_url
            url = receipt_url(base, code)
        what, basis = {}, {}
        if kind.decision is not None:
            what = dict(kind.decision.what)
            b = kind.decision.basis
            basis = {loc: f"{b.law[loc]} {b.article.get(loc, '')}".strip() for loc in b.law}
        log.info("application %s (%s) %s", display(code), kind.id,
                 "queued" if answer is None else "delivered")
        return Receipt(code=code, kind=kind.id, title=dict(kind.title), body=body, body_phone=body_phone,
                       created_at=created, decision_due=due, decision_what=what, basis=basis, url=url,
                       phone_masked=mask_phone(phone) if phone else "", queued=answer is None)

