"""The composition root: the one place that picks real or fake adapters for the kiosk.

`build_services(cfg)` reads the configuration once and hands back a plain `Services`
(no Kivy) that the app passes to each screen's constructor. Tests and tools pass
overrides (a fake printer, a desk that fails) instead of patching modules.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.config import KioskConfig
from kiosk.content.bundle import Bundle
from kiosk.devices.null_idcard import NullIdCardReader
from kiosk.flows.engine import FlowEngine
from kiosk.ports import Desk, IdCardReader, Printer, Recognizer, Speaker
from kiosk.services.faults import FaultLog
from kiosk.services.local_desk import DeskHours, LocalDesk
from kiosk.services.printing import PrintService

if TYPE_CHECKING:
    from kiosk.applications.submit import Applications
    from kiosk.devices.a4printer import CupsA4Printer, NoA4Printer
    from kiosk.devices.handwriting import HandwritingRecognizer
    from kiosk.insight.usage import UsageRecorder
    from kiosk.search.service import SearchService
    from kiosk.services.central_link import CentralLink

log = logging.getLogger(__name__)

CJK_FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
CJK_FONT_BOLD = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"
ICON_FONT = "/usr/share/fonts/truetype/materialdesignicons-webfont/materialdesignicons-webfont.ttf"


@dataclass(frozen=True)
class UiSettings:
    """`[ui]` and `[maintenance]` in the config."""

    idle_seconds: float = 60.0
    warning_seconds: float = 30.0
    orientation: str = "portrait"
    theme: str = "normal"
    font: Path = Path(CJK_FONT)
    font_bold: Path = Path(CJK_FONT_BOLD)
    icon_font: Path = Path(ICON_FONT)
    #: The face of a font collection (.ttc) to use: Noto Sans CJK's first face is Japanese.
    font_face: str = "Noto Sans CJK SC"
    pin_hash: str = ""
    pin_tries: int = 5
    lock_minutes: float = 5.0
    read_aloud: bool = False

    @classmethod
    def from_config(cls, cfg: KioskConfig) -> UiSettings:
        ui: dict[str, Any] = dict(cfg.extra.get("ui", {}))
        maint: dict[str, Any] = dict(cfg.extra.get("maintenance", {}))
        base = cls()
        from kiosk.config import ConfigError

        orientation = str(ui.get("orientation", base.orientation))
        if orientation not in ("portrait", "landscape"):
            raise ConfigError(f"[ui] orientation must be 'portrait' or 'landscape', not {orientation!r}")
        if str(ui.get("theme", base.theme)) not in ("normal", "elderly", "contrast"):
            raise ConfigError(f"[ui] theme must be normal, elderly or contrast, not {ui.get('theme')!r}")
        try:
            return cls(
                idle_seconds=float(ui.get("idle_seconds", base.idle_seconds)),
                warning_seconds=max(20.0, float(ui.get("warning_seconds", base.warning_seconds))),
                orientation=orientation,
                theme=str(ui.get("theme", base.theme)),
                font=Path(str(ui.get("font", base.font))),
                font_bold=Path(str(ui.get("font_bold", base.font_bold))),
                icon_font=Path(str(ui.get("icon_font", base.icon_font))),
                font_face=str(ui.get("font_face", base.font_face)),
                pin_hash=str(maint.get("pin_hash", base.pin_hash)),
                pin_tries=int(maint.get("tries", base.pin_tries)),
                lock_minutes=float(maint.get("lock_minutes", base.lock_minutes)),
                read_aloud=str(ui.get("read_aloud", "false")).lower() in ("1", "true", "yes"),
            )
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"[ui] or [maintenance]: a number is not a number ({exc})") from exc


@dataclass
class Services:
    cfg: KioskConfig
    bundle: Bundle
    engine: FlowEngine
    printer: Printer
    printing: PrintService
    desk: Desk
    speaker: Speaker
    recognizer: Recognizer
    faults: FaultLog
    settings: UiSettings
    #: Wall clock (slots, slips) and monotonic clock (idle, PIN lock).
    clock: Callable[[], dt.datetime] = dt.datetime.now
    monotonic: Callable[[], float] = time.monotonic
    #: What the desk is: "local" (in this kiosk's memory) or "central".
    desk_kind: str = "local"
    load_bundle: Callable[[], Bundle] | None = None
    #: The tie to the central service when `[central] url` is set (else None): the app
    #: starts and stops its background work; new signed content waits there for the idle.
    central: CentralLink | None = None
    #: The resident ID card reader ([idcard] port); the null reader when none is configured.
    idcard: IdCardReader = field(default_factory=NullIdCardReader)
    #: Applications (issue 13): drafts, sealing, the outbox; None when it could not be built.
    applications: Applications | None = None
    #: The A4 printer for application forms ([a4] printer); NoA4Printer when none.
    a4: CupsA4Printer | NoA4Printer | None = None
    #: Names written by finger; NullHandwriting (with its reason) when zinnia is missing.
    handwriting: HandwritingRecognizer | None = None
    #: Usage events and ratings (issue 15), batched into the outbox; None when it has none.
    usage: UsageRecorder | None = None
    _search: SearchService | None = field(default=None, repr=False)
    _search_version: str = field(default="", repr=False)
    _search_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def search(self) -> SearchService:
        """The search index, built on first use (pinyin tables take a while to load)."""
        with self._search_lock:
            if self._search is None or self._search_version != self.bundle.version:
                from kiosk.search.service import SearchService

                self._search = SearchService.for_bundle(self.bundle, {
                    loc: list(self.cfg.fallback_chain(loc)[1:]) for loc in self.cfg.locales})
                self._search_version = self.bundle.version
            return self._search

    def warm_up(self) -> None:
        """Load now what a resident's first search or first slip would otherwise wait for
        (the search index with its pinyin tables; python-escpos and its printer database).
        The app calls it in a worker thread once the attract screen is up."""
        self.search()
        from escpos.printer import Dummy

        Dummy()
        from kiosk.applications.pinyin_input import warm

        warm()  # the pinyin name candidates' tables (about a second)

    def reload_content(self) -> str:
        """Load the content again (maintenance); sessions in progress keep their bundle."""
        if self.load_bundle is None:
            return self.bundle.version
        self.bundle = self.load_bundle()
        self.engine = FlowEngine(self.bundle, chain=self.cfg.fallback_chain,
                                 clock=lambda: self.clock().date())
        if self.applications is not None:
            self.applications.bundle = self.bundle
        return self.bundle.version

    def swap_content(self, bundle: Bundle, engine: FlowEngine, search: SearchService | None = None) -> None:
        """Serve another bundle from now on (at the idle: no session holds the old one)."""
        with self._search_lock:
            self.bundle, self.engine = bundle, engine
            if self.applications is not None:
                self.applications.bundle = bundle
            if search is not None:
                self._search, self._search_version = search, bundle.version

    def apply_pending_content(self) -> str | None:
        """The idle wipe: newer verified content, if some is ready, is served from now on."""
        return self.central.apply_pending() if self.central is not None else None

    def start_background(self, state: Callable[[], str]) -> None:
        if self.central is not None:
            self.central.start(state)

    def stop_background(self) -> None:
        if self.central is not None:
            self.central.stop()
        self.idcard.close()


def build_services(
    cfg: KioskConfig,
    *,
    bundle: Bundle | None = None,
    printer: Printer | None = None,
    desk: Desk | None = None,
    speaker: Speaker | None = None,
    recognizer: Recognizer | None = None,
    clock: Callable[[], dt.datetime] | None = None,
    monotonic: Callable[[], float] | None = None,
    settings: UiSettings | None = None,
    env: dict[str, str] | None = None,
    idcard: IdCardReader | None = None,
) -> Services:
    """`env` (default: the process environment) may set KIOSK_CENTRAL_URL and friends: with
    a central URL and no `desk` override the desk is the connector's, the content the last
    verified signed bundle."""
    from kiosk.connector.settings import load_central_settings
    from kiosk.devices.select import make_printer, printer_profile

    central = desk is None and load_central_settings(cfg, env).enabled

    def paths() -> tuple[Path, Path]:
        if central:
            from kiosk.connector.factory import serving_content

            return serving_content(cfg)
        return cfg.content_path, cfg.locality_path

    def load() -> Bundle:
        return load_from(*paths())

    def load_from(content: Path, locality: Path) -> Bundle:
        from kiosk.content.compiled import load_serving_bundle

        loaded, problems = load_serving_bundle(content, locality, cfg.state_dir / "content")
        for problem in problems:
            log.error("content problem: %s", problem)
        if loaded is None or not loaded.flows:
            raise SystemExit("no content to serve: run `kiosk validate` for the full list of problems")
        return loaded

    clock = clock or dt.datetime.now
    bundle = bundle or load()
    faults = FaultLog(cfg.state_dir / "faults.jsonl")
    printer = printer or make_printer(cfg)
    if idcard is None:
        from kiosk.devices.idcard_config import make_idcard_reader

        idcard = make_idcard_reader(cfg)
    desk_kind = "local" if desk is None else "custom"
    link = None
    if central:
        from kiosk.connector.factory import make_connector
        from kiosk.devices.locked import LockedPrinter
        from kiosk.services.central_link import CentralLink

        connector = make_connector(cfg, env=env)
        assert connector is not None
        link = CentralLink(connector, load_from)
        # The heartbeat asks the printer from its own thread: one lock for both users.
        printer = LockedPrinter(printer)
        desk, desk_kind = connector.desk, "central"
    if desk is None:
        desk = LocalDesk(bundle, DeskHours.from_config(dict(cfg.extra.get("desk", {}))), clock)
    if speaker is None or recognizer is None:
        made = _speech_devices(cfg, faults)
        speaker = speaker or made[0]
        recognizer = recognizer or made[1]

    def today() -> dt.date:
        """The app's "today" for the flows (date questions, days_since): `Services.clock` as it
        is now, so a clock swapped in later (tests, benches) is the one every screen uses."""
        return services.clock().date()

    services = Services(
        cfg=cfg, bundle=bundle,
        engine=FlowEngine(bundle, chain=cfg.fallback_chain, clock=today),
        printer=printer, printing=PrintService(printer, printer_profile(cfg), faults),
        desk=desk, speaker=speaker, recognizer=recognizer,
        faults=faults, settings=settings or UiSettings.from_config(cfg), clock=clock,
        monotonic=monotonic or time.monotonic, desk_kind=desk_kind, load_bundle=load, central=link,
        idcard=idcard,
    )
    _application_parts(services, link)
    _insight_parts(services, link)
    if link is not None:
        link.attach(services)
    return services


def _application_parts(services: Services, link: CentralLink | None) -> None:
    """Issue 13: the applications service (on the connector's outbox and client when
    joined), the A4 printer and the handwriting recognizer. A failure here costs the
    resident the "apply" buttons, never the kiosk."""
    from kiosk.devices.a4printer import make_a4_printer
    from kiosk.devices.handwriting import handwriting_recognizer

    cfg = services.cfg
    services.a4 = make_a4_printer(dict(cfg.extra.get("a4", {})))
    services.handwriting = handwriting_recognizer()
    try:
        from kiosk.applications.factory import make_applications

        services.applications = make_applications(
            cfg, services.bundle, connector=link.connector if link is not None else None)
    except Exception as exc:  # a broken outbox must not stop the kiosk
        log.error("applications unavailable: %s", exc)
        services.faults.record("applications", "unavailable")


def _insight_parts(services: Services, link: CentralLink | None) -> None:
    """Issue 15: the usage recorder on the outbox applications use (the connector's when
    joined), so that batches wait there until the kiosk is joined and the line is up."""
    from kiosk.insight.usage import UsageRecorder

    outbox = (link.connector.outbox if link is not None
              else services.applications.outbox if services.applications is not None else None)
    wake = link.connector.wake if link is not None else None
    usage = services.usage = UsageRecorder(outbox, wake=wake)
    slips = {"ticket": "ticket", "appointment": "booking", "summary": "summary", "receipt": "receipt"}
    offline = {"no_answer", "garbage", "disconnected", "no_port", "stalled", "offline"}

    def printed(kind: str, fault: str | None) -> None:
        what = slips.get(kind)
        if what is None:
            return
        if fault is None:
            usage.record("print", what=what)
        else:
            reason = "paper_out" if fault == "paper_out" else "offline" if fault in offline else "error"
            usage.record("print_failed", what=what, reason=reason)

    services.printing.slip_observer = printed
    if link is not None:
        link.connector.health.usage_dropped = services.usage.dropped


def _speech_devices(cfg: KioskConfig, faults: FaultLog) -> tuple[Speaker, Recognizer]:
    """espeak-ng and vosk when `[speech] enabled` (each says why when it cannot work: no
    model, no microphone, no sound card); the null adapters when speech is switched off or
    its libraries cannot even be loaded, so that the kiosk always serves by touch."""
    from kiosk.devices.null_speech import NullRecognizer, NullSpeaker
    from kiosk.devices.speech_config import speech_config

    if not speech_config(cfg).enabled:
        off = "speech is switched off ([speech] enabled = false)"
        return NullSpeaker(off), NullRecognizer(off)
    try:
        from kiosk.devices.speech import make_speech

        devices = make_speech(cfg, faults)
    except (ImportError, OSError) as exc:
        log.error("speech devices unavailable: %s", exc)
        faults.record("speech", "unavailable")
        reason = f"speech unavailable ({type(exc).__name__})"
        return NullSpeaker(reason), NullRecognizer(reason)
    return devices.speaker, devices.recognizer
