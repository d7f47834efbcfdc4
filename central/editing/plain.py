"""The validator's locations in words: 'nodes.0.choices.6.label' speaks YAML; an editor
reads "choice 7 › button label". Only the location is rewritten, the message stays the
kiosk validator's own."""

from __future__ import annotations

import re

LOC = re.compile(r"'(nodes\.\d+(?:\.[A-Za-z_]+|\.\d+)*)'")
PARTS: dict[str, dict[str, str]] = {
    "en": {"choices": "choice", "next": "branch", "basis": "legal basis", "steps": "step",
           "documents": "document", "deadlines": "deadline", "where": "place", "label": "button label",
           "text": "text", "help": "help line", "speak": "spoken text", "title": "title",
           "summary": "summary",
           "body": "body", "say": "voice synonyms", "law": "law", "article": "article", "gist": "gist",
           "unit": "unit", "note": "note", "when": "condition", "goto": "target"},
    "zh-CN": {"choices": "选项", "next": "分支", "basis": "法律依据", "steps": "步骤", "documents": "材料",
              "deadlines": "期限", "where": "地点", "label": "按钮文字", "text": "文字", "help": "提示语",
              "speak": "朗读文字", "title": "标题", "summary": "摘要", "body": "正文", "say": "语音同义词",
              "law": "法律", "article": "条款", "gist": "条文大意", "unit": "单位", "note": "备注",
              "when": "条件", "goto": "目标"},
}


def where(path: str, lang: str) -> str:
    words = PARTS["en" if lang == "en" else "zh-CN"]
    parts = path.split(".")[2:]  # nodes.N is the node the message is already shown on
    out: list[str] = []
    for part in parts:
        if part.isdigit() and out:
            out[-1] = f"{out[-1]} {int(part) + 1}"
        else:
            out.append(words.get(part, part))
    return "“" + " › ".join(out) + "”" if out else ""


def plain(message: str, lang: str) -> str:
    return LOC.sub(lambda m: where(m.group(1), lang), message)
