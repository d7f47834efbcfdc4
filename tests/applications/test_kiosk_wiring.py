"""The composition root builds the application parts; the idle wipe's session forgets the
draft, the card, the captured form, the PDF and the receipt (nothing on disk either)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from kiosk.applications.deadline import CHINA
from kiosk.applications.form import capture
from kiosk.bootstrap import Services, build_services
from kiosk.config import load_config
from kiosk.devices.a4printer import NoA4Printer
from kiosk.devices.fakes import FakeRecognizer, FakeSpeaker
from kiosk.devices.pty_idcard import DemoIdCardReader
from kiosk.services.session import ResidentSession
from tests.conftest import CONTENT, LOCALITY

PHONE = "13812345678"


def _services(tmp_path: Path, extra: str = "") -> Services:
    path = tmp_path / "kiosk.toml"
    path.write_text(
        '[kiosk]\nid = "apps-wiring"\nlocales = ["zh-CN", "en"]\n'
        f'[content]\npath = "{CONTENT}"\nlocality = "{LOCALITY}"\nstate_dir = "{tmp_path / "var"}"\n'
        + extra, encoding="utf-8")
    return build_services(load_config(path, env={}), speaker=FakeSpeaker(), recognizer=FakeRecognizer(), env={})


def test_bootstrap_builds_applications_a4_and_handwriting(tmp_path: Path) -> None:
    services = _services(tmp_path)
    assert services.applications is not None
    assert services.applications.kind("legal-aid").id == "legal-aid"
    assert isinstance(services.a4, NoA4Printer)
    assert services.handwriting is not None
    services.warm_up()  # pinyin tables too, without error
    from kiosk.applications.pinyin_input import name_candidates

    assert "王" in name_candidates("wang")[0][1]
    services.stop_background()


def test_an_a4_printer_is_named_in_the_config(tmp_path: Path) -> None:
    services = _services(tmp_path, '[a4]\nprinter = "PDF"\n')
    from kiosk.devices.a4printer import CupsA4Printer

    assert isinstance(services.a4, CupsA4Printer)
    services.stop_background()


def test_the_session_wipe_forgets_draft_card_form_pdf_and_receipt(tmp_path: Path) -> None:
    services = _services(tmp_path)
    apps = services.applications
    session = ResidentSession()
    reader = DemoIdCardReader()
    try:
        card = reader.read(timeout_s=5)
    finally:
        reader.close()
    draft = apps.start("legal-aid", flow="legal-aid", outcome="o_x", answers={"matter": "wages"})
    draft.agree(dt.datetime.now(CHINA), id_number=True)
    for field in ("name", "id_number", "address"):
        draft.set_person(field, getattr(card, field))
    draft.set_person("phone", PHONE)
    draft.set_case("facts", "老板欠工资")
    app = session.application
    app.kind, app.draft, app.card = "legal-aid", draft, card
    app.fields = capture(draft)
    fields = app.fields
    app.pdf = b"%PDF- " + card.name.encode()
    secrets = [card.name, card.id_number, card.address, PHONE, "老板欠工资"]
    assert all(s in repr(vars(draft)) + repr(fields.person) + repr(fields.case) for s in secrets[:4])
    assert not [s for s in secrets if s in repr(app)]
    assert not session.empty

    session.wipe()

    assert session.empty and app.empty
    assert draft.consent is None and not draft.case and not draft.answers and draft.missing()
    assert card.wiped and not fields.person and not fields.case and not fields.answers
    for path in (tmp_path / "var").rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            for secret in secrets:
                assert secret.encode() not in data, path.name
    services.stop_background()
