"""What a status means to a resident, in plain words (API, phone page, kiosk's 查进度)."""

from __future__ import annotations

from central.casework.models import Application

STATUS_TEXT: dict[str, dict[str, str]] = {
    Application.RECEIVED: {"zh-CN": "已收到，正在审查", "en": "Received, being examined"},
    Application.ACCEPTED: {"zh-CN": "已受理", "en": "Accepted"},
    Application.MORE_NEEDED: {"zh-CN": "需要补充材料", "en": "More material is needed"},
    Application.REFUSED: {"zh-CN": "不予受理", "en": "Refused"},
    Application.CLOSED: {"zh-CN": "已办结", "en": "Closed"},
    Application.WAITING: {"zh-CN": "等待工作人员回电", "en": "Waiting for a call from staff"},
    Application.CALLED_BACK: {"zh-CN": "工作人员已回电", "en": "Staff called you back"},
    Application.NO_ANSWER: {"zh-CN": "回电未接通，工作人员会再打", "en": "No answer; staff will call again"},
}


def status_text(app: Application) -> dict[str, str]:
    return dict(STATUS_TEXT.get(app.status, {"zh-CN": app.status, "en": app.status}))


def next_step(app: Application) -> dict[str, str]:
    due = app.decision_due.isoformat() if app.decision_due else ""
    body = app.office.name
    match app.status:
        case Application.RECEIVED:
            zh = (f"{body}会在{due}前作出决定，请保持电话畅通。" if due
                  else f"{body}会尽快审查，请保持电话畅通。")
            en = (f"A decision is due by {due}; please keep your phone on." if due
                  else "Staff will examine it soon; please keep your phone on.")
        case Application.ACCEPTED:
            zh = "工作人员会与您联系，告诉您接下来怎么办。"
            en = "Staff will contact you about what happens next."
        case Application.MORE_NEEDED:
            zh = f"请带上以下材料到{body}：{app.needed}" if app.needed else f"请带上补充材料到{body}。"
            en = (f"Please bring this to {app.office.name_en or body}: {app.needed}" if app.needed
                  else f"Please bring the missing material to {app.office.name_en or body}.")
        case Application.REFUSED:
            reason = app.refusal_reason
            if app.refusal_basis:
                reason = f"{reason}（{app.refusal_basis}）"
            zh = f"理由：{reason}。如有异议，可以向{body}询问，或拨打12348。"
            en = f"Reason: {reason}. If you disagree, ask at {app.office.name_en or body} or call 12348."
        case Application.WAITING | Application.NO_ANSWER:
            zh, en = "工作人员会在工作时间给您回电话。", "Staff will call you during office hours."
        case _:
            zh, en = "这件事已经办完。", "Nothing more to do."
    return {"zh-CN": zh, "en": en}


def body_names(app: Application) -> dict[str, str]:
    return {"zh-CN": app.office.name, "en": app.office.name_en or app.office.name}
