"""The search's training phrasings (content/search/examples) never repeat a probe question.

The probe sets (bench/data, ../shared/eval) measure how search does on phrasings it has not
learned from; an example equal to a probe (ignoring spaces, punctuation and case) would turn
that measurement into a memory test.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from kiosk.content.bundle import Bundle
from tests.conftest import REPO

SHARED_EVAL = REPO.parent / "shared" / "eval"


def _key(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.casefold())


def _probes() -> dict[str, str]:
    found: dict[str, str] = {}
    for path in sorted((REPO / "bench" / "data").glob("probe-*.tsv")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                found[_key(line.split("\t")[0])] = path.name
    for path in sorted(SHARED_EVAL.glob("*.jsonl")) if SHARED_EVAL.is_dir() else []:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                found[_key(str(json.loads(line).get("q", "")))] = path.name
    found.pop("", None)
    return found


def test_no_example_is_a_probe_question(bundle: Bundle) -> None:
    examples = bundle.examples
    assert examples is not None
    probes = _probes()
    assert len(probes) > 500  # the probe sets were found
    texts = [text for flow in examples.flows.values() for text, _ in flow.labelled()]
    if examples.not_ours is not None:
        texts += [text for text, _ in examples.not_ours.labelled()]
    assert len(texts) > 1000
    repeated = [(text, probes[_key(text)]) for text in texts if _key(text) in probes]
    assert not repeated, repeated


def test_the_key_ignores_only_spacing_punctuation_and_case() -> None:
    assert _key("工伤 怎么认定？") == _key("工伤怎么认定") != _key("工伤怎么赔")
    assert _key("My boss, has not paid me!") == _key("my boss has not paid me")
    assert Path(__file__).name.startswith("test_")
