"""`kiosk apply`: submit one application from a shell (checks, the bench, operators).

The person file stands for what the resident gave after agreeing to the kind's consent
text (and separately to the ID number); running the command records that consent.
Exit codes: 0 submitted or queued; 1 a field is invalid (its name on stderr and in the
JSON) or the central service refused it; 2 usage or configuration; 3 the kiosk has never
reached the central service and has no provisioned sealing key.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.config import ConfigError, KioskConfig

if TYPE_CHECKING:
    from kiosk.applications.draft import Draft
    from kiosk.applications.form import FormFields
    from kiosk.applications.model import ApplicationKind
    from kiosk.applications.submit import Receipt
    from kiosk.content.bundle import Bundle


def configure_apply(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--kind", required=True, help="application kind, e.g. legal-aid")
    parser.add_argument("--person", required=True,
                        help='JSON file: {"name", "id_number", "phone", "address"} (fields the kind '
                             "does not ask for are ignored)")
    parser.add_argument("--answers", help='JSON file: flow variables and case fields, flat or as '
                                          '{"answers": {...}, "case": {...}}')
    parser.add_argument("--flow", default="", help="flow id the application comes from")
    parser.add_argument("--outcome", default="", help="outcome node id it comes from")
    parser.add_argument("--locale", default="zh-CN")
    parser.add_argument("--pdf", help="also write the filled A4 form here")
    parser.add_argument("--json", action="store_true", help='print {"code", "queued", "pdf"}')


def _read_object(path: str, what: str) -> dict[str, Any]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"--{what} {path}: cannot read JSON ({type(exc).__name__})") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"--{what} {path}: must hold a JSON object")
    return data


def split_answers(kind: ApplicationKind, data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """(flow answers, case fields) from a flat file or one with "answers"/"case"."""
    if set(data) <= {"answers", "case"} and data:
        answers = data.get("answers") or {}
        case = data.get("case") or {}
    else:
        answers = {k: v for k, v in data.items() if k not in kind.case}
        case = {k: v for k, v in data.items() if k in kind.case}
    if not isinstance(answers, dict) or not isinstance(case, dict):
        raise ConfigError('--answers: "answers" and "case" must be objects')
    return answers, {str(k): str(v) for k, v in case.items()}


def _origin(bundle: Bundle, kind_id: str) -> tuple[str, str]:
    """The first outcome that offers the kind, when no --flow/--outcome is given."""
    from kiosk.flows.model import OutcomeNode

    for flow_id, flow in sorted(bundle.flows.items()):
        for node in flow.nodes:
            if isinstance(node, OutcomeNode) and kind_id in node.apply:
                return flow_id, node.id
    return "", ""


def _fill(draft: Draft, person: dict[str, Any], case: dict[str, str]) -> None:
    from kiosk.applications.model import PersonField

    order = [PersonField.ID_NUMBER, PersonField.PHONE, *PersonField]  # the likeliest mistakes first
    for field in dict.fromkeys(order):
        if field in draft.kind.fields and person.get(field.value) not in (None, ""):
            draft.set_person(field, str(person[field.value]))
    for name, text in case.items():
        if name in draft.kind.case:
            draft.set_case(name, text)


def run_apply(args: argparse.Namespace, cfg: KioskConfig, bundle: Bundle) -> int:
    import datetime as dt

    from kiosk.applications.deadline import CHINA
    from kiosk.applications.errors import FieldError
    from kiosk.applications.factory import make_applications
    from kiosk.applications.form import capture
    from kiosk.applications.submit import ApplicationRefused, NoSealKey

    kind = bundle.applications.get(args.kind)
    if kind is None:
        raise ConfigError(f"unknown application kind {args.kind!r}: use one of {sorted(bundle.applications)}")
    person = _read_object(args.person, "person")
    answers, case = split_answers(kind, _read_object(args.answers, "answers") if args.answers else {})
    flow, outcome = (args.flow, args.outcome) if args.flow else _origin(bundle, kind.id)
    apps = make_applications(cfg, bundle)
    try:
        draft = apps.start(kind.id, flow=flow, outcome=outcome, locale=args.locale, answers=answers)
        draft.agree(dt.datetime.now(CHINA), id_number=kind.sensitive)
        try:
            _fill(draft, person, case)
            draft.person()  # names the first missing field
        except FieldError as exc:
            draft.withdraw()
            print(f"invalid {exc.field}: {exc.message('en')} / {exc.message('zh-CN')}", file=sys.stderr)
            if args.json:
                print(json.dumps({"error": "invalid", "field": exc.field, "reason": exc.code}))
            return 1
        # The form carries the code and due date, known once submitted; the draft is wiped
        # then, so its fields are captured first (and dropped after the render).
        fields = capture(draft) if args.pdf else None
        try:
            receipt = apps.submit(draft)
        except NoSealKey as exc:
            print(f"not submitted: {exc}", file=sys.stderr)
            return 3
        except ApplicationRefused as exc:
            print(f"refused by the central service: {exc.code}", file=sys.stderr)
            if args.json:
                print(json.dumps({"error": exc.code}))
            return 1
    finally:
        apps.outbox.close()
    pdf = _render_pdf(args.pdf, bundle, kind, fields, receipt) if fields is not None else None
    result = {"code": receipt.code, "queued": receipt.queued, "pdf": pdf}
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        state = "queued (sent when the line is back)" if receipt.queued else "delivered"
        due = f", decision due {receipt.decision_due}" if receipt.decision_due else ""
        print(f"application {receipt.code_display} {state}{due}; {receipt.url}")
    return 0


def _render_pdf(out: str, bundle: Bundle, kind: ApplicationKind, fields: FormFields,
                receipt: Receipt) -> str | None:
    """The filled A4 form. A form that cannot be made costs the PDF, never the application
    (it is submitted already): the error is said, and `pdf` is null."""
    from kiosk.applications.form import application_pdf
    from kiosk.forms.render import FormError

    path = Path(out).resolve()
    try:
        form = application_pdf(bundle.forms, kind, fields, receipt)
        path.write_bytes(form.pdf)
    except (FormError, OSError) as exc:
        print(f"the application was submitted, but its form could not be made: {exc}", file=sys.stderr)
        return None
    finally:
        fields.clear()
    return str(path)
