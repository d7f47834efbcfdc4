"""Every screen and state a resident can meet, each put on screen synchronously.

`states(app)` is what `kiosk screenshots` and `kiosk a11y` walk (UI-CONTRACT.md): each
`show()` leaves the app in that state without waiting for threads or timers, using the
app's own services (so the booking states show the desk's real services and slots).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

import msgspec

from kiosk.flows.model import ActionNode, InfoNode, InputKind, QuestionNode
from kiosk.ports import BookingRefused, DeskUnavailable, OfficeClosed, SlotFull, Ticket
from kiosk.services.printing import PrintOutcome
from kiosk.ui import worker
from kiosk.ui.catalog_rating import RATING_STATES

if TYPE_CHECKING:
    from kiosk.app import KioskApp

OUTCOME_FLOW = "legal-aid"
# wages; no lawyer; work in this county; no 7-day deadline; no dibao; not a migrant; no special group
OUTCOME_ANSWERS: tuple[Any, ...] = ("wages", False, True, False, False, False, False, 3, 3000)
DEMO_PHONE = "13812345678"
APPLY_STATES = ("consent", "consent-id", "who", "card-failed", "name", "name-pinyin", "id-number",
                "id-number-error", "phone", "case", "review", "sending", "done", "done-queued",
                "declined", "error")
TRACK_STATES = ("code", "last4", "result", "not-found", "offline")
_booked_count = [0]


@dataclass(frozen=True)
class UiState:
    name: str
    show: Callable[[], None]


def _inline(show: Callable[[], None]) -> Callable[[], None]:
    """Desk calls and the like run on the caller's thread, so the state is there on return."""

    def run() -> None:
        with worker.inline():
            show()

    return run


def _node(app: KioskApp, test: Callable[[Any], bool]) -> tuple[str, str] | None:
    for flow in sorted(app.services.bundle.flows.values(), key=lambda f: f.id):
        for node in flow.nodes:
            if test(node):
                return flow.id, node.id
    return None


def _question(kind: InputKind) -> Callable[[Any], bool]:
    return lambda n: isinstance(n, QuestionNode) and n.input is kind


def _reset(app: KioskApp) -> None:
    """Each state starts from a fresh resident, in the app's current theme and language."""
    app.idle.touched()
    app.voice.reset()  # default rate and volume: every speech key enabled
    app.session.wipe()
    for screen in app.screens.values():
        screen.wipe()


def _flow_node(app: KioskApp, where: tuple[str, str] | None, action: bool = False) -> None:
    _reset(app)
    screen: Any = app.screens["flow"]
    app.go("flow")
    if where is None:
        return
    flow_id, node_id = where
    view = None
    if action:  # the default content has no action node: show an info node as a ticket action
        session = app.services.engine.start(flow_id, app.locale)
        node = session.compiled.nodes[node_id]
        base = session.renderer().screen(node, node.step or session.compiled.flow.steps[0].id, True, None)
        view = msgspec.structs.replace(base, kind="action", action="ticket", service="consultation",
                                       body="")
    screen.preview(flow_id, node_id, view)


def _outcome(app: KioskApp) -> Any:
    _reset(app)
    session = app.services.engine.start(OUTCOME_FLOW, app.locale)
    for answer in OUTCOME_ANSWERS:
        session.answer(answer)
    app.session.flow = session
    app.go("outcome")
    return app.screens["outcome"]


def _review(app: KioskApp) -> None:
    _outcome(app)
    app.go("review")


def _booking(app: KioskApp, upto: str) -> Any:
    _reset(app)
    screen: Any = app.screens["booking"]
    desk = app.services.desk
    app.go("booking")
    services = [s for s in desk.services() if s.bookable]
    screen.got_services(services, None)
    if upto == "service":
        return screen
    draft = app.session.booking
    draft.service = services[0].id
    screen.got_slots(desk.slots(draft.service))
    if upto == "day":
        return screen
    draft.day = min(s.start.date() for s in screen._slots)
    screen.show("slot")
    if upto == "slot":
        return screen
    draft.slot = next(s for s in screen._slots if s.start.date() == draft.day)
    for digit in DEMO_PHONE[:7]:
        screen.key(digit)
    screen.show("phone")
    if upto == "phone":
        return screen
    for digit in DEMO_PHONE[7:]:
        screen.key(digit)
    screen.show("confirm")
    if upto == "confirm":
        return screen
    # The middle digits (masked on screen) change, so the desk's per-phone limit never bites.
    _booked_count[0] += 1
    phone = f"{DEMO_PHONE[:3]}{_booked_count[0] % 10000:04d}{DEMO_PHONE[7:]}"
    screen.booked(desk.book(draft.slot.id, draft.service, phone))
    return screen


