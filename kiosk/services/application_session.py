"""One resident's application in progress: the draft, the card read, the rendered form
and the receipt. Everything here is personal; `wipe()` forgets all of it at once (the idle
wipe, "finish", withdrawing consent), zeroing what can be zeroed in place.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.applications.draft import Draft
    from kiosk.applications.form import FormFields
    from kiosk.applications.submit import Receipt
    from kiosk.ports import IdCard


@dataclass(repr=False)
class ApplicationSession:
    kind: str | None = None
    draft: Draft | None = None
    #: The card as read (the draft takes its fields; kept only to wipe it in place).
    card: IdCard | None = None
    #: The form's values captured before submitting (the draft is wiped by the submission).
    fields: FormFields | None = None
    #: The filled (or blank) A4 form, in memory only: never written to the kiosk's disk.
    pdf: bytes | None = None
    receipt: Receipt | None = None

    def __repr__(self) -> str:  # which parts exist, never what they say
        parts = [n for n in ("draft", "card", "fields", "pdf", "receipt") if getattr(self, n) is not None]
        return f"ApplicationSession(kind={self.kind!r}, holds={parts})"

    def wipe(self) -> None:
        if self.draft is not None:
            self.draft.withdraw()
        if self.card is not None:
            self.card.wipe()
        if self.fields is not None:
            self.fields.clear()
        self.kind = self.draft = self.card = self.fields = self.pdf = self.receipt = None

    @property
    def empty(self) -> bool:
        return all(getattr(self, n) is None for n in ("kind", "draft", "card", "fields", "pdf", "receipt"))
