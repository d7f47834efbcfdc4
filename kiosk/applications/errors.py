"""A field a resident typed that cannot be used, with a plain message in each locale.

The message names the field (so a CLI and a screen can point at it) and never repeats
the value: an ID number or phone must not reach a log through an error text.
"""

from __future__ import annotations


class FieldError(ValueError):
    def __init__(self, field: str, code: str, zh: str, en: str) -> None:
        super().__init__(f"{field}: {en}")
        self.field = field
        self.code = code
        self.text = {"zh-CN": zh, "en": en}

    def message(self, locale: str) -> str:
        return self.text.get(locale) or self.text["zh-CN"]


class ConsentMissing(PermissionError):
    """Something personal was about to be kept without the resident's consent."""

    def __init__(self, what: str) -> None:
        super().__init__(f"no consent recorded for {what}: ask first (个人信息保护法 第十四条)")
        self.what = what
