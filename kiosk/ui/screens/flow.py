"""One screen of a flow: a question (choice, yes/no, number, date), info, action or fault.

Progress as named steps, Back, Home and "call staff" on every flow screen. The engine
decides what comes next; this screen only renders its `Screen` view and hands answers back.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from kivy.factory import Factory
from kivy.properties import BooleanProperty, ObjectProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout

from kiosk.flows.answers import InvalidAnswer
from kiosk.flows.texts import pick
from kiosk.flows.views import Screen
from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.voice import answer_phrases, listen_blocking, match_answer
from kiosk.ui.widgets.base import KButton
from kiosk.ui.widgets.inputs import BACKSPACE, CLEAR
from kiosk.ui.widgets.steps import StepsBar
from kiosk.ui.worker import run_async

MAX_DIGITS = 9


class ChoiceButton(KButton):
    pass


class NumberEntry(BoxLayout):
    """The typed number, its unit, the keypad and OK."""

    screen = ObjectProperty(None)


class DateEntry(BoxLayout):
    """The date picker and OK."""

    screen = ObjectProperty(None)


class FlowScreen(KioskScreen):
    heading = StringProperty("")
    question = StringProperty("")
    help_text = StringProperty("")
    body = StringProperty("")
    error = StringProperty("")
    kind = StringProperty("question")
    typed = StringProperty("")
    unit = StringProperty("")
    has_answers = BooleanProperty(False)

    def __init__(self, ctx: Any, **kwargs: Any) -> None:
        super().__init__(ctx, **kwargs)
        self.view: Screen | None = None
        #: The node whose answer is being changed from the review, if any.
        self.changing: str | None = None
        self._mic = Factory.KButton(icon="mic", style="primary", main=True)
        self._mic.bind(on_release=lambda _b: self.listen())
        self._review = Factory.KButton(icon="list", style="secondary", main=True)
        self._review.bind(on_release=lambda _b: self.ctx.nav.go("review"))

    # --- entering --------------------------------------------------------------------------

    def enter(self, start: str | None = None, change: str | None = None, **kwargs: Any) -> None:
        session = self.ctx.session
        if start is not None:
            session.flow = self.ctx.services.engine.start(start, self.ctx.nav.locale)
            session.offered_service = None
        self.changing = change
        self.render()

    def relabel(self) -> None:
        if self.ctx.session.flow is not None:
            self.render()

    def preview(self, flow_id: str, node_id: str, view: Screen | None = None) -> None:
        """Show one node of a flow as it would appear (screenshots, the catalogue)."""
        self.ctx.session.flow = flow = self.ctx.services.engine.start(flow_id, self.ctx.nav.locale)
        node = flow.compiled.nodes[node_id]
        self.changing = None
        shown = view or flow.renderer().screen(node, node.step or flow.compiled.flow.steps[0].id, True, None)
        self._show(shown)

    def current_view(self) -> Screen:
        flow = self.ctx.session.flow
        assert flow is not None
        if self.changing:
            node = flow.compiled.nodes[self.changing]
            return flow.renderer().screen(node, node.step or flow.compiled.flow.steps[0].id, True,
                                          flow.state.answers.get(self.changing))
        return flow.screen()

    def render(self) -> None:
        flow = self.ctx.session.flow
        if flow is None:
            return
        self._show(self.current_view())

    def _show(self, view: Screen) -> None:
        flow = self.ctx.session.flow
        assert flow is not None
        self.view = view
        self.error = ""
        self.typed = ""
        self.heading = view.flow_title
        self.kind = view.kind
        self.question = view.text
        self.help_text = view.help
        self.body = view.body
        self.unit = view.number.unit if view.number else ""
        self.has_answers = bool(flow.state.answers) and not self.changing
        chain = self.ctx.services.cfg.fallback_chain(self.ctx.nav.locale)
        steps: StepsBar = self.ids.steps
        steps.show([pick(s.title, chain) for s in flow.compiled.flow.steps], view.progress.index)
        if view.input == "number" and view.previous is not None:
            self.typed = _plain(view.previous)
        self._build_area(view)
        self._build_bar(view)

    def _build_bar(self, view: Screen) -> None:
        """"My answers" once there are some, and Speak for choice and yes/no questions when
        speech input works: added and removed, never hidden (a hidden button must not catch
        touches)."""
        bar = self.ids.bar
        t = self.ctx.nav.t
        for extra in (self._review, self._mic):
            if extra.parent is not None:
                bar.remove_widget(extra)
        self._review.text, self._mic.text = t("My answers"), t("Speak")
        if self.has_answers:
            bar.add_widget(self._review)
        usable = self.ctx.services.recognizer.unavailable() is None
        if usable and view.kind == "question" and view.input in ("choice", "yesno"):
            bar.add_widget(self._mic)

    def listen(self) -> None:
        view = self.view
        recognizer = self.ctx.services.recognizer
        if view is None or recognizer.unavailable() is not None:
            return
        table = answer_phrases(view, self.ctx.nav.locale)
        self.ctx.services.speaker.stop()
        self.error = self.ctx.nav.t("Listening... please speak now.")
        locale, node = self.ctx.nav.locale, view.node_id
        run_async(lambda: listen_blocking(recognizer, list(table), locale),
                  lambda text, _err: self.heard(text or "", table, node))

    def heard(self, text: str, table: dict[str, Any], node: str) -> None:
        if self.view is None or self.view.node_id != node:
            return  # the resident moved on by touch meanwhile
        found, value = match_answer(text, table)
        if not found:
            self.error = self.ctx.nav.t("I did not catch that. Please say it again, or touch your answer.")
            return
        self.error = ""
        self.answer(value)

    def _build_area(self, view: Screen) -> None:
        area = self.ids.area
        area.clear_items()
        t = self.ctx.nav.t
        if view.kind == "question" and view.input == "choice":
            grid = _grid(2 if self.ctx.nav.landscape else 1)
            for choice in view.choices:
                button = ChoiceButton(text=choice.label, icon=choice.icon or "", value=choice.value,
                                      style="selected" if view.previous == choice.value else "choice")
                button.bind(on_release=lambda b: self.answer(b.value))
                grid.add_widget(button)
            area.add_item(grid)
        elif view.kind == "question" and view.input == "yesno":
            grid = _grid(2)
            for label, value, icon in ((view.yes_no[0], True, "check"), (view.yes_no[1], False, "close")):
                button = ChoiceButton(text=label, icon=icon, vertical=True, role="title",
                                      style="selected" if view.previous is value else "choice")
                button.bind(on_release=lambda b, v=value: self.answer(v))
                grid.add_widget(button)
            area.add_item(grid)
        elif view.kind == "question" and view.input == "number":
            area.add_item(NumberEntry(screen=self))
        elif view.kind == "question" and view.input == "date":
            entry = DateEntry(screen=self)
            spec = view.date
            assert spec is not None
            prev = view.previous if isinstance(view.previous, dt.date) else None
            entry.ids.picker.setup(spec.earliest, spec.latest, prev)
            area.add_item(entry)
        elif view.kind == "action":
            grid = _grid(1)
            action = view.action or ""
            acts = {"book": (t("Book an appointment"), "calendar"),
                    "ticket": (t("Take a queue number"), "ticket"),
                    "call_staff": (t("Call staff"), "staff")}
            if action in acts:
                act = ChoiceButton(text=acts[action][0], icon=acts[action][1], style="primary")
                act.bind(on_release=lambda _b: self.act(view.action or ""))
                grid.add_widget(act)
            go_on = ChoiceButton(text=t("Continue"), icon="next",
                                 style="secondary" if action in acts else "primary")
            go_on.bind(on_release=lambda _b: self.advance())
            grid.add_widget(go_on)
            area.add_item(grid)
        elif view.kind == "info":
            grid = _grid(1)
            go_on = ChoiceButton(text=t("Continue"), icon="next", style="primary")
            go_on.bind(on_release=lambda _b: self.advance())
            grid.add_widget(go_on)
            area.add_item(grid)
        elif view.kind == "fault":
            grid = _grid(1)
            staff = ChoiceButton(text=t("Call staff"), icon="staff", style="primary")
            staff.bind(on_release=lambda _b: self.ctx.nav.go("staff"))
            grid.add_widget(staff)
            area.add_item(grid)

    # --- what the resident does ----------------------------------------------------------------

    def answer(self, value: Any) -> None:
        flow = self.ctx.session.flow
        if flow is None:
            return
        try:
            if self.changing:
                flow.change(self.changing, value)
            else:
                flow.answer(value)
        except InvalidAnswer as exc:
            self.error = exc.message(self.ctx.services.cfg.fallback_chain(self.ctx.nav.locale))
            return
        was_changing, self.changing = self.changing, None
        if flow.finished:
            self.ctx.nav.go("outcome")
        elif was_changing and flow.current.id != was_changing and flow.state.path[-1] in flow.state.answers:
            self.ctx.nav.go("review")
        else:
            self.ctx.nav.go("flow")

    def key(self, key: str) -> None:
        if key == CLEAR:
            self.typed = ""
        elif key == BACKSPACE:
            self.typed = self.typed[:-1]
        elif len(self.typed) < MAX_DIGITS and not (key == "0" and self.typed == "0"):
            self.typed = key if self.typed == "0" else self.typed + key
        self.error = ""

    def submit_number(self) -> None:
        if not self.typed:
            self.error = self.ctx.nav.t("Please enter a number.")
            return
        self.answer(self.typed)

    def submit_date(self, value: dt.date) -> None:
        self.answer(value)

    def advance(self) -> None:
        flow = self.ctx.session.flow
        if flow is None:
            return
        flow.advance()
        self.ctx.nav.go("outcome" if flow.finished else "flow")

    def act(self, action: str) -> None:
        service = self.view.service if self.view else None
        self.ctx.session.offered_service = service
        if action == "book":
            self.ctx.nav.go("booking", fresh=True, service=service)
        elif action == "ticket":
            self.ctx.nav.go("ticket", fresh=True, service=service)
        elif action == "call_staff":
            self.ctx.nav.go("staff")

    def back(self) -> None:
        flow = self.ctx.session.flow
        if self.changing:
            self.changing = None
            self.ctx.nav.go("review")
            return
        if flow is None or not flow.screen().can_back:
            self.ctx.nav.go("home")
            return
        flow.back()
        self.ctx.nav.go("flow")

    def spoken(self) -> str:
        if self.view is None:
            return ""
        parts = [self.view.speak]
        if self.view.input == "choice":
            parts += [c.label for c in self.view.choices]
        elif self.view.input == "yesno":
            parts += list(self.view.yes_no)
        return " ".join(p for p in parts if p)

    def wipe(self) -> None:
        self.view = None
        self.changing = None
        self.typed = ""
        self.question = self.help_text = self.body = self.error = ""
        self.ids.area.clear_items()


def _grid(cols: int) -> Any:
    from kivy.factory import Factory

    return Factory.ChoiceGrid(cols=cols)


def _plain(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)

