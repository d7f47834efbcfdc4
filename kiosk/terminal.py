"""A terminal walk through the flows: `kiosk walk`, for a machine without a touchscreen.

It drives the same engine and views the touchscreen will, one screen at a time, and
prints the summary slip of an outcome on the configured printer (by default the virtual
printer: ESC/POS bytes and a PNG preview in `var/slips/`).
Commands at any prompt: b = back, r = review, h = home, q = quit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from kiosk.config import KioskConfig
from kiosk.content.bundle import Bundle
from kiosk.flows.answers import InvalidAnswer
from kiosk.flows.engine import FlowEngine, FlowSession
from kiosk.flows.texts import pick
from kiosk.flows.views import OutcomeView, Screen

if TYPE_CHECKING:
    from kiosk.search.service import SearchService
    from kiosk.services.printing import PrintOutcome

UI = {
    "home": {"zh-CN": "请选择您要办的事（输入编号），或输入文字搜索：",
             "en": "Choose your matter (type its number), or type words to search:"},
    "hint": {"zh-CN": "b=返回  r=查看答案  h=首页  q=退出",
             "en": "b=back  r=review answers  h=home  q=quit"},
    "saved": {"zh-CN": "摘要已保存：", "en": "Summary saved to:"},
    "none": {"zh-CN": "没有找到，请换个说法。", "en": "Nothing found; try other words."},
    "bye": {"zh-CN": "再见。", "en": "Goodbye."},
}


class _Quit(Exception):
    pass


class _Home(Exception):
    pass


def walk(
    cfg: KioskConfig,
    bundle: Bundle,
    locale: str,
    ask: Callable[[str], str] = input,
    say: Callable[[str], None] = print,
) -> int:
    chain = cfg.fallback_chain(locale)
    engine = FlowEngine(bundle, chain=cfg.fallback_chain)
    topic_order = {t.id: i for i, t in enumerate(bundle.pack.topics)}
    flows = sorted(bundle.flows.values(), key=lambda f: (topic_order.get(f.topic, len(topic_order)), f.id))

    def ui(key: str) -> str:
        return pick(UI[key], chain)

    def prompt() -> str:
        try:
            reply = ask("> ").strip()
        except EOFError:
            raise _Quit from None
        if reply == "q":
            raise _Quit
        if reply == "h":
            raise _Home
        return reply

    try:
        while True:
            say("")
            say(ui("home"))
            for i, flow in enumerate(flows, 1):
                say(f"  {i:2d}. {pick(flow.title, chain)}")
            try:
                reply = prompt()
            except _Home:
                continue
            if reply.isdigit() and 1 <= int(reply) <= len(flows):
                flow_id = flows[int(reply) - 1].id
            elif reply:
                found = _search(bundle, reply, locale)
                if not found:
                    say(ui("none"))
                    continue
                flow_id = found
            else:
                continue
            try:
                _interview(engine.start(flow_id, locale), cfg, ui, prompt, say)
            except _Home:
                continue
    except _Quit:
        say(ui("bye"))
    return 0


_SEARCH: dict[str, SearchService] = {}


def _search(bundle: Bundle, query: str, locale: str) -> str | None:
    """The index is built on the first search, not at start-up (pinyin tables take a while)."""
    from kiosk.search.service import SearchService

    if bundle.version not in _SEARCH:
        _SEARCH[bundle.version] = SearchService.for_bundle(bundle)
    hits = _SEARCH[bundle.version].search(query, top=1, locale=locale)
    return hits[0].flow if hits else None


def _show(screen: Screen, say: Callable[[str], None]) -> None:
    say("")
    say(f"[{screen.flow_title}]  {screen.progress.label} {screen.progress.title}")
    say(screen.text)
    if screen.body:
        say(screen.body)
    if screen.help:
        say(f"({screen.help})")
    if screen.input == "yesno":
        say(f"  1. {screen.yes_no[0]}   2. {screen.yes_no[1]}")
    for i, choice in enumerate(screen.choices, 1):
        say(f"  {i}. {choice.label}")
    if screen.number:
        say(f"  [{screen.number.unit}]")
    if screen.date:
        say(f"  YYYY-MM-DD ({screen.date.earliest} .. {screen.date.latest})")


def _parse(screen: Screen, reply: str) -> object:
    if screen.input == "yesno":
        return {"1": True, "2": False}.get(reply, reply)
    if screen.input == "choice" and reply.isdigit() and 1 <= int(reply) <= len(screen.choices):
        return screen.choices[int(reply) - 1].value
    return reply


def _interview(
    session: FlowSession,
    cfg: KioskConfig,
    ui: Callable[[str], str],
    prompt: Callable[[], str],
    say: Callable[[str], None],
) -> None:
    chain = cfg.fallback_chain(session.state.locale)
    screen = session.screen()
    while True:
        _show(screen, say)
        if screen.kind == "outcome" and screen.outcome is not None:
            say("")
            say(screen.outcome.as_text())
            outcome = _print_summary(cfg, screen.outcome)
            say(outcome.message if outcome.printed else f"{outcome.message} {outcome.qr}")
            say(ui("hint"))
        elif screen.kind != "question":
            say(ui("hint"))
        reply = prompt()
        if reply == "b":
            screen = session.back()
        elif reply == "r":
            for item in session.review():
                say(f"  - {item.question}  {item.answer}")
        elif screen.kind == "question":
            try:
                screen = session.answer(_parse(screen, reply))
            except InvalidAnswer as exc:
                say(exc.message(chain))
        elif screen.kind in ("info", "action"):
            screen = session.advance()
        elif screen.kind in ("outcome", "fault"):
            raise _Home


def _print_summary(cfg: KioskConfig, outcome: OutcomeView) -> PrintOutcome:
    """Print the outcome's summary slip on the configured printer (virtual by default)."""
    from kiosk.devices.select import make_printer, printer_profile
    from kiosk.services.faults import FaultLog
    from kiosk.services.printing import PrintService
    from kiosk.slips.data import SummaryData

    service = PrintService(make_printer(cfg), printer_profile(cfg), FaultLog(cfg.state_dir / "faults.jsonl"))
    from kiosk.services.public_urls import outcome_url, public_base_url

    data = SummaryData(outcome=outcome, printed_at=dt.datetime.now(),
                       qr=outcome_url(public_base_url(cfg), outcome.flow_id, outcome.node_id, outcome.locale))
    return service.print(data, outcome.locale)