def _booking_error(app: KioskApp, error: BaseException) -> None:
    screen = _booking(app, "confirm")
    screen.failed(error)


def _ticket(app: KioskApp, upto: str, provisional: bool = False) -> Any:
    _reset(app)
    screen: Any = app.screens["ticket"]
    app.go("ticket")
    screen.got_services(app.services.desk.services(), None)
    if upto == "service":
        return screen
    app.session.ticket.service = "consultation"
    screen.show("priority")
    if upto == "priority":
        return screen
    app.session.ticket.result = Ticket(
        id="demo", number="K3-017" if provisional else "A012", service="consultation",
        issued_at=app.services.clock(), priority="elderly", people_ahead=None if provisional else 4,
        wait_minutes=None if provisional else 20, provisional=provisional)
    screen.show("done")
    return screen


def _ticket_closed(app: KioskApp) -> Any:
    """The legal-aid centre refused a ticket for hours: it opens tomorrow at 9:00."""
    screen = _ticket(app, "priority")
    app.session.ticket.service = "legal-aid"
    tomorrow = app.services.clock().date() + dt.timedelta(days=1)
    screen.failed(OfficeClosed(dt.datetime.combine(tomorrow, dt.time(9, 0))))
    return screen


def _search(app: KioskApp, query: str, no_speech: bool = False) -> None:
    _reset(app)
    screen: Any = app.screens["search"]
    app.go("search")
    for key in query:
        screen.key(key if key != " " else "space")
    screen.run_search()
    if no_speech:  # as when no speech model is installed, even on a kiosk that has one
        from kiosk.ui.voice import mic_off_text

        screen.mic_unavailable(mic_off_text(app.voice, app.locale))


def _maintenance(app: KioskApp, state: str) -> None:
    _reset(app)
    screen: Any = app.screens["maintenance"]
    app.go("maintenance")
    if state == "locked":
        screen.message = app.t("Too many wrong PINs. Try again in {n} minutes.", n=5)
    elif state == "status":
        screen.unlocked = True
        screen.status = screen._collect()
    else:
        for _ in range(4):
            screen.key("1")


def _staff(app: KioskApp, able: bool, called: bool = False) -> None:
    _reset(app)
    app.go("staff")
    screen: Any = app.screens["staff"]
    screen.preview(able, called)


def _simple(app: KioskApp, name: str, **kwargs: Any) -> Callable[[], None]:
    def show() -> None:
        _reset(app)
        app.go(name, **kwargs)

    return show


def _apply(app: KioskApp, upto: str) -> Any:
    """The legal-aid application from the outcome, up to `upto` (a made-up applicant)."""
    from kiosk.ui.catalog_apply import apply_state

    _outcome(app)
    return apply_state(app, upto)


def _track(app: KioskApp, upto: str) -> Any:
    from kiosk.ui.catalog_apply import track_state

    _reset(app)
    return track_state(app, upto)


def _rating(app: KioskApp, step: str) -> Any:
    from kiosk.ui.catalog_rating import rating_state

    _reset(app)
    return rating_state(app, step)


