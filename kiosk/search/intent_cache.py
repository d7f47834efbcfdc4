"""The trained classifier on disk, beside the compiled bundle, one file per content version.

Why: training needs scikit-learn, which takes about a second to import and most of the
process's memory, and another two thirds of a second to train; kiosks restart daily with
content that rarely changes. The file holds only arrays and JSON (numpy .npz read with
allow_pickle=False), never pickles, so a damaged or planted file cannot run code: at worst
it is refused, logged, and the model retrained and rewritten.

A file is used only if it was written by the same feature code (a digest of the modules
that make `features`) from the same training set (a digest of the texts, labels and
synonyms) for the same content version; anything else is a miss, never a wrong model.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import msgspec
import numpy as np
import numpy.typing as npt

from kiosk.search.intent import TEMPERATURE, IntentModel

log = logging.getLogger(__name__)

FORMAT = 1
PREFIX = "intent-"
#: The modules whose code decides a text's features: a change to any of them retrains.
FEATURE_MODULES = ("intent.py", "pinyin.py", "words.py", "english.py", "normalize.py", "terms.py")


class Meta(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    format: int
    version: str
    code: str
    training: str
    temperature: float
    classes: list[str]
    #: Feature strings in column order.
    vocabulary: list[str]


def path_for(cache_dir: Path, version: str) -> Path:
    return cache_dir / f"{PREFIX}{version}.npz"


def code_key() -> str:
    """Digest of the feature code, so that new code never scores with old columns."""
    digest = hashlib.sha256(str(FORMAT).encode())
    here = Path(__file__).parent
    for name in FEATURE_MODULES:
        digest.update((here / name).read_bytes())
    return digest.hexdigest()[:16]


def training_key(texts: Sequence[str], labels: Sequence[str],
                 synonyms: Mapping[str, Iterable[str]] | None) -> str:
    """Digest of what the model is trained on."""
    table = {k: list(v) for k, v in (synonyms or {}).items()}
    data = json.dumps([list(texts), list(labels), table], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(data.encode()).hexdigest()[:16]


def read(cache_dir: Path, version: str, training: str,
         synonyms: Mapping[str, Iterable[str]] | None) -> IntentModel | None:
    """The cached model, or None (logged) when there is none or it does not fit."""
    path = path_for(cache_dir, version)
    if not path.is_file():
        return None
    try:
        with np.load(io.BytesIO(path.read_bytes()), allow_pickle=False) as arrays:  # no fd left open
            meta = msgspec.json.decode(arrays["meta"].tobytes(), type=Meta, strict=True)
            idf, coef, intercept = arrays["idf"], arrays["coef"], arrays["intercept"]
        expected = (FORMAT, version, code_key(), training, TEMPERATURE)
        if (meta.format, meta.version, meta.code, meta.training, meta.temperature) != expected:
            raise ValueError("written by other code or from other examples")
        _check(meta, idf, coef, intercept)
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile, msgspec.DecodeError,
            msgspec.ValidationError) as exc:
        log.warning("search classifier cache %s not used (%s); retraining", path.name, exc)
        return None
    return IntentModel(meta.vocabulary, idf, coef, intercept, meta.classes, synonyms, meta.temperature)


def _check(meta: Meta, idf: npt.NDArray[np.float32], coef: npt.NDArray[np.float32],
           intercept: npt.NDArray[np.float32]) -> None:
    features, classes = len(meta.vocabulary), len(meta.classes)
    if len(set(meta.vocabulary)) != features or len(set(meta.classes)) != classes or classes < 3:
        raise ValueError("repeated features or classes")
    shapes = (idf.shape, coef.shape, intercept.shape)
    if shapes != ((features,), (classes, features), (classes,)):
        raise ValueError(f"array shapes {shapes} do not fit {classes} classes x {features} features")
    for array in (idf, coef, intercept):
        if array.dtype != np.float32 or not np.isfinite(array).all():
            raise ValueError("arrays not finite float32")


def write(cache_dir: Path, version: str, training: str, model: IntentModel) -> None:
    """Store the model atomically and drop other versions' files; a failure is logged only."""
    from kiosk.content.compiled import write_atomically

    meta = Meta(FORMAT, version, code_key(), training, model.temperature, model.classes,
                sorted(model.vocabulary, key=model.vocabulary.__getitem__))
    buffer = io.BytesIO()
    np.savez(buffer, meta=np.frombuffer(msgspec.json.encode(meta), dtype=np.uint8),
             idf=model.idf, coef=model.coef, intercept=model.intercept)
    path = path_for(cache_dir, version)
    try:
        write_atomically(path, buffer.getvalue())
        for old in cache_dir.glob(f"{PREFIX}*.npz"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError as exc:
        log.warning("cannot cache the search classifier in %s: %s", cache_dir, exc)
