"""Benchmark: search accuracy on the dev phrasings, query latency and index build time.

Prints, for the shipped content: top-1/top-3 accuracy on ../shared/eval/dev_questions.jsonl
and on the team's probe sets (those tuned on, then those held out), ours side by side with the
jieba + rank_bm25 baseline (kiosk/search/baseline.py); for out-of-scope questions the share
answered "not here" and the share referred to the right body; the misses, cold build time
(pinyin tables included) and warm build time, and query p50/p95 over the dev questions plus
typed pinyin. Then, for
synthetic FAQ sets of 5,000 / 20,000 / 50,000 entries made from the content's own
vocabulary : build time,
query p50/p95, and query cost per 1,000 entries, to show growth is no worse than linear. (Accuracy is not
shown for these: entries made from the content's own words are not a real FAQ.)
Run: .venv/bin/python bench/search.py [--sizes 5000,20000,50000]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kiosk.content.bundle import Bundle, load_bundle  # noqa: E402
from kiosk.search.baseline import Baseline  # noqa: E402
from kiosk.search.evaluate import accuracy, load_out_of_scope, load_phrasings, rejection  # noqa: E402
from kiosk.search.index import Entry, Field, SearchIndex  # noqa: E402
from kiosk.search.normalize import runs  # noqa: E402
from kiosk.search.service import SearchService, flow_entry  # noqa: E402

DEV = ROOT.parent / "shared" / "eval" / "dev_questions.jsonl"
DEV_OOS = ROOT.parent / "shared" / "eval" / "out_of_scope_dev.jsonl"
DATA = ROOT / "bench" / "data"
#: Phrasings the team wrote (query TAB flow id). "tuned": keywords and synonyms were adjusted
#: after looking at its misses; "fresh": measured before any tuning on it. natural, asr (a
#: recogniser's homophone errors), long (rambling spoken questions), pinyin and en were
#: written for issue 16 before the engine was changed. Out of scope (query TAB referral id,
#: `-` for none): "oos" was looked at while writing content/referrals.yaml, "oos-fresh" was
#: written before its keywords were tuned.
PROBES = {name: DATA / f"probe-{name}.tsv"
          for name in ("tuned", "fresh", "natural", "asr", "long", "pinyin", "en")}
#: Issue 16, second round: held-out sets written in turn, each before the changes it measures.
#: "-h1" was measured once (natural 73.3 % top-1, asr 100, long 90.0, pinyin 96.7; oos rejected
#: 85.0 %), then tuned on; "-h2" was written after that measurement, measured once (natural
#: 75.0, asr 96.7, pinyin 100; oos rejected 76.7 %, referred 66.7 %), then tuned on; both now
#: count as tuned. "heldout3" was written after the "-h2" measurement and measured once with
#: the lexical engine (73.3 % top-1), then with the classifier (below).
ROUNDS = {"h1": ("natural", "asr", "long", "pinyin"), "h2": ("natural", "asr", "pinyin")}
PROBES.update({f"{name}-{r}": DATA / f"probe-{name}-heldout{'' if r == 'h1' else '2'}.tsv"
               for r, names in ROUNDS.items() for name in names})
#: "heldout4" was written by another engineer while the classifier (kiosk/search/intent.py)
#: was built, and merged only after its weights and thresholds were fixed. Both "heldout3" and
#: "heldout4" were measured once with the classifier (first examples only): natural-h3 95.0 %
#: top-1 (lexical engine before: 73.3), natural-h4 92.2, long-h4 100, asr-h4 100, en-h4 83.3,
#: pinyin-h4 96.7; in-scope refused 4 of 285 (1.4 %); out of scope rejected / referred: h3
#: 93.3 / 94.7 (before: 86.7 / 78.9), h4 91.7 / 94.3. Their misses were then looked at (the
#: English never-refuse words were narrowed) and more examples were written by other authors
#: who saw no probe: they now count as tuned.
#: "heldout5" was written after that, by an engineer who saw neither the examples nor the
#: other probes, and measured once: natural 95.6 % top-1 (baseline 65.6), long 93.3, asr 100,
#: en 88.9, pinyin 100; none of 225 refused; out of scope rejected 85.0 %, referred 94.3 %.
#: Its misses were looked at (the blend's constants were then set by a grid over every set up
#: to here, and a fourth round of examples written): it counts as tuned.
#: "heldout6" was written by yet another engineer before that, and measured once after every
#: example line that (nearly) repeats a probe was dropped: natural 97.8 % top-1 (baseline 73.3),
#: long, asr, en and pinyin 100; none of 225 refused; out of scope rejected 86.7 %, referred
#: 93.5 %. Its misses were never looked at. Then a fifth round of not-ours examples was written
#: (by authors who saw no probe) and "heldout7" (natural, en and 120 out of scope) was written
#: beside it by another engineer; both rounds are measured at the end: the figures to quote.
PROBES.update({f"{name}-h3": DATA / f"probe-{name}-heldout3.tsv" for name in ("natural",)})
PROBES.update({f"{name}-h{r}": DATA / f"probe-{name}-heldout{r}.tsv"
               for r in (4, 5) for name in ("natural", "long", "asr", "en", "pinyin")})
HELD_OUT = {f"{name}-h6": DATA / f"probe-{name}-heldout6.tsv"
            for name in ("natural", "long", "asr", "en", "pinyin")}
HELD_OUT.update({f"{name}-h7": DATA / f"probe-{name}-heldout7.tsv" for name in ("natural", "en")})
OOS_SETS = {"oos": DATA / "probe-oos.tsv", "oos-fresh": DATA / "probe-oos-fresh.tsv",
            "oos-h1": DATA / "probe-oos-heldout.tsv", "oos-h2": DATA / "probe-oos-heldout2.tsv"}
OOS_SETS.update({f"oos-h{r}": DATA / f"probe-oos-heldout{r}.tsv" for r in (3, 4, 5)})
OOS_HELD_OUT = {f"oos-h{r}": DATA / f"probe-oos-heldout{r}.tsv" for r in (6, 7)}
PINYIN_QUERIES = ["taoxin", "gongshang", "gs", "lihun", "falv yuanzhu", "jiaotong shigu", "yichan",
                  "jiebao", "gongzheng", "xingzheng fuyi", "tudi chengbao", "jiating baoli"]


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def dev_set() -> list[tuple[str, str]]:
    return load_phrasings(DEV) if DEV.exists() else []


Searcher = SearchIndex | SearchService


def latencies(search: Searcher, queries: list[str], rounds: int,
              clock: Callable[[], float] = time.perf_counter) -> list[float]:
    times = []
    for _ in range(rounds):
        for query in queries:
            t0 = clock()
            search.search(query, top=3)
            times.append(clock() - t0)
    return times


def side_by_side(service: SearchService, baseline: Baseline, rows: list[tuple[str, str]],
                 show_held_misses: bool = False) -> None:
    """Every labelled set, tuned and held out apart: top-1/top-3 ours and the jieba +
    rank_bm25 baseline, in-scope questions refused, out-of-scope rejection and referral."""
    tuned = {"dev": rows} if rows else {}
    tuned.update({name: load_phrasings(path) for name, path in PROBES.items()})
    oos = {"oos-dev": load_out_of_scope(DEV_OOS) if DEV_OOS.exists() else []}
    oos.update({name: load_out_of_scope(path) for name, path in OOS_SETS.items()})
    misses = in_scope_table("sets tuned on", service, baseline, tuned)
    misses += out_of_scope_table(service, baseline, oos)
    held = {name: load_phrasings(path) for name, path in HELD_OUT.items() if path.exists()}
    for miss in misses:
        print("    miss:", miss)
    misses = []
    if held:
        misses += in_scope_table("held out (never looked at while tuning)", service, baseline, held, "held-")
        misses += out_of_scope_table(service, baseline, {name: load_out_of_scope(path)
                                                         for name, path in OOS_HELD_OUT.items()
                                                         if path.exists()}, "held-")
    if show_held_misses:  # off by default: held-out failures are not for tuning on
        for miss in misses:
            print("    miss:", miss)


def in_scope_table(title: str, service: SearchService, baseline: Baseline,
                   sets: dict[str, list[tuple[str, str]]], tag: str = "") -> list[str]:
    print(f"  {title}:")
    print("  set                    n    ours top-1  top-3  refused   baseline top-1  top-3")
    misses: list[str] = []
    refused = total = 0
    for name, phrasings in sets.items():
        ours, base = accuracy(service, phrasings), accuracy(baseline, phrasings)
        lost = sum(not service.search(q) for q, _ in phrasings)
        refused, total = refused + lost, total + len(phrasings)
        print(f"  {tag + name:<20} {ours.total:>4}    {ours.top1:8.1%} {ours.top3:6.1%}  {lost:>7}"
              f"         {base.top1:8.1%} {base.top3:6.1%}")
        misses += [f"{tag}{name}: {m}" for m in ours.misses]
    print(f"  in-scope questions refused: {refused} of {total} ({refused / max(total, 1):.1%})")
    return misses


def out_of_scope_table(service: SearchService, baseline: Baseline,
                       sets: dict[str, list[tuple[str, str | None]]], tag: str = "") -> list[str]:
    print("  out of scope           n    ours rejected   referred   baseline rejected")
    misses: list[str] = []
    for name, queries in sets.items():
        if not queries:
            continue
        ours_r = rejection(service, [q for q, _ in queries])
        base_r = rejection(baseline, [q for q, _ in queries])
        named = sum(1 for _, body in queries if body)
        referred = f"{referral_rate(service, queries):8.1%}" if named else "       -"
        print(f"  {tag + name:<20} {ours_r.total:>4}      {ours_r.rate:8.1%}   {referred}"
              f"          {base_r.rate:8.1%}")
        misses += [f"{tag}{name}: {m}" for m in ours_r.misses]
        misses += [f"{tag}{name}: {q} -> referred to {service.find(q).referral_body} (want {body})"
                   for q, body in queries if body and not service.search(q)
                   and service.find(q).referral_body != body]
    return misses


def referral_rate(service: SearchService, queries: list[tuple[str, str | None]]) -> float:
    """Share of out-of-scope queries with a named body that are sent to that body."""
    named = [(q, body) for q, body in queries if body]
    if not named:
        return 0.0
    return sum(service.find(q).referral_body == body for q, body in named) / len(named)


def shipped(bundle: Bundle, rows: list[tuple[str, str]], show_held_misses: bool = False) -> None:
    t0 = time.perf_counter()
    service = SearchService.for_bundle(bundle)
    cold = time.perf_counter() - t0
    t0 = time.perf_counter()
    SearchService.for_bundle(bundle)
    warm = time.perf_counter() - t0
    print(f"shipped content: {len(bundle.flows)} flows, {service.index.term_count} terms")
    print(f"  index build: cold {cold * 1000:.0f} ms (loads pinyin tables, jieba, scikit-learn; trains "
          f"the classifier), warm {warm * 1000:.1f} ms (the classifier cached per content version)")
    if bundle.examples is not None:
        from kiosk.search import intent

        texts, labels = intent.training_set(bundle)
        t0 = time.perf_counter()
        model = intent.IntentModel.train(texts, labels, bundle.pack.synonyms)
        train = time.perf_counter() - t0
        print(f"  classifier: {len(texts)} texts, {len(model.classes)} classes, "
              f"{len(model.vocabulary)} features, trained in {train * 1000:.0f} ms (warm)")
    if not rows:
        print(f"  dev set not found at {DEV}: accuracy not measured")
    side_by_side(service, Baseline(bundle), rows, show_held_misses)
    queries = [q for q, _ in rows] + PINYIN_QUERIES
    queries += [q for path in [*PROBES.values(), *HELD_OUT.values()] if path.exists()
                for q, _ in load_phrasings(path)][::3]
    times = latencies(service, queries, rounds=5)
    cpu = latencies(service, queries, rounds=5, clock=time.thread_time)
    print(f"  query latency ({len(times)} queries): p50 {pct(times, 0.5) * 1000:.2f} ms, "
          f"p95 {pct(times, 0.95) * 1000:.2f} ms; CPU time (what a busy shared machine does not "
          f"inflate): p50 {pct(cpu, 0.5) * 1000:.2f} ms, p95 {pct(cpu, 0.95) * 1000:.2f} ms")


def vocabulary(bundle: Bundle) -> tuple[list[str], list[str]]:
    """Han words (2-4 characters) and English words cut from the content's own texts."""
    rng = random.Random(7)
    han: set[str] = set()
    english: set[str] = set()
    for flow in bundle.flows.values():
        entry = flow_entry(flow, {})
        for f in entry.fields:
            for kind, run in runs(f.text):
                if kind == "han":
                    for start in range(0, max(1, len(run) - 1), 2):
                        han.add(run[start:start + rng.choice((2, 2, 3, 4))])
                elif kind == "latin" and len(run) > 2:
                    english.add(run)
    return sorted(w for w in han if len(w) >= 2), sorted(english)


