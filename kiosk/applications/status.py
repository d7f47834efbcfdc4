""""查进度": an application's status by its code and the last 4 digits of the phone.

The server answers 404 alike for an unknown code and a wrong phone_last4 and 429 after
10 misses an hour, so the kiosk cannot be used to probe codes; the resident sees one
plain sentence for each case.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from kiosk.applications.codes import parse_code
from kiosk.applications.errors import FieldError
from kiosk.connector.client import CentralClient, CentralRefused, CentralUnavailable


class StatusUnavailable(Exception):
    """No status to show; `text` says why in each locale."""

    def __init__(self, reason: str, zh: str, en: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.text = {"zh-CN": zh, "en": en}


@dataclass(frozen=True)
class Status:
    code: str
    kind: str
    status: str
    status_text: dict[str, str]
    next_step: dict[str, str]
    decision_due: dt.date | None
    body: dict[str, str]
    updated_at: str

    @classmethod
    def from_answer(cls, data: Any) -> Status:
        if not isinstance(data, dict):
            raise StatusUnavailable("bad_answer", "中心系统的回答看不懂，请稍后再试。",
                                    "The central service's answer could not be read; try again later.")
        due = data.get("decision_due")
        try:
            due_date = dt.date.fromisoformat(due) if isinstance(due, str) and due else None
        except ValueError:
            due_date = None
        return cls(code=str(data.get("code", "")), kind=str(data.get("kind", "")),
                   status=str(data.get("status", "")), status_text=dict(data.get("status_text") or {}),
                   next_step=dict(data.get("next_step") or {}), decision_due=due_date,
                   body=dict(data.get("body") or {}), updated_at=str(data.get("updated_at", "")))


def parse_last4(text: str) -> str:
    digits = re.sub(r"\s", "", text)
    if not re.fullmatch(r"\d{4}", digits):
        raise FieldError("phone_last4", "invalid", "请输入手机号的最后4位数字。",
                         "Please enter the last 4 digits of your mobile number.")
    return digits


def query_status(client: CentralClient, code: str, phone_last4: str) -> Status:
    """GET /api/v1/applications/{code}?phone_last4=NNNN; FieldError for bad input,
    StatusUnavailable (not found, too many tries, no line) otherwise."""
    canonical = parse_code(code)
    last4 = parse_last4(phone_last4)
    try:
        data = client.get(f"/api/v1/applications/{canonical}", {"phone_last4": last4})
    except CentralRefused as exc:
        if exc.status == 404:
            raise StatusUnavailable("unknown_code", "没有找到这个申请。请核对回执上的编号和手机号后4位。",
                                    "No application found. Please check the code on your receipt "
                                    "and the last 4 digits of your phone.") from exc
        raise StatusUnavailable(exc.code, "现在查不了，请到窗口询问。",
                                "The status cannot be shown now; please ask at the counter.") from exc
    except CentralUnavailable as exc:
        if exc.status == 429:
            raise StatusUnavailable("rate_limited", "查询次数太多了，请一小时后再试，或到窗口询问。",
                                    "Too many tries. Please try again in an hour or ask at the "
                                    "counter.") from exc
        raise StatusUnavailable("unreachable", "现在连不上中心系统，请稍后再试，或扫回执上的二维码用手机查。",
                                "The central service cannot be reached now. Try again later, or scan "
                                "the QR code on your receipt with your phone.") from exc
    return Status.from_answer(data)
