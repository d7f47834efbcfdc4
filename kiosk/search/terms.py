"""Search terms from text: what a document offers and what a query asks for.

Terms are strings with a channel prefix, so one inverted index serves every channel:

- `h1:` / `h2:` Han characters and character pairs (no word segmentation, so no
  dependence on a dictionary or on whitespace);
- `en:` English word stems;
- `s1:` / `s2:` toneless pinyin syllables and syllable pairs (typed pinyin, homophones);
- `pw:` / `pi:` the whole pinyin of a keyword or title, and its initials (`gongshang`, `gs`);
- `d:` digit runs (hotline numbers);
- `w:` Chinese words of two characters or more (jieba, taught the content's keywords);
- `k2:` syllable pairs of titles and keywords only: evidence for the scope decision
  (kiosk/search/scope.py), never asked for in ranking, not counted in a document's length.

A query term's weight is its channel weight: exact characters count most, a homophone
less, one lone syllable hardly at all.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable, Mapping

from kiosk.search import pinyin, words
from kiosk.search.english import STOP_WORDS, stem
from kiosk.search.normalize import fold, runs

#: Term -> accumulated weight.
Weights = defaultdict[str, float]

CHANNEL_WEIGHTS: dict[str, float] = {
    "h2": 1.0,
    "h1": 0.3,
    "en": 1.0,
    "s2": 0.5,
    "s1": 0.15,
    "pw": 1.5,
    "pi": 0.8,
    "d": 0.5,
    "w": 1.0,
    "k2": 0.5,
}
#: Channels a document offers only as evidence that a query is ours (see `k2:` above).
EVIDENCE_ONLY = ("k2:",)


def document_terms(text: str, weight: float, phrase: bool, into: Weights) -> None:
    """Add the terms of one field of a document, each counted `weight` times.

    `phrase` marks a short field (title, keyword) whose whole pinyin and initials are
    worth a term of their own.
    """
    for kind, run in runs(text):
        if kind == "han":
            for ch in run:
                into["h1:" + ch] += weight
            for i in range(len(run) - 1):
                into["h2:" + run[i : i + 2]] += weight
            if weight >= WORD_FIELD:
                for word in words.words(run):
                    into["w:" + word] += weight
            if phrase:
                sylls = pinyin.phrase_syllables(run)
                for a, b in itertools.pairwise(sylls):
                    into[f"s2:{a}_{b}"] += weight
                    into[f"k2:{a}_{b}"] += weight
                if len(sylls) >= 2:
                    into["pw:" + "".join(sylls)] += weight
                    into["pi:" + pinyin.initials(sylls)] += weight
            else:
                sylls = tuple(pinyin.first_reading(ch) for ch in run)
                for pair in pinyin.reading_bigrams(run):
                    into["s2:" + pair] += weight
            for s in sylls:
                into["s1:" + s] += weight
        elif kind == "latin":
            if len(run) > 1 and run not in STOP_WORDS:
                into["en:" + stem(run)] += weight
        else:
            into["d:" + run] += weight


#: Fields below this weight (what a flow asks and concludes) get no word terms: segmenting
#: their long text is most of the index build, and a resident's words are found in titles,
#: keywords and summaries.
WORD_FIELD = 1.0


#: Function characters: a pair containing one (么赔, 我想) says little about the topic but,
#: being rare in a small corpus, would outweigh the pairs that do (工伤).
FUNCTION_CHARS = frozenset("的了吗呢吧啊呀么怎什啥咋谁哪我你您他她它们是在有想能可以会就都也还和与这那个该")
FUNCTION_PAIR = 0.3
#: Words of asking, not of the matter (怎么办, 哪里, 附近, 今天): any question has them, so
#: in a query they count as little as a function pair, word and characters alike.
QUESTION_WORDS = frozenset(
    """怎么办 怎么 怎样 如何 哪里 哪儿 哪个 什么 为什么 多少 几个 有没有 能不能 可不可以 是不是
    会不会 要不要 可以 应该 需要 知道 请问 问问 想问 一下 这个 那个 这样 那样 现在
    今天 明天 昨天 时候 附近 这里 那里 这边 那边 就是 还是 已经 怎么样""".split()
)


def expand(text: str, synonyms: Mapping[str, Iterable[str]]) -> str:
    """Add a copy of the text with colloquial and dialect words made standard (俺的工钱 ->
    我的工资), so the standard words also form pairs with their neighbours."""
    folded = fold(text)
    standard_text = folded
    for standard, variants in synonyms.items():
        for variant in sorted(variants, key=len, reverse=True):
            if variant in standard_text:
                standard_text = standard_text.replace(variant, standard)
    return text if standard_text == folded else text + " " + standard_text


def _asking_positions(run: str) -> set[int]:
    """Positions of the characters of question words in a Han run (as jieba cuts it)."""
    found: set[int] = set()
    at = 0
    for word in words.cut(run):
        if word in QUESTION_WORDS:
            found.update(range(at, at + len(word)))
        at += len(word)
    return found


def looks_pinyin(token: str) -> bool:
    """A Latin token that reads as pinyin: whole syllables, or a short run of initials."""
    if pinyin.segment(token) is not None:
        return True
    return 2 <= len(token) <= 6 and not any(v in token for v in "aeiouv")


def query_terms(text: str, synonyms: Mapping[str, Iterable[str]]) -> Weights:
    """Weighted terms of a resident's query, after synonym expansion."""
    out: Weights = defaultdict(float)
    parts = runs(expand(text, synonyms))
    latin = [run for kind, run in parts if kind == "latin"]
    pinyin_mode = bool(latin) and 2 * sum(map(looks_pinyin, latin)) >= len(latin)
    for kind, run in parts:
        if kind == "han":
            asking = _asking_positions(run)
            for i, ch in enumerate(run):
                out["h1:" + ch] += CHANNEL_WEIGHTS["h1"] * (FUNCTION_PAIR if i in asking else 1.0)
            for i, (a, b) in enumerate(itertools.pairwise(run)):
                damp = FUNCTION_PAIR if a in FUNCTION_CHARS or b in FUNCTION_CHARS else 1.0
                if i in asking and i + 1 in asking:
                    damp = FUNCTION_PAIR
                out["h2:" + a + b] += CHANNEL_WEIGHTS["h2"] * damp
                for pair in pinyin.pair_readings(a, b):
                    out["s2:" + pair] += CHANNEL_WEIGHTS["s2"] * damp
            for word in words.words(run):
                if word not in QUESTION_WORDS:
                    out["w:" + word] += CHANNEL_WEIGHTS["w"]
        elif kind == "digit":
            out["d:" + run] += CHANNEL_WEIGHTS["d"]
        elif len(run) > 1 and run not in STOP_WORDS:  # a lone letter is no English word
            out["en:" + stem(run)] += CHANNEL_WEIGHTS["en"]
    if pinyin_mode:
        _pinyin_terms(latin, out)
    return out


