"""`kiosk run`: set Kivy up from the kiosk's config, then open the app.

Kivy reads its environment when first imported, so everything here happens before any
Kivy import: no command-line parsing by Kivy, its logs through `logging`, its settings
file under the state folder, the window size from the orientation.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import signal
import sys

from kiosk.config import KioskConfig
from kiosk.ui.theme import ORIENTATIONS

log = logging.getLogger(__name__)

#: --demo shows the full-size screen at half scale, to fit a desktop monitor.
DEMO_DENSITY = "0.5"


def prepare_kivy(cfg: KioskConfig, *, fullscreen: bool, density: str | None, orientation: str) -> None:
    os.environ.setdefault("KIVY_NO_ARGS", "1")
    os.environ.setdefault("KIVY_LOG_MODE", "PYTHON")
    os.environ.setdefault("KIVY_NO_CONSOLELOG", "1")
    kivy_home = cfg.state_dir / "kivy"
    kivy_home.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("KIVY_HOME", str(kivy_home))
    if density:
        os.environ["KIVY_METRICS_DENSITY"] = density
    from kivy.config import Config

    scale = float(os.environ.get("KIVY_METRICS_DENSITY", "1"))
    w, h = ORIENTATIONS[orientation]
    Config.set("graphics", "width", str(int(w * scale)))
    Config.set("graphics", "height", str(int(h * scale)))
    Config.set("graphics", "fullscreen", "auto" if fullscreen else "0")
    Config.set("graphics", "resizable", "0")
    Config.set("kivy", "exit_on_escape", "0")
    Config.set("kivy", "log_level", "debug" if logging.getLogger().level <= logging.DEBUG else "warning")
    # A mouse is a finger here: no red multitouch dots from right clicks.
    Config.set("input", "mouse", "mouse,multitouch_on_demand")


def run(cfg: KioskConfig, *, fullscreen: bool = False, demo: bool = False,
        locale: str | None = None, theme: str | None = None, orientation: str | None = None) -> int:
    def go() -> int:
        return _run(cfg, fullscreen=fullscreen, demo=demo, locale=locale, theme=theme,
                    orientation=orientation)

    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or os.environ.get("KIVY_WINDOW"):
        return go()
    # A server or a fresh machine without a screen: rather than fail, draw on a virtual
    # screen, so that the central service, the admin and the slips can still be tried.
    from kiosk.ui.headless import virtual_display

    with virtual_display() as display:
        print(f"no display found (DISPLAY is not set): the kiosk runs on a virtual screen {display}. "
              "On a kiosk, start it inside the kiosk's X session; `kiosk walk` walks the flows in "
              "this terminal.", file=sys.stderr)
        return go()


def _run(cfg: KioskConfig, *, fullscreen: bool, demo: bool,
         locale: str | None, theme: str | None, orientation: str | None) -> int:
    from kiosk.bootstrap import UiSettings, build_services

    settings = UiSettings.from_config(cfg)
    orientation = orientation or settings.orientation
    if demo:
        cfg = dataclasses.replace(cfg, printer=dataclasses.replace(cfg.printer, kind="virtual"))
    prepare_kivy(cfg, fullscreen=fullscreen, density=DEMO_DENSITY if demo else None,
                 orientation=orientation)
    from kiosk.ui.fonts import FontMissing, check_fonts

    try:
        check_fonts(settings.font, settings.font_bold, settings.icon_font)
    except FontMissing as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    services = build_services(cfg, settings=settings)
    from kiosk.app import KioskApp

    app = KioskApp(services, theme=theme or settings.theme, locale=locale, orientation=orientation)

    def terminate(_signum: int, _frame: object) -> None:
        """systemd's stop: the main loop stops the app at its next frame, as closing the
        window does. Not an exception thrown into whatever runs at that instant: a finalizer
        or a Kivy callback can swallow it, and the kiosk would keep running."""
        from kivy.clock import Clock

        log.info("SIGTERM: stopping the kiosk")
        Clock.schedule_once(lambda _dt: app.stop(), 0)

    signal.signal(signal.SIGTERM, terminate)
    try:
        app.run()
    except KeyboardInterrupt:
        log.info("kiosk interrupted: stopping")
    finally:
        # The connector's threads stop and its outbox closes, also when Kivy never got to on_stop.
        services.stop_background()
    return 0
