"""The `kiosk` command: run the kiosk, validate content, search, export the flow schema."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from kiosk.config import ConfigError, KioskConfig, load_config
from kiosk.connector import cli as connector_cli
from kiosk.content.bundle import Bundle
from kiosk.content.compiled import load_serving_bundle
from kiosk.search import cli as search_cli
from kiosk.slips import cli as slips_cli

log = logging.getLogger("kiosk")


def _config(args: argparse.Namespace) -> KioskConfig:
    return load_config(Path(args.config) if args.config else None)


def _bundle(cfg: KioskConfig) -> Bundle:
    bundle, problems = load_serving_bundle(
        cfg.content_path, cfg.locality_path, cfg.state_dir / "content"
    )
    for problem in problems:
        log.error("content problem: %s", problem)
    if bundle is None or not bundle.flows:
        raise SystemExit("no content to serve: run `kiosk validate` for the full list of problems")
    if problems:
        print(f"warning: {len(problems)} content problem(s); flows with problems are not served "
              "(`kiosk validate` lists them)", file=sys.stderr)
    return bundle


def cmd_validate(args: argparse.Namespace) -> int:
    from kiosk.flows.validate import validate

    cfg = _config(args)
    locality = Path(args.locality) if args.locality else cfg.locality_path
    report = validate(Path(args.path), cfg.content_path, locality, cfg.locales)
    if args.json:
        print(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
    else:
        for problem in report.problems:
            print(problem)
        flows = len(report.flows)
        if report.ok:
            print(f"ok: {flows} flow(s), locales {', '.join(cfg.locales)}, no problems")
        else:
            print(f"{len(report.problems)} problem(s) in {flows} flow(s)", file=sys.stderr)
    return 0 if report.ok else 1


def cmd_search(args: argparse.Namespace) -> int:
    return search_cli.run(args, _bundle(_config(args)))


def cmd_run(args: argparse.Namespace) -> int:
    from kiosk.ui.launch import run

    cfg = _config(args)
    return run(cfg, fullscreen=args.fullscreen, demo=args.demo, locale=args.locale,
               theme=args.theme, orientation=args.orientation)


def cmd_walk(args: argparse.Namespace) -> int:
    from kiosk.terminal import walk

    cfg = _config(args)
    return walk(cfg, _bundle(cfg), locale=args.locale or cfg.default_locale)


def cmd_pin_hash(args: argparse.Namespace) -> int:
    import getpass

    from kiosk.services.maintenance import hash_pin

    pin = args.pin or getpass.getpass("maintenance PIN: ")
    if not pin.isdigit() or not 4 <= len(pin) <= 12:
        print("the PIN must be 4 to 12 digits", file=sys.stderr)
        return 2
    print(f'pin_hash = "{hash_pin(pin)}"')
    return 0


def cmd_slip(args: argparse.Namespace) -> int:
    cfg = _config(args)
    return slips_cli.run_slip(args, cfg, _bundle(cfg))


def cmd_printer_test(args: argparse.Namespace) -> int:
    cfg = _config(args)
    return slips_cli.run_printer_test(args, cfg, _bundle(cfg))


def cmd_apply(args: argparse.Namespace) -> int:
    from kiosk.applications.cli import run_apply

    cfg = _config(args)
    return run_apply(args, cfg, _bundle(cfg))


def cmd_schema(args: argparse.Namespace) -> int:
    from kiosk.flows.schema import examples_schema, flow_schema

    schema = examples_schema() if args.examples else flow_schema()
    text = json.dumps(schema, ensure_ascii=False, indent=2) + "\n"
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def _tools_cli() -> Any:
    from kiosk.ui import tools_cli  # no Kivy at import: only argparse set-up

    return tools_cli


def cmd_screenshots(args: argparse.Namespace) -> int:
    from kiosk.ui import tools_cli

    return tools_cli.run_screenshots(args, _config(args))


def cmd_a11y(args: argparse.Namespace) -> int:
    from kiosk.ui import tools_cli

    return tools_cli.run_a11y(args, _config(args))
def cmd_say(args: argparse.Namespace) -> int:
    from kiosk.voice import cli as voice_cli

    return voice_cli.run_say(args, _config(args))


def cmd_listen(args: argparse.Namespace) -> int:
    from kiosk.voice import cli as voice_cli

    return voice_cli.run_listen(args, _config(args))


def cmd_doctor(args: argparse.Namespace) -> int:
    from kiosk.doctor import cli as doctor_cli

    return doctor_cli.run(args, _config(args))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kiosk", description=__doc__)
    parser.add_argument("--config", help="config file (default: config/kiosk.toml)")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("run", help="start the kiosk on the embedded defaults")
    p.add_argument("--locale", help="start in this locale (zh-CN, en)")
    p.add_argument("--fullscreen", action="store_true", help="fill the screen (on the kiosk)")
    p.add_argument("--demo", action="store_true",
                   help="half-size window for a desktop monitor, virtual printer")
    p.add_argument("--theme", choices=["normal", "elderly", "contrast"], help="start in this theme")
    p.add_argument("--orientation", choices=["portrait", "landscape"], help="override [ui] orientation")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("walk", help="walk the flows in the terminal (no touchscreen needed)")
    p.add_argument("--locale", help="start in this locale (zh-CN, en)")
    p.set_defaults(func=cmd_walk)

    p = sub.add_parser("pin-hash", help="hash a maintenance PIN for [maintenance] pin_hash")
    p.add_argument("--pin", help="the PIN (asked for when not given)")
    p.set_defaults(func=cmd_pin_hash)

    p = sub.add_parser("doctor", help="check this kiosk in place: a table with the fix for each failure")
    p.add_argument("--json", action="store_true", help='{"ok", "checks": [{check, status, detail, fix}]}')
    p.add_argument("--lang", choices=["zh-CN", "en"], help="language of the table (default: the kiosk's)")
    p.set_defaults(func=cmd_doctor)

    p = sub.add_parser("validate", help="check a content pack, a flows folder or one flow file")
    p.add_argument("path", nargs="?", default="content")
    p.add_argument("--json", action="store_true", help="machine-readable report")
    p.add_argument("--locality", help="locality file (default: from the config)")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("search", help="find the flow for a resident's words")
    search_cli.configure(p)
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("slip", help="write one demo slip (ESC/POS bytes, PNG preview)")
    slips_cli.configure_slip(p)
    p.set_defaults(func=cmd_slip)

    p = sub.add_parser("printer-test", help="print a test slip on a serial printer and report its status")
    slips_cli.configure_printer_test(p)
    p.set_defaults(func=cmd_printer_test)

    p = sub.add_parser("screenshots", help="draw every screen and state to PNG (starts Xvfb if needed)")
    _tools_cli().configure_screenshots(p)
    p.set_defaults(func=cmd_screenshots)

    p = sub.add_parser("a11y", help="accessibility audit of every screen and state; exit 1 on violations")
    _tools_cli().configure_a11y(p)
    p.set_defaults(func=cmd_a11y)
    from kiosk.voice import cli as voice_cli

    p = sub.add_parser("say", help="speak a text, or write it as a WAV with --out")
    voice_cli.configure_say(p)
    p.set_defaults(func=cmd_say)

    p = sub.add_parser("listen", help="recognise a WAV file; prints the text and snapped phrase as JSON")
    voice_cli.configure_listen(p)
    p.set_defaults(func=cmd_listen)

    p = sub.add_parser("schema", help="write the flow JSON Schema for editors")
    p.add_argument("--out", help="file to write (default: stdout)")
    p.add_argument("--examples", action="store_true",
                   help="the schema of search examples files (content/search/examples/) instead")
    p.set_defaults(func=cmd_schema)

    from kiosk.applications.cli import configure_apply

    p = sub.add_parser("apply", help="submit an application (legal aid, mediation, ...) through the outbox")
    configure_apply(p)
    p.set_defaults(func=cmd_apply)

    connector_cli.configure(sub, _config)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    try:
        return int(args.func(args))
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
