"""The classifier as plain arrays (kiosk/search/intent.py) and on disk per content version
(kiosk/search/intent_cache.py): the numpy scoring gives scikit-learn's probabilities, a
restart with a cache never imports scikit-learn, and a bad cache file is retrained over."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from kiosk.content.bundle import Bundle
from kiosk.content.compiled import load_serving_bundle
from kiosk.search import intent, intent_cache, pinyin
from kiosk.search.service import SearchService
from tests.conftest import CONTENT, LOCALITY

ROOT = Path(__file__).resolve().parents[2]
QUERY = "老板欠了我三个月工钱"


@pytest.fixture(scope="module")
def fitted(bundle: Bundle) -> tuple[Any, Any, intent.IntentModel]:
    pytest.importorskip("sklearn", reason="scikit-learn is not installed: nothing to compare with")
    texts, labels = intent.training_set(bundle)
    vectorizer, svc = intent.fit(texts, labels, bundle.pack.synonyms)
    return vectorizer, svc, intent.IntentModel.from_fitted(vectorizer, svc, bundle.pack.synonyms)


def _sklearn_probabilities(vectorizer: Any, svc: Any, synonyms: Any, query: str) -> list[float] | None:
    vector = vectorizer.transform([intent.features(query, synonyms)])
    if vector.nnz == 0:
        return None
    values = svc.decision_function(vector)[0] / intent.TEMPERATURE
    exp = np.exp(values - values.max())
    return list(exp / exp.sum())


def _queries(bundle: Bundle) -> list[str]:
    assert bundle.examples is not None
    texts = [t for item in bundle.examples.flows.values() for t, _ in item.labelled()[::12]]
    if bundle.examples.not_ours is not None:
        texts += [t for t, _ in bundle.examples.not_ours.labelled()[::12]]
    typed = [" ".join(pinyin.phrase_syllables(t)) for t in texts[::2]]
    english = ["my boss has not paid me for three months", "I was hurt at work, who pays",
               "my husband hits me", "the landlord keeps my deposit", "divorce and the house"]
    return texts + typed + english + UNKNOWN


#: Queries with no feature the model knows: None from both.
UNKNOWN = ["xyzzy", "the of and", "!!!", "qwrtp zzkx"]


def test_numpy_scoring_gives_sklearns_probabilities(bundle: Bundle,
                                                    fitted: tuple[Any, Any, intent.IntentModel]) -> None:
    """GIVEN the shipped examples' texts, their typed pinyin, English and unknown words
    THEN the float32 arrays scored in numpy give scikit-learn's probabilities (within 1e-5),
    and None exactly where scikit-learn sees no known feature."""
    vectorizer, svc, model = fitted
    queries = _queries(bundle)
    assert len(queries) >= 300
    assert model.classes == [str(c) for c in svc.classes_]
    worst, nones = 0.0, 0
    for query in queries:
        expected = _sklearn_probabilities(vectorizer, svc, model.synonyms, query)
        got = model.probabilities(query)
        if expected is None:
            assert got is None, query
            nones += 1
            continue
        assert got is not None, query
        worst = max(worst, float(np.max(np.abs(np.array(list(got.values())) - expected))))
    assert worst < 1e-5
    assert nones == len(UNKNOWN)


def test_a_restart_with_the_cache_neither_imports_sklearn_nor_trains(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """GIVEN a first load that trained and cached the model beside the compiled bundle
    WHEN another process loads the same content
    THEN it never imports scikit-learn and ranks as the first did."""
    monkeypatch.setattr(intent, "_cache", {})
    bundle, problems = load_serving_bundle(CONTENT, LOCALITY, tmp_path)
    assert bundle is not None and not problems and bundle.cache_dir == tmp_path
    first = SearchService.for_bundle(bundle).search(QUERY)
    assert intent_cache.path_for(tmp_path, bundle.version).is_file()
    script = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "from kiosk.content.compiled import load_serving_bundle\n"
        "from kiosk.search.service import SearchService\n"
        f"bundle, _ = load_serving_bundle(Path({str(CONTENT)!r}), Path({str(LOCALITY)!r}), "
        f"Path({str(tmp_path)!r}))\n"
        "service = SearchService.for_bundle(bundle)\n"
        f"hits = [h.flow for h in service.search({QUERY!r})]\n"
        "print(json.dumps({'sklearn': 'sklearn' in sys.modules, 'learned': service.intent is not None,"
        " 'hits': hits}))\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True,
                          timeout=60, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"sklearn": False, "learned": True,
                                       "hits": [h.flow for h in first]}
    assert "retraining" not in done.stderr


def test_a_damaged_cache_is_retrained_and_rewritten(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    """GIVEN a cache file of garbage for the served content version
    THEN the model is retrained (a warning says so, no crash) and a good file replaces it."""
    monkeypatch.setattr(intent, "_cache", {})
    bundle, _ = load_serving_bundle(CONTENT, LOCALITY, tmp_path)
    assert bundle is not None
    path = intent_cache.path_for(tmp_path, bundle.version)
    path.write_bytes(b"PK\x03\x04 not a zip at all")
    with caplog.at_level(logging.WARNING, logger="kiosk.search.intent_cache"):
        model = intent.for_bundle(bundle)
    assert model is not None and model.probabilities(QUERY) is not None
    assert "retraining" in caplog.text
    with np.load(path, allow_pickle=False) as arrays:
        assert arrays["coef"].shape == (len(model.classes), len(model.vocabulary))


def _meta(**changes: Any) -> dict[str, Any]:
    return {"format": intent_cache.FORMAT, "version": "v1", "code": intent_cache.code_key(),
            "training": "t", "temperature": intent.TEMPERATURE, "classes": ["a", "b", "~"],
            "vocabulary": ["c:x", "c:y"]} | changes


def _npz(path: Path, meta: dict[str, Any], **arrays: Any) -> None:
    good: dict[str, Any] = {"idf": np.ones(2, np.float32), "coef": np.ones((3, 2), np.float32),
                            "intercept": np.zeros(3, np.float32)}
    np.savez(path, meta=np.frombuffer(json.dumps(meta).encode(), np.uint8), **(good | arrays))


@pytest.mark.parametrize("damage", [
    "truncated", "wrong code", "wrong training", "other version", "shapes", "nan", "float64",
    "object array", "unknown meta field"])
def test_a_cache_file_that_does_not_fit_is_refused(tmp_path: Path, damage: str,
                                                  caplog: pytest.LogCaptureFixture) -> None:
    """GIVEN a cache file that is damaged, from other code, other examples, another version,
    or holds a pickled object THEN it is refused with a warning (never unpickled, never a crash)."""
    path = intent_cache.path_for(tmp_path, "v1")
    _npz(path, _meta())
    assert intent_cache.read(tmp_path, "v1", "t", None) is not None  # the undamaged file is read
    if damage == "truncated":
        path.write_bytes(path.read_bytes()[:300])
    elif damage in ("wrong code", "wrong training", "other version", "unknown meta field"):
        key = {"wrong code": "code", "wrong training": "training", "other version": "version",
               "unknown meta field": "pickle"}[damage]
        _npz(path, _meta(**{key: "other"}))
    elif damage == "shapes":
        _npz(path, _meta(), coef=np.ones((2, 3), np.float32))
    elif damage == "nan":
        _npz(path, _meta(), idf=np.array([1.0, np.nan], np.float32))
    elif damage == "float64":
        _npz(path, _meta(), intercept=np.zeros(3))
    else:
        _npz(path, _meta(), idf=np.array([{"x": 1}, None], dtype=object))
    with caplog.at_level(logging.WARNING, logger="kiosk.search.intent_cache"):
        assert intent_cache.read(tmp_path, "v1", "t", None) is None
    assert "not used" in caplog.text


def test_no_writable_cache_keeps_the_model_in_memory(tmp_path: Path, caplog: pytest.LogCaptureFixture,
                                                     fitted: tuple[Any, Any, intent.IntentModel]) -> None:
    """GIVEN a cache directory that cannot be created THEN writing logs a warning and returns."""
    blocker = tmp_path / "file"
    blocker.write_text("")
    with caplog.at_level(logging.WARNING, logger="kiosk.search.intent_cache"):
        intent_cache.write(blocker / "content", "v1", "t", fitted[2])
    assert "cannot cache" in caplog.text


def test_without_sklearn_or_cache_search_is_lexical(bundle: Bundle, monkeypatch: pytest.MonkeyPatch) -> None:
    """GIVEN no scikit-learn and no cache THEN no model (search stays lexical), no crash."""
    monkeypatch.setattr(intent, "_cache", {})
    monkeypatch.setitem(sys.modules, "sklearn", None)
    monkeypatch.setitem(sys.modules, "sklearn.feature_extraction.text", None)
    assert intent.for_bundle(bundle) is None