def synthetic(size: int, han: list[str], english: list[str], seed: int = 11) -> list[Entry]:
    rng = random.Random(seed + size)
    entries = []
    for i in range(size):
        title = "".join(rng.sample(han, rng.randint(2, 4)))
        keywords = rng.sample(han, 5) + rng.sample(english, 3)
        summary = "".join(rng.sample(han, 10))
        summary_en = " ".join(rng.sample(english, 12))
        fields = [Field(title, 3.0, True)] + [Field(k, 3.0, True) for k in keywords]
        fields += [Field(summary, 1.5), Field(summary_en, 1.5)]
        entries.append(Entry(id=f"faq-{i}", title={"zh-CN": title}, fields=fields))
    return entries


def scaled(bundle: Bundle, rows: list[tuple[str, str]], sizes: list[int]) -> None:
    han, english = vocabulary(bundle)
    topics = {t.id: dict(t.title) for t in bundle.pack.topics}
    real = [flow_entry(f, topics.get(f.topic, {})) for f in bundle.flows.values()]
    queries = [q for q, _ in rows] + PINYIN_QUERIES
    print(f"synthetic FAQ sets (vocabulary: {len(han)} Han words, {len(english)} English words):")
    print("  entries    build     terms   p50 ms  p95 ms  p95 per 1k entries")
    for size in sizes:
        entries = real + synthetic(size - len(real), han, english)
        t0 = time.perf_counter()
        index = SearchIndex(entries, bundle.pack.synonyms)
        build = time.perf_counter() - t0
        times = latencies(index, queries, rounds=3)
        p95 = pct(times, 0.95) * 1000
        print(f"  {size:>7,}  {build:6.2f} s  {index.term_count:>8,}  {pct(times, 0.5) * 1000:6.2f}  "
              f"{p95:6.2f}  {p95 / size * 1000:8.3f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="5000,20000,50000", help="synthetic sizes (\"\" for none)")
    parser.add_argument("--held-misses", action="store_true",
                        help="also list the held-out sets' misses (only once the figures are final)")
    args = parser.parse_args()
    bundle, problems = load_bundle(ROOT / "content", ROOT / "config" / "localities" / "demo.yaml")
    if bundle is None:
        raise SystemExit(f"content does not load: {problems}")
    rows = [(q, f) for q, f in dev_set() if f in bundle.flows]
    shipped(bundle, rows, args.held_misses)
    scaled(bundle, rows, [int(s) for s in args.sizes.split(",") if s])


if __name__ == "__main__":
    main()
