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
from kiosk.ui.voice import mic_off_text
from kiosk.ui.widgets.choice import ChoiceButton
from kiosk.ui.widgets.inputs import BACKSPACE, CLEAR
from kiosk.ui.widgets.mic import MicButton
from kiosk.ui.widgets.steps import StepsBar
from kiosk.voice.dialogue import VoiceEvent

MAX_DIGITS = 9


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
    #: The notice's tone: "warn" for a refused answer, "info" for what the voice turn says.
    error_tone = StringProperty("warn")
    kind = StringProperty("question")
    typed = StringProperty("")
    unit = StringProperty("")
    has_answers = BooleanProperty(False)

    def __init__(self, ctx: Any, **kwargs: Any) -> None:
        super().__init__(ctx, **kwargs)
        self.view: Screen | None = None
        #: The node whose answer is being changed from the review, if any.
        self.changing: str | None = None
        self._mic = MicButton()
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
        self.error_tone = "warn"
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
        """"My answers" once there are some, and the microphone on questions and info screens
        when speech input works: added and removed, never hidden (a hidden button must not
        catch touches). Not while an answer is changed from the review: the voice answers
        the flow's current question."""
        bar = self.ids.bar
        t = self.ctx.nav.t
        for extra in (self._review, self._mic):
            if extra.parent is not None:
                bar.remove_widget(extra)
        self._review.text = t("My answers")
        if self.has_answers:
            bar.add_widget(self._review)
        voice = self.ctx.voice
        usable = voice is not None and not voice.mic_notice(self.ctx.nav.locale)
        if usable and view.kind in ("question", "info") and not self.changing:
            bar.add_widget(self._mic)

    def listen(self) -> None:
        """The microphone: answer this question by voice; the voice turn then goes on by
        itself, screen after screen, until an outcome, a touch or two misses."""
        if self.ctx.voice is not None and self.view is not None:
            self.ctx.voice.listen_flow()

    def _note(self, text: str, tone: str = "info") -> None:
        self.error, self.error_tone = text, tone

    def voice_event(self, event: VoiceEvent) -> None:
        """What the voice turn did, shown where a refused answer would be."""
        t, locale = self.ctx.nav.t, self.ctx.nav.locale
        if event.kind == "listening":
            self._note(t("Listening... please speak now."))
        elif event.kind == "confirming":
            self._note(t("You said: {answer}. Is that right? Say yes or no.", answer=event.text))
        elif event.kind == "offer_buttons":
            self._note(t("Please touch your answer on the screen."))
        elif event.kind == "unavailable":
            self._note(mic_off_text(self.ctx.voice, locale), "warn")
            if self.view is not None:
                self._build_bar(self.view)
        elif event.kind == "ended" and self.error == t("Listening... please speak now."):
            self._note("")

    def voice_view(self) -> Screen | None:
        """What read-aloud reads: the engine's view of this screen."""
        return self.view

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
            chain = self.ctx.services.cfg.fallback_chain(self.ctx.nav.locale)
            self.error_tone, self.error = "warn", exc.message(chain)
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
            self.error_tone, self.error = "warn", self.ctx.nav.t("Please enter a number.")
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
        if flow.state.path:
            self.note_usage("back", flow=flow.state.flow_id, node=flow.state.path[-1])
        flow.back()
        self.ctx.nav.go("flow")

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

