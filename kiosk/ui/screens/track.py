""""查进度": an application's status from its code and the last 4 digits of the phone.

The code (Crockford base32: no I, L, O, U) is typed on its own 32-key board, the digits on
the telephone keypad; the query runs on a worker. Not found, too many tries and no line
each get one plain sentence (kiosk/applications/status.py); nothing is spoken but the
screen's words, never the code or the digits.
"""

from __future__ import annotations

from typing import Any

from kivy.factory import Factory
from kivy.properties import StringProperty
from kivy.uix.gridlayout import GridLayout

from kiosk.applications.codes import ALPHABET, LENGTH, display
from kiosk.applications.errors import FieldError
from kiosk.applications.status import Status, StatusUnavailable, parse_last4, query_status
from kiosk.ui.dates import day_label
from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.widgets.base import KButton
from kiosk.ui.widgets.inputs import BACKSPACE, CLEAR, Keypad
from kiosk.ui.worker import run_async


class CodeKey(KButton):
    pass


class CodeBoard(GridLayout):
    """The 32 characters an application code can have, then backspace and clear."""

    def __init__(self, **kwargs: Any) -> None:
        self.register_event_type("on_key")
        super().__init__(**kwargs)
        for key in (*ALPHABET, CLEAR, BACKSPACE):
            button = CodeKey(value=key)
            button.bind(on_release=lambda b: self.dispatch("on_key", b.value))
            self.add_widget(button)

    def on_key(self, key: str) -> None:
        pass


class TrackScreen(KioskScreen):
    step = StringProperty("code")
    prompt = StringProperty("")
    message = StringProperty("")
    tone = StringProperty("info")
    shown = StringProperty("")

    def __init__(self, ctx: Any, **kwargs: Any) -> None:
        super().__init__(ctx, **kwargs)
        self._code = ""
        self._last4 = ""
        self._said: list[str] = []
        self._paged = self.ids.paged.__self__  # ids are weak: kept while out of the tree
        self.board = CodeBoard()
        self.board.bind(on_key=lambda _b, key: self.code_key(key))
        self.keypad = Keypad()
        self.keypad.bind(on_key=lambda _k, key: self.digit(key))

    def enter(self, **kwargs: Any) -> None:
        self.wipe()
        self.show("code")

    def relabel(self) -> None:
        self.show(self.step)

    def show(self, step: str) -> None:
        t = self.ctx.nav.t
        self.step = step
        slot = self.ids.slot
        slot.clear_widgets()
        slot.add_widget(self.board if step == "code" else self.keypad if step == "last4" else self._paged)
        prompts = {"code": t("The application code on your receipt (8 characters)."),
                   "last4": t("The last 4 digits of the mobile number you gave."),
                   "asking": t("One moment, please..."), "result": t("Your application"),
                   "failed": t("The status cannot be shown now.")}
        self.prompt = prompts.get(step, "")
        self.shown = display(self._code) if step == "code" and len(self._code) == LENGTH else (
            self._code if step == "code" else "•" * len(self._last4) if step == "last4" else "")
        self.ctx.nav.step_shown(self.name)

    def code_key(self, key: str) -> None:
        if key == CLEAR:
            self._code = ""
        elif key == BACKSPACE:
            self._code = self._code[:-1]
        elif len(self._code) < LENGTH:
            self._code += key
        self.message = ""
        self.show("code")

    def digit(self, key: str) -> None:
        if key == CLEAR:
            self._last4 = ""
        elif key == BACKSPACE:
            self._last4 = self._last4[:-1]
        elif len(self._last4) < 4:
            self._last4 += key
        self.message = ""
        self.show("last4")

    def next(self) -> None:
        t = self.ctx.nav.t
        if self.step == "code":
            if len(self._code) != LENGTH:
                self.tone, self.message = "warn", t("The code has 8 characters. Please check your receipt.")
                return
            self.show("last4")
            return
        try:
            last4 = parse_last4(self._last4)
        except FieldError as exc:
            self.tone, self.message = "warn", exc.message(self.ctx.nav.locale)
            return
        self.ask(self._code, last4)

    def ask(self, code: str, last4: str) -> None:
        apps = self.ctx.services.applications
        client = apps.client if apps is not None else None
        if client is None:
            self.failed(StatusUnavailable("offline",
                                          "这台机器没有连上中心系统，查不了进度。请扫回执上的二维码用手机查，或打电话问。",
                                          "This kiosk is not connected to the central service. Scan the QR "
                                          "code on your receipt with your phone, or call."))
            return
        self.show("asking")

        def done(status: Status | None, error: BaseException | None) -> None:
            if error is not None or status is None:
                self.failed(error or StatusUnavailable("bad_answer", "", ""))
            else:
                self.found(status)

        run_async(lambda: query_status(client, code, last4), done)

    def failed(self, error: BaseException) -> None:
        """A typo (not found, a bad character) goes back to the code, kept to correct; no
        line or too many tries is the end of it, in plain words."""
        loc = self.ctx.nav.locale
        self.tone = "warn"
        text = getattr(error, "text", None)
        self.message = (text.get(loc) or text["zh-CN"]) if isinstance(text, dict) and text.get("zh-CN") else \
            self.ctx.nav.t("The status cannot be shown now. Please try again later.")
        self._last4 = ""
        reason = getattr(error, "reason", "")
        self.show("failed" if reason in ("offline", "unreachable", "rate_limited", "bad_answer") else "code")

    def found(self, status: Status) -> None:
        t, loc = self.ctx.nav.t, self.ctx.nav.locale
        chain = list(self.ctx.services.cfg.fallback_chain(loc))

        def pick(text: dict[str, str]) -> str:
            return next((text[c] for c in chain if c in text), next(iter(text.values()), ""))

        kinds = self.ctx.services.bundle.applications
        title = pick(dict(kinds[status.kind].title)) if status.kind in kinds else t("Your application")
        lines = [pick(status.status_text), pick(status.next_step)]
        if status.decision_due is not None:
            lines.append(f"{t('Decision due by')}: {day_label(status.decision_due, loc)}")
        if status.body:
            lines.append(f"{t('To')}: {pick(status.body)}")
        self._last4 = ""
        self.message = ""
        self.show("result")
        paged = self.ids.paged
        paged.clear_items()
        self._said = [title, *lines]
        paged.add_item(Factory.Section(title=title, text="\n".join(
            [f"{t('Application code')}: {display(status.code or self._code)}", *(x for x in lines if x)])))

    def back(self) -> None:
        if self.step == "last4":
            self.message = ""
            self.show("code")
        else:
            self.ctx.nav.go("home")

    def spoken(self) -> str:
        parts = [self.prompt, self.message]
        if self.step == "result":  # the status in words; the code stays on the screen only
            parts += self._said
        return " ".join(p for p in parts if p)

    def wipe(self) -> None:
        self._said = []
        self._code = self._last4 = ""
        self.shown = self.message = ""
        self.step = "code"
        self.ids.paged.clear_items()
