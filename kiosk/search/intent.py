"""Which flow a question is about, learned from residents' phrasings (content/search/examples).

Why a classifier: lexical search finds the words a flow's keywords name, and every round of
adding keywords fixed the phrasings looked at and left fresh ones behind. A linear model over
many small overlapping features, trained on residents' own phrasings of each flow and of
matters that are not ours, weighs the evidence of all the words at once ("过不下去了" says
divorce without naming it).

Why these features: character 1-3-grams need no segmentation and survive a missing or
wrong character; jieba words carry the matter's terms; toneless pinyin syllables and pairs
make a recogniser's homophones (工商 for 工伤) and typed pinyin (`gongshang`) meet the Han
examples; English words are stemmed.

Why scikit-learn: TF-IDF and a linear SVM are among its best-kept parts and train on this
corpus (about 3,000 short texts) in about half a second; a softmax over the SVM's decision
values gives class probabilities that the service blends with the lexical scores and
thresholds for "not here". (Logistic regression trained 10-20 times slower for no better
result, and calibrated SVMs gained two points for three times the training.)
Only training needs it: what it learns is kept as plain arrays (IntentModel), scored in
numpy and cached on disk per content version (kiosk/search/intent_cache.py).
Classes are the flows plus `~<body>` for other bodies' matters and `~` for nobody's.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from kiosk.search import pinyin, words
from kiosk.search.english import STOP_WORDS, stem
from kiosk.search.normalize import runs
from kiosk.search.terms import expand, looks_pinyin

if TYPE_CHECKING:
    from kiosk.content.bundle import Bundle

log = logging.getLogger(__name__)

#: Class label prefix of questions that are not ours: `~police`, and `~` for nobody's.
NOT_OURS = "~"
#: Inverse regularisation of the linear SVM (tuned on the tuned probe sets).
C = 1.0
#: Temperature of the softmax that turns its decision values into probabilities.
TEMPERATURE = 0.5


def features(text: str, synonyms: Mapping[str, Iterable[str]] | None = None,
             han: bool = True) -> list[str]:
    """The features of a text; with `han` False, Han text gives only its pinyin (the view
    a typed-pinyin query has of an example)."""
    out: list[str] = []
    parts = runs(expand(text, synonyms) if synonyms else text)
    latin = [run for kind, run in parts if kind == "latin"]
    as_pinyin = bool(latin) and 2 * sum(map(looks_pinyin, latin)) >= len(latin)
    sequence: list[str] = []
    for kind, run in parts:
        if kind == "han":
            if han:
                out.extend("c:" + ch for ch in run)
                out.extend("c:" + run[i:i + 2] for i in range(len(run) - 1))
                out.extend("c:" + run[i:i + 3] for i in range(len(run) - 2))
                out.extend("w:" + w for w in words.words(run))
            sequence = list(pinyin.phrase_syllables(run))
            _syllables(sequence, out)
        elif kind == "latin" and as_pinyin:
            sylls = pinyin.segment(run)
            if sylls is not None:  # initials (`gs`) are left to the lexical index
                _syllables(list(sylls), out)
        elif kind == "latin" and len(run) > 1 and run not in STOP_WORDS:
            out.append("e:" + stem(run))
    return out


def _syllables(sequence: list[str], out: list[str]) -> None:
    # ü as u: residents type 律师 as "lushi" as often as "lvshi", 女儿 as "nuer".
    sequence = [s.replace("v", "u") for s in sequence]
    out.extend("p:" + s for s in sequence)
    out.extend(f"pp:{a}_{b}" for a, b in itertools.pairwise(sequence))


class IntentModel:
    """What the classifier learned, as plain arrays: TF-IDF weights over `features`, the
    linear SVM's weights per class, softmax probabilities.

    Why plain arrays: scored in numpy, a query needs neither scikit-learn (about a second to
    import, and most of the memory) nor training; kiosk/search/intent_cache.py keeps the
    arrays on disk per content version, so a restart with unchanged content does neither.
    """

    def __init__(self, vocabulary: Sequence[str], idf: npt.NDArray[np.float32],
                 coef: npt.NDArray[np.float32], intercept: npt.NDArray[np.float32],
                 classes: Sequence[str], synonyms: Mapping[str, Iterable[str]] | None = None,
                 temperature: float = TEMPERATURE):
        #: feature -> column, as TfidfVectorizer.vocabulary_.
        self.vocabulary: dict[str, int] = {feature: i for i, feature in enumerate(vocabulary)}
        self.idf = idf
        #: classes x features, and one intercept per class (LinearSVC's coef_ and intercept_).
        self.coef = coef
        self.intercept = intercept
        self.classes: list[str] = list(classes)
        self.synonyms = {k: tuple(v) for k, v in (synonyms or {}).items()}
        self.temperature = temperature

    @classmethod
    def train(cls, texts: Sequence[str], labels: Sequence[str],
              synonyms: Mapping[str, Iterable[str]] | None = None,
              pinyin_views: bool = True) -> IntentModel:
        """Train with scikit-learn and keep the arrays (ImportError without it)."""
        vectorizer, svc = fit(texts, labels, synonyms, pinyin_views)
        return cls.from_fitted(vectorizer, svc, synonyms)

    @classmethod
    def from_fitted(cls, vectorizer: Any, svc: Any,
                    synonyms: Mapping[str, Iterable[str]] | None = None) -> IntentModel:
        """The arrays of a fitted TfidfVectorizer (norm l2, sublinear tf) and LinearSVC."""
        columns: dict[str, int] = vectorizer.vocabulary_
        vocabulary = sorted(columns, key=columns.__getitem__)
        return cls(vocabulary, np.asarray(vectorizer.idf_, dtype=np.float32),
                   np.asarray(svc.coef_, dtype=np.float32), np.asarray(svc.intercept_, dtype=np.float32),
                   [str(c) for c in svc.classes_], synonyms)

    def probabilities(self, query: str) -> dict[str, float] | None:
        """Class -> probability, or None when the query has no feature the model knows."""
        counts: Counter[int] = Counter()
        for feature in features(query, self.synonyms):
            column = self.vocabulary.get(feature)
            if column is not None:
                counts[column] += 1
        if not counts:
            return None
        columns = np.fromiter(counts.keys(), dtype=np.intp, count=len(counts))
        tf = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
        x = (1.0 + np.log(tf)) * self.idf[columns]  # sublinear tf times idf, as TfidfVectorizer
        x /= np.sqrt(x @ x)  # norm="l2"
        values = (self.coef[:, columns] @ x + self.intercept) / self.temperature
        exp = np.exp(values - values.max())
        return dict(zip(self.classes, (exp / exp.sum()).tolist(), strict=True))


def fit(texts: Sequence[str], labels: Sequence[str],
        synonyms: Mapping[str, Iterable[str]] | None = None, pinyin_views: bool = True) -> tuple[Any, Any]:
    """The fitted scikit-learn (TfidfVectorizer, LinearSVC) pair."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC

    table = {k: tuple(v) for k, v in (synonyms or {}).items()}
    docs = [features(t, table) for t in texts]
    targets = list(labels)
    if pinyin_views:  # what a resident typing pinyin gives: the same examples, sound only
        for text, label in zip(texts, labels, strict=True):
            if any(kind == "han" for kind, _ in runs(text)):
                docs.append(features(text, table, han=False))
                targets.append(label)
    vectorizer = TfidfVectorizer(analyzer=_identity, sublinear_tf=True, min_df=1)
    matrix = vectorizer.fit_transform(docs)
    svc = LinearSVC(C=C)
    svc.fit(matrix, targets)
    return vectorizer, svc


