"""Every answer in the shipped pack can be given by voice: each choice's label and each of
its `say` synonyms, in both locales, snaps to that choice and no other (homophones such as
争地/征地 in one question included), and every question has a spoken text."""

from __future__ import annotations

import pytest

from kiosk.content.bundle import Bundle, load_bundle
from kiosk.flows.engine import FlowEngine
from kiosk.flows.model import QuestionNode
from kiosk.flows.views import Screen
from kiosk.voice import grammar as grammars
from kiosk.voice.snap import Target
from kiosk.voice.spoken import screen_speech
from tests.conftest import CONTENT, LOCALITY, TODAY


@pytest.fixture(scope="module")
def bundle() -> Bundle:
    loaded, problems = load_bundle(CONTENT, LOCALITY)
    assert loaded is not None and not problems, problems
    return loaded


def question_screens(bundle: Bundle, locale: str) -> list[Screen]:
    engine = FlowEngine(bundle, clock=lambda: TODAY)
    screens = []
    for flow_id, compiled in sorted(engine.compiled.items()):
        renderer = engine.start(flow_id, locale).renderer()
        for node in compiled.flow.nodes:
            if isinstance(node, QuestionNode):
                screens.append(renderer.screen(node, compiled.flow.steps[0].id, False, None))
    return screens


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
def test_every_choice_label_and_synonym_snaps_to_its_own_choice(bundle: Bundle, locale: str) -> None:
    wrong, checked = [], 0
    for screen in question_screens(bundle, locale):
        if screen.input != "choice":
            continue
        g = grammars.for_screen(screen, locale)
        for choice in screen.choices:
            for said in (choice.label, *choice.say):
                checked += 1
                if g.snap(said).target != Target("choice", choice.value):
                    wrong.append(f"{screen.flow_id}/{screen.node_id}: {said!r} → {g.snap(said).target}")
    assert checked > 200
    assert wrong == []


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
def test_every_question_speaks_and_yes_no_labels_snap(bundle: Bundle, locale: str) -> None:
    for screen in question_screens(bundle, locale):
        spoken = screen_speech(screen, locale, voice_input=True)
        assert screen.text and spoken.startswith((screen.speak or screen.text).strip()), screen.node_id
        assert len(spoken) > len(screen.speak or screen.text), screen.node_id  # plus how to answer
        if screen.input == "yesno":
            g = grammars.for_screen(screen, locale)
            assert g.snap(screen.yes_no[0]).target == Target("yes_no", True)
            assert g.snap(screen.yes_no[1]).target == Target("yes_no", False)