def is_pinyin(text: str) -> bool:
    """Typed pinyin: Latin text, at least half of its tokens reading as pinyin, no Han."""
    parts = runs(text)
    latin = [run for kind, run in parts if kind == "latin"]
    return bool(latin) and not any(kind == "han" for kind, _ in parts) and \
        2 * sum(map(looks_pinyin, latin)) >= len(latin)


def _pinyin_terms(tokens: list[str], out: Weights) -> None:
    """Typed pinyin: whole words, syllables, syllable pairs across spaces, initials."""
    sequence: list[str] = []
    for token in tokens:
        sylls = pinyin.segment(token)
        if sylls is None:
            if 2 <= len(token) <= 6:
                out["pi:" + token] += CHANNEL_WEIGHTS["pi"]
            _pairs(sequence, out)
            sequence = []
            continue
        if len(sylls) >= 2:
            out["pw:" + token] += CHANNEL_WEIGHTS["pw"]
        for s in sylls:
            out["s1:" + s] += CHANNEL_WEIGHTS["s1"]
        sequence.extend(sylls)
    _pairs(sequence, out)


def _pairs(sequence: list[str], out: Weights) -> None:
    for a, b in itertools.pairwise(sequence):
        out[f"s2:{a}_{b}"] += CHANNEL_WEIGHTS["s2"]