def states(app: KioskApp) -> list[UiState]:
    choice = _node(app, _question(InputKind.CHOICE))
    yesno = _node(app, _question(InputKind.YESNO))
    number = _node(app, _question(InputKind.NUMBER))
    date = _node(app, _question(InputKind.DATE))
    info = _node(app, lambda n: isinstance(n, InfoNode))
    action = _node(app, lambda n: isinstance(n, ActionNode))
    topic = next((t.id for t in app.services.bundle.pack.topics), "")
    outcome = lambda: _outcome(app)  # noqa: E731

    def flow_error() -> None:
        _flow_node(app, number)
        app.screens["flow"].submit_number()

    def flow_fault() -> None:
        _flow_node(app, choice)
        session = app.session.flow
        assert session is not None
        session.state.fault = session.state.path[-1]
        app.screens["flow"].render()

    def outcome_basis() -> None:
        _outcome(app).fold()

    def outcome_printed() -> None:
        _outcome(app).printed(PrintOutcome(printed=True, message=""), None)

    def error_printer() -> None:
        screen = _outcome(app)
        screen.show_print_failure(screen.qr)

    def no_speaker() -> None:  # as when no speaker works, even on a kiosk whose speaker does
        _reset(app)
        app.go("home")
        app.voice.show_speaker_off()

    def speech_limits() -> None:  # the slowest rate and full volume: those keys disabled
        _reset(app)
        app.go("flow", start=OUTCOME_FLOW)
        for step in ("slower", "slower", "louder"):
            app.speech_step(step)

    def idle() -> None:
        _reset(app)
        app.idle.last = app.services.monotonic() - app.settings.idle_seconds  # just warned
        app.go("idle", back_to="home")

    listed = [
        UiState("attract", _simple(app, "attract")),
        UiState("home", _simple(app, "home")),
        UiState("topics", _simple(app, "topics")),
        UiState("flows", _simple(app, "flows", topic=topic)),
        UiState("search", lambda: _search(app, "")),
        UiState("search-results", lambda: _search(app, "gongshang")),
        UiState("search-none", lambda: _search(app, "zzqx")),
        UiState("search-referral", lambda: _search(app, "shenfenzheng")),
        UiState("error-no-speech", lambda: _search(app, "", no_speech=True)),
        UiState("error-no-speaker", no_speaker),
        UiState("speech-limits", speech_limits),
        UiState("flow-choice", lambda: _flow_node(app, choice)),
        UiState("flow-yesno", lambda: _flow_node(app, yesno)),
        UiState("flow-number", lambda: _flow_node(app, number)),
        UiState("flow-number-error", flow_error),
        UiState("flow-date", lambda: _flow_node(app, date)),
        UiState("flow-info", lambda: _flow_node(app, info)),
        UiState("flow-action", lambda: _flow_node(app, action or info, action=action is None)),
        UiState("flow-fault", flow_fault),
        UiState("review", lambda: _review(app)),
        UiState("outcome", outcome),
        UiState("outcome-basis", outcome_basis),
        UiState("outcome-printed", outcome_printed),
        UiState("error-printer", error_printer),
        UiState("booking-service", lambda: _booking(app, "service")),
        UiState("booking-day", lambda: _booking(app, "day")),
        UiState("booking-slot", lambda: _booking(app, "slot")),
        UiState("booking-phone", lambda: _booking(app, "phone")),
        UiState("booking-confirm", lambda: _booking(app, "confirm")),
        UiState("booking-done", lambda: _booking(app, "done")),
        UiState("booking-slot-full", lambda: _booking_error(app, SlotFull("demo"))),
        UiState("booking-refused", lambda: _booking_error(app, BookingRefused("phone_limit"))),
        UiState("error-central", lambda: _booking_error(app, DeskUnavailable("demo"))),
        UiState("ticket-service", lambda: _ticket(app, "service")),
        UiState("ticket-priority", lambda: _ticket(app, "priority")),
        UiState("ticket-done", lambda: _ticket(app, "done")),
        UiState("ticket-provisional", lambda: _ticket(app, "done", provisional=True)),
        UiState("ticket-error", lambda: _ticket(app, "service").failed(DeskUnavailable("demo"))),
        UiState("ticket-closed", lambda: _ticket_closed(app)),
        *[UiState(f"apply-{step}", partial(_apply, app, step)) for step in APPLY_STATES],
        *[UiState(f"track-{step}", partial(_track, app, step)) for step in TRACK_STATES],
        *[UiState(f"rating-{step}", partial(_rating, app, step)) for step in RATING_STATES],
        UiState("office", _simple(app, "office")),
        UiState("staff", lambda: _staff(app, able=True)),
        UiState("staff-called", lambda: _staff(app, able=True, called=True)),
        UiState("error-staff-no-speaker", lambda: _staff(app, able=False)),
        UiState("idle", idle),
        UiState("maintenance-pin", lambda: _maintenance(app, "pin")),
        UiState("maintenance-locked", lambda: _maintenance(app, "locked")),
        UiState("maintenance-status", lambda: _maintenance(app, "status")),
    ]
    return [UiState(state.name, _inline(state.show)) for state in listed]

