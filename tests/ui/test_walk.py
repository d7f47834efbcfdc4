"""A resident's whole visit, by touch: attract → home → a flow → back → review → change an
answer → outcome → print the summary → start a booking → idle warning → wipe."""

from __future__ import annotations

import pytest

from tests.ui.conftest import Driver

PHONE = "13812345678"


def _answer_number(ui: Driver, digits: str) -> None:
    for d in digits:
        ui.tap_text(d)
    ui.tap_text(ui.app.t("OK"))


def test_a_resident_walks_to_an_outcome_prints_it_and_the_kiosk_forgets_them(ui: Driver) -> None:
    app = ui.app
    t = app.t
    assert app.root.current == "attract"
    ui.tap(ui.find(cls="TouchArea"))
    assert app.root.current == "home"

    # GIVEN the legal-aid flow, reached through the topics
    ui.tap_text(t("Legal questions"))
    assert app.root.current == "topics"
    ui.tap_text("法律援助", cls="TopicTile")
    ui.tap_text("申请法律援助", cls="FlowTile", contains=True)
    assert app.root.current == "flow" and ui.screen.question == "您要为哪种事情找律师？"

    # WHEN the resident answers, goes back one screen, and answers on
    ui.tap_text("讨工资、劳动关系", cls="ChoiceButton")
    first_question = ui.screen.question
    ui.tap_text("否", cls="ChoiceButton")
    assert ui.screen.question != first_question
    ui.tap_text(t("Back"))
    assert ui.screen.question == first_question
    assert ui.find("否", cls="ChoiceButton").style == "selected"  # the answer given is kept
    # no lawyer; works in this county; no deadline within 7 days; no dibao; not a migrant;
    # not a child, elder or disabled person
    for label in ("否", "是", "否", "否", "否", "否"):
        ui.tap_text(label, cls="ChoiceButton")
    assert ui.screen.kind == "question" and ui.screen.view.input == "number"
    assert "3" in [s.text.split()[0] for s in ui.widgets() if type(s).__name__ == "StepChip" and s.current]
    _answer_number(ui, "3")
    _answer_number(ui, "3000")
    assert app.root.current == "outcome"
    assert app.session.flow is not None and app.session.flow.finished
    eligible_title = ui.screen.view.title

    # AND reviews the answers and changes the household size
    ui.tap_text(t("My answers"))
    assert app.root.current == "review"
    rows = [w for w in ui.widgets() if type(w).__name__ == "ReviewRow"]
    assert [r.answer for r in rows][-2:] == ["3 人", "3000 元/月"]
    household = next(r for r in rows if r.answer == "3 人")
    paged = ui.screen.ids.paged
    for _ in range(len(rows)):  # nine answers: the household size is on a later page
        row_y = household.to_window(*household.center)[1]
        if paged.to_window(*paged.pos)[1] <= row_y <= paged.to_window(paged.x, paged.top)[1]:
            break
        ui.tap_text(t("Page down"))
    ui.tap(household.ids.change)
    assert app.root.current == "flow" and ui.screen.changing == household.node
    ui.tap_text(t("Clear"))
    _answer_number(ui, "1")
    # 3000 yuan for one person is above the demo county's threshold (1575): another outcome
    assert app.root.current == "outcome"
    assert ui.screen.view.title != eligible_title
    assert app.session.flow.state.answers[household.node] == 1

    # THEN printing the summary puts a slip in the virtual printer's folder
    before = set((ui.state_dir / "slips").glob("summary-*.bin"))
    ui.tap_text(t("Print summary"))
    slips = sorted(set((ui.state_dir / "slips").glob("summary-*.bin")) - before)
    assert len(slips) == 1 and slips[0].with_suffix(".png").is_file()
    assert ui.screen.notice == t("Please take your printed summary.")
    text = slips[0].read_bytes().decode("gb18030", errors="replace")
    assert ui.screen.view.title in text.replace("\n", "") and "3000" not in text

    # AND a search and a booking in progress are kept only until the kiosk is left alone
    ui.tap_text(t("Home"))
    ui.tap_text(t("Search"), cls="HomeTile")
    for key in "laodong":
        ui.tap_text(key, cls="KeyboardKey")
    assert app.session.search_text == "laodong"
    ui.tap_text(t("Home"))
    ui.tap_text(t("Book an appointment"))
    ui.tap(ui.find(cls="ChoiceButton"))  # the first bookable service
    ui.tap(ui.find(cls="ChoiceButton"))  # the first day
    ui.tap(ui.find(cls="ChoiceButton"))  # the first time
    for d in PHONE:
        ui.tap_text(d, cls="KeypadKey")
    assert app.session.booking.phone == PHONE
    assert any("138 1234 5678" in s for s in ui.all_texts())

    ui.clock.advance(app.settings.idle_seconds + 1)
    ui.run_for(1.0)
    assert app.root.current == "idle"
    assert app.settings.warning_seconds >= 20
    warning = app.screens["idle"].spoken()
    assert (warning, "zh-CN") in app.services.speaker.said
    assert ui.find(t("Continue")).main

    ui.clock.advance(app.settings.warning_seconds)
    ui.run_for(1.0)
    assert app.root.current == "attract"
    assert app.session.empty and app.session.flow is None and app.session.booking.phone == ""
    texts = ui.all_texts()
    assert not [s for s in texts if "1381234" in s.replace(" ", "") or "5678" in s]
    assert not [s for s in texts if "3000" in s or eligible_title in s or "laodong" in s]
    assert app.services.speaker.resets >= 1
    assert PHONE not in repr(vars(app.services.desk)) and PHONE not in repr(vars(app.session))
    said = " ".join(text for text, _ in app.services.speaker.said)
    assert "1381234" not in said.replace(" ", "") and "5678" not in said
    assert "五六七八" not in said and "一三八一二三四" not in said  # nor written out in Chinese


def test_a_printer_out_of_paper_never_claims_a_slip_and_shows_its_qr(
        ui: Driver, monkeypatch: pytest.MonkeyPatch) -> None:
    from kiosk.devices.fakes import FakePrinter
    from kiosk.ports import PrintResult

    printer = FakePrinter(result=PrintResult(printed=False, fault="paper_out"))
    monkeypatch.setattr(ui.app.services.printing, "printer", printer)
    t = ui.app.t
    ui.tap(ui.find(cls="TouchArea"))
    ui.tap_text(t("Can I get free legal aid?"))
    for label in ("讨工资、劳动关系", "否", "是", "否", "否", "否", "否"):
        ui.tap_text(label, cls="ChoiceButton")
    _answer_number(ui, "3")
    _answer_number(ui, "3000")
    ui.tap_text(t("Print summary"))
    assert len(printer.printed) == 1  # it was tried once
    screen = ui.screen
    assert screen.notice_tone == "warn" and screen.notice != t("Please take your printed summary.")
    qr_cards = [w for w in ui.widgets() if type(w).__name__ == "QrCard" and w.opacity > 0]
    assert qr_cards and qr_cards[0].data == printer.printed[0].qr
    assert qr_cards[0].title == t("Scan this code instead of the printed summary.")
    faults = (ui.state_dir / "faults.jsonl").read_text(encoding="utf-8")
    assert "paper_out" in faults and "3000" not in faults
