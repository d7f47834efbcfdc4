"""The search's training phrasings (content/search/examples) never repeat a probe question.

The probe sets (bench/data, ../shared/eval) measure how search does on phrasings it has not
learned from; an example equal or nearly equal to a probe would turn that measurement into
a memory test. "Nearly": ignoring spaces, punctuation and case, the two share at least 60 %
of their character pairs, or one holds the other and is at least half its length.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict

from kiosk.content.bundle import Bundle
from tests.conftest import REPO

SHARED_EVAL = REPO.parent / "shared" / "eval"
SHARED = 0.6


def _key(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.casefold())


def _pairs(key: str) -> set[str]:
    return {key[i:i + 2] for i in range(len(key) - 1)} or {key}


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


class Near:
    """Finds the probe a text (nearly) repeats, through an index of character pairs."""

    def __init__(self, probes: dict[str, str]):
        self.keys = list(probes)
        self.pairs = [_pairs(k) for k in self.keys]
        self.postings: defaultdict[str, list[int]] = defaultdict(list)
        for i, pairs in enumerate(self.pairs):
            for pair in pairs:
                self.postings[pair].append(i)

    def of(self, text: str) -> str | None:
        key = _key(text)
        pairs = _pairs(key)
        shared = Counter(i for pair in pairs for i in self.postings.get(pair, ()))
        for i, count in shared.items():
            probe = self.keys[i]
            if count / len(pairs | self.pairs[i]) >= SHARED:
                return probe
            if len(key) >= 4 and (key in probe or probe in key) and \
                    min(len(key), len(probe)) >= max(len(key), len(probe)) / 2:
                return probe
        return None


def test_no_example_is_or_nearly_is_a_probe_question(bundle: Bundle) -> None:
    examples = bundle.examples
    assert examples is not None
    probes = _probes()
    assert len(probes) > 1500  # the probe sets were found
    texts = [text for flow in examples.flows.values() for text, _ in flow.labelled()]
    if examples.not_ours is not None:
        texts += [text for text, _ in examples.not_ours.labelled()]
    assert len(texts) > 3000
    near = Near(probes)
    repeated = [(text, probes[probe]) for text in texts if (probe := near.of(text))]
    assert not repeated, repeated


def test_near_means_what_the_docstring_says() -> None:
    assert _key("工伤 怎么认定？") == _key("工伤怎么认定") != _key("工伤怎么赔")
    near = Near({_key("老板欠了我三个月工资不给"): "a", _key("My boss has not paid me"): "b"})
    assert near.of("老板欠了我三个月工资") is not None  # held in the probe, over half its length
    assert near.of("my boss, has NOT paid me!") is not None
    assert near.of("老板欠工资") is None and near.of("my landlord has not paid me back") is None
