"""`kiosk sync`, `kiosk ticket` and `kiosk outbox`: the connector from a shell.

Exit codes: 0 done; 1 content verification failed (the reason on stderr, the bundle in
force untouched); 2 configuration; 3 central unreachable.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from kiosk.config import ConfigError, KioskConfig

if TYPE_CHECKING:  # requests and tuf load only when a connector command runs (start-up time)
    from kiosk.connector.runtime import Connector

Loader = Callable[[argparse.Namespace], KioskConfig]


def configure(sub: Any, load: Loader) -> None:
    """Add the connector's subcommands to the `kiosk` parser."""
    p = sub.add_parser("sync", help="fetch signed content from the central service (python-tuf)")
    p.add_argument("--once", action="store_true", help="one check, then exit (default: keep checking)")
    p.add_argument("--json", action="store_true", help='print {"version", "downloaded", "bytes"}')
    p.set_defaults(func=lambda args: cmd_sync(args, load(args)))

    p = sub.add_parser("ticket", help="take a queue ticket through the connector")
    p.add_argument("--service", required=True, help="service id, e.g. legal-aid")
    p.add_argument("--priority", default="none", choices=["none", "elderly", "disabled"])
    p.add_argument("--json", action="store_true", help='print {"number", "provisional"}')
    p.set_defaults(func=lambda args: cmd_ticket(args, load(args)))

    p = sub.add_parser("outbox", help="what waits for the central service; `drain` delivers it now")
    p.add_argument("action", nargs="?", choices=["drain"], help="deliver what is due now")
    p.add_argument("--json", action="store_true",
                   help='print {"pending", "failed"}, or {"delivered", "pending"} after a drain')
    p.set_defaults(func=lambda args: cmd_outbox(args, load(args)))


def _connector(cfg: KioskConfig, need_url: bool = True) -> Connector:
    from kiosk.connector.factory import build_connector
    from kiosk.connector.settings import load_central_settings

    settings = load_central_settings(cfg)
    if need_url and not settings.enabled:
        raise ConfigError("no central service configured: set [central] url or KIOSK_CENTRAL_URL")
    return build_connector(settings, cfg)


def _print(data: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print(json.dumps(data, ensure_ascii=False))
    else:
        print(", ".join(f"{k}: {v}" for k, v in data.items()))


def cmd_sync(args: argparse.Namespace, cfg: KioskConfig) -> int:
    from kiosk.connector.runtime import jittered
    from kiosk.connector.sync import SyncFailed

    connector = _connector(cfg)
    try:
        if connector.sync is None:
            raise ConfigError("no trusted TUF root: set [central] tuf_root or KIOSK_TUF_ROOT")
        while True:
            try:
                result = connector.sync.sync_once()
                _print(result.as_json(), args.json)
            except SyncFailed as exc:
                print(f"content sync failed ({exc.kind}): {exc.reason}", file=sys.stderr)
                if args.json:
                    print(json.dumps({"error": exc.kind, "reason": exc.reason}, ensure_ascii=False))
                if args.once:
                    connector.drain_once()  # best effort: report the failure now
                    return 3 if exc.kind == "unreachable" else 1
            if args.once:
                return 0
            time.sleep(jittered(connector.settings.sync_interval_s, connector.rng))
    finally:
        connector.outbox.close()


def cmd_ticket(args: argparse.Namespace, cfg: KioskConfig) -> int:
    from kiosk.ports import BookingRefused, DeskUnavailable, OfficeClosed

    connector = _connector(cfg)
    try:
        ticket = connector.desk.take_ticket(args.service, args.priority)
    except OfficeClosed as exc:
        opens = exc.opens_at.isoformat() if exc.opens_at else "not known"
        print(f"no ticket: the office is closed (opens {opens})", file=sys.stderr)
        return 1
    except BookingRefused as exc:
        print(f"ticket refused: {exc.reason} {exc.detail}".strip(), file=sys.stderr)
        return 1
    except DeskUnavailable as exc:  # take_ticket falls back to a local ticket; this is rare
        print(f"no ticket: {exc}", file=sys.stderr)
        return 3
    finally:
        connector.outbox.close()
    _print({"number": ticket.number, "provisional": ticket.provisional}, args.json)
    return 0


def cmd_outbox(args: argparse.Namespace, cfg: KioskConfig) -> int:
    connector = _connector(cfg, need_url=args.action == "drain")
    try:
        if args.action == "drain":
            result = connector.drain_once(now=True)
            _print({"delivered": result.delivered, "pending": result.pending}, args.json)
            if result.stopped:
                print(f"drain stopped: {result.stopped}", file=sys.stderr)
            return 0
        counts = connector.outbox.counts()
        _print({"pending": counts["pending"], "failed": counts["failed"]}, args.json)
        if not args.json:
            for item in connector.outbox.parked():
                print(f"failed: {item.kind} {item.key}: {item.reason}")
        return 0
    finally:
        connector.outbox.close()