def _identity(doc: list[str]) -> list[str]:
    return doc


def training_set(bundle: Bundle) -> tuple[list[str], list[str]]:
    """(text, label) pairs: each flow's examples, title, summary and keywords; other
    bodies' matters and keywords (content/referrals.yaml) and the not-ours examples."""
    texts: list[str] = []
    labels: list[str] = []

    def add(items: Iterable[str], label: str) -> None:
        for text in items:
            texts.append(text)
            labels.append(label)

    examples = bundle.examples
    for flow in bundle.flows.values():
        add(flow.title.values(), flow.id)
        add(flow.summary.values(), flow.id)
        for keywords in flow.keywords.values():
            add(keywords, flow.id)
        if examples is not None and flow.id in examples.flows:
            add((text for text, _ in examples.flows[flow.id].labelled()), flow.id)
    if bundle.referrals is not None:
        for referral in bundle.referrals.referrals:
            label = NOT_OURS + (referral.id if referral.body else "")
            add((referral.matters or {}).values(), label)
            for keywords in referral.keywords.values():
                add(keywords, label)
    if examples is not None and examples.not_ours is not None:
        for text, body in examples.not_ours.labelled():
            add([text], NOT_OURS + (body or ""))
    return texts, labels


_cache: dict[str, IntentModel] = {}
_cache_lock = threading.Lock()


def for_bundle(bundle: Bundle) -> IntentModel | None:
    """The model of a bundle, trained once per content version (None: no examples, or no
    scikit-learn and nothing on disk); from disk when the bundle's cache has it."""
    if bundle.examples is None:
        return None
    with _cache_lock:
        model = _cache.get(bundle.version)
        if model is None:
            model = _load_or_train(bundle)
            if model is None:
                return None
            _cache.clear()  # one content version in force at a time
            _cache[bundle.version] = model
        return model


def _load_or_train(bundle: Bundle) -> IntentModel | None:
    from kiosk.search import intent_cache

    texts, labels = training_set(bundle)
    key = intent_cache.training_key(texts, labels, bundle.pack.synonyms)
    if bundle.cache_dir is not None:
        model = intent_cache.read(bundle.cache_dir, bundle.version, key, bundle.pack.synonyms)
        if model is not None:
            return model
    try:
        model = IntentModel.train(texts, labels, bundle.pack.synonyms)
    except ImportError as exc:  # an install without scikit-learn: lexical search only
        log.warning("search classifier not trained (%s): install scikit-learn", exc)
        return None
    if bundle.cache_dir is not None:
        intent_cache.write(bundle.cache_dir, bundle.version, key, model)
    return model
