"""What the applicant screen's parts share: its properties, the resident's application
in the session, the kind's texts in the resident's language, and the row of actions.

The screen is split by job (kiosk/ui/screens/apply*.py): ApplyBase → ApplyFinish (sending,
receipt, ends) → ApplyEntry (typing and writing fields) → ApplyScreen (steps, consent, card).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kivy.factory import Factory
from kivy.properties import BooleanProperty, StringProperty

from kiosk.applications.draft import Draft
from kiosk.applications.model import ApplicationKind
from kiosk.applications.submit import Applications
from kiosk.ui.screens.base import KioskScreen

#: One action button: text, icon, what it does, style.
Action = tuple[str, str, Callable[[], None], str]


class ApplyBase(KioskScreen):
    step = StringProperty("consent")
    heading = StringProperty("")
    prompt = StringProperty("")
    message = StringProperty("")
    tone = StringProperty("info")
    #: "text" (name, address, case), "keys" (ID number, phone) or "" (a list of sections).
    entry = StringProperty("")
    #: Text entry by "hand" (the pad) or "pinyin" (the Latin keyboard).
    mode = StringProperty("hand")
    shown_value = StringProperty("")
    pinyin = StringProperty("")
    x_key = BooleanProperty(False)
    reading = BooleanProperty(False)

    def __init__(self, ctx: Any, **kwargs: Any) -> None:
        super().__init__(ctx, **kwargs)
        self._paged: Any = self.ids.paged.__self__  # ids are weak: kept while out of the tree

    # --- the steps, defined by ApplyScreen ---------------------------------------------------

    def show(self, step: str) -> None:
        raise NotImplementedError

    def next_step(self) -> None:
        raise NotImplementedError

    def back(self) -> None:
        raise NotImplementedError

    # --- helpers ---------------------------------------------------------------------------

    @property
    def apps(self) -> Applications:
        """The applications service (the outcome offers no "apply" without one)."""
        apps = self.ctx.services.applications
        assert apps is not None, "no applications service"
        return apps

    @property
    def app_state(self) -> Any:
        return self.ctx.session.application

    @property
    def draft(self) -> Draft | None:
        draft: Draft | None = self.app_state.draft
        return draft

    @property
    def kind(self) -> ApplicationKind | None:
        return self.draft.kind if self.draft is not None else None

    def chain(self) -> list[str]:
        return list(self.ctx.services.cfg.fallback_chain(self.ctx.nav.locale))

    def pick(self, text: dict[str, str] | None) -> str:
        if not text:
            return ""
        return next((text[c] for c in self.chain() if c in text), next(iter(text.values()), ""))

    def _actions(self, *buttons: Action) -> None:
        box = self.ids.actions
        box.clear_widgets()
        for text, icon, on, style in buttons:
            b = Factory.KButton(text=text, icon=icon, style=style, main=True)
            b.bind(on_release=lambda _b, on=on: on())
            box.add_widget(b)

