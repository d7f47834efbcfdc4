"""Fixed words printed on slips, per locale (the content brings its own texts)."""

from __future__ import annotations

LABELS: dict[str, dict[str, str]] = {
    "zh-CN": {
        "ticket": "排队号",
        "ahead": "前面还有 {n} 人",
        "wait": "预计等候约 {m} 分钟",
        "issued": "取号时间 {t}",
        "ticket_qr": "扫码查看排队进度",
        "ticket_note": "请留意叫号，过号请重新取号",
        "provisional": "临时号：排队系统暂时连不上，请到窗口出示",
        "appointment": "预约凭条",
        "when": "时间",
        "where": "地点",
        "code": "预约码",
        "phone": "手机",
        "bring": "请带上",
        "appointment_qr": "扫码查看或取消预约",
        "summary": "法律服务指引",
        "next": "接下来怎么做",
        "documents": "要带的材料",
        "offices": "去哪里办",
        "deadlines": "注意期限",
        "basis": "法律依据",
        "hotlines": "咨询热线",
        "summary_qr": "扫码在手机上查看",
        "printed": "打印时间 {t}",
        "disclaimer": "本指引仅供参考，具体以办理机关意见为准。",
    },
    "en": {
        "ticket": "Queue number",
        "ahead": "{n} people ahead of you",
        "wait": "About {m} minutes to wait",
        "issued": "Issued {t}",
        "ticket_qr": "Scan to follow the queue",
        "ticket_note": "Listen for your number; if missed, take a new one",
        "provisional": "Provisional number: the queue system was not reachable. Show it at the counter.",
        "appointment": "Appointment",
        "when": "When",
        "where": "Where",
        "code": "Booking code",
        "phone": "Phone",
        "bring": "Please bring",
        "appointment_qr": "Scan to view or cancel",
        "summary": "Legal guidance",
        "next": "What to do next",
        "documents": "Documents to bring",
        "offices": "Where to go",
        "deadlines": "Deadlines",
        "basis": "Legal basis",
        "hotlines": "Hotlines",
        "summary_qr": "Scan to read this on your phone",
        "printed": "Printed {t}",
        "disclaimer": "For guidance only; the office handling your matter decides.",
    },
}


def label(locale: str, key: str, **values: object) -> str:
    table = LABELS.get(locale) or LABELS["zh-CN"]
    return table[key].format(**values)
