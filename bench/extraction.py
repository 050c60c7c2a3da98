"""Score and time importer on the development set (tests/data/extraction_dev.json).

    .venv/bin/python bench/extraction.py            # scores per language + timings
    .venv/bin/python bench/extraction.py --details  # also every miss and false alarm

Scores: precision / recall / F1 for sources found (a predicted attribution matches a
gold one on the same claim when they name the same known source or their spans
overlap), sources with the right role, claim spans (a predicted claim matches when it
contains the gold claim's text), and figures (qualifier and bounds equal).
Timing: median of a ~1,000-word article per language on one core, and alias matching
with 100,000 aliases in the automaton. Needs no database: the alias index is built
from the seed article's sources and tests/data/extraction_sources.json.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")

import django  # noqa: E402

django.setup()

from importer import extract  # noqa: E402
from importer.aliases import AliasIndex  # noqa: E402
from importer.lexicon import lexicon  # noqa: E402

DEV = ROOT / "tests" / "data" / "extraction_dev.json"
# Written after the rules were tuned on DEV and scored before any further change.
CHECK = ROOT / "tests" / "data" / "extraction_check.json"
CHECK2 = ROOT / "tests" / "data" / "extraction_check2.json"  # a second round, the same way
EXTRA = ROOT / "tests" / "data" / "extraction_sources.json"
SEED = ROOT / "claims" / "data" / "seed_article.json"


def source_rows() -> list[tuple]:
    specs = json.loads(SEED.read_text())["sources"] + json.loads(EXTRA.read_text())["sources"]
    rows = []
    for i, spec in enumerate(specs, start=1):
        for alias in [spec["name"], *spec.get("aliases", [])]:
            rows.append((i, spec["name"], spec["kind"], alias))
    return rows


class Score:
    def __init__(self):
        self.tp = self.fp = self.fn = 0

    def add(self, tp: int, fp: int, fn: int) -> None:
        self.tp += tp
        self.fp += fp
        self.fn += fn

    def prf(self) -> tuple[float, float, float]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f


def _same_source(gold: dict, pred, text: str) -> bool:
    if gold["source"] and pred.source.id is not None:
        return gold["source"] == pred.source.name
    start = text.find(gold["surface"])
    end = start + len(gold["surface"])
    return pred.start < end and start < pred.end


def _figure_equal(gold: dict | None, pred) -> bool:
    if gold is None or pred is None:
        return False
    if gold["qualifier"] != pred.qualifier:
        return False
    for key in ("value", "lower", "upper"):
        g = gold.get(key)
        p = getattr(pred, key)
        if (g is None) != (p is None):
            return False
        if g is not None and Decimal(str(g)) != p:
            return False
    return True


def score(index: AliasIndex, path: Path, details: bool = False) -> dict[str, dict[str, Score]]:
    passages = json.loads(path.read_text())["passages"]
    results: dict[str, dict[str, Score]] = {}
    exact: dict[str, int] = {}
    for passage in passages:
        lang = passage["language"]
        s = results.setdefault(lang, {k: Score() for k in ("sources", "roles", "claims",
                                                            "figures")})
        text = passage["text"]
        predicted = extract(text, lang, index=index).claims
        used: set[int] = set()
        for gold in passage["claims"]:
            at = text.find(gold["text"])
            match = next((i for i, c in enumerate(predicted)
                          if i not in used and c.start <= at < c.end), None)
            if match is None:
                s["claims"].add(0, 0, 1)
                s["sources"].add(0, 0, len(gold["attributions"]))
                s["roles"].add(0, 0, len(gold["attributions"]))
                s["figures"].add(0, 0, 1 if gold["quantity"] else 0)
                if details:
                    print(f"  MISS claim {passage['id']}: {gold['text']}")
                continue
            used.add(match)
            claim = predicted[match]
            s["claims"].add(1, 0, 0)
            free = list(claim.attributions)
            for g in gold["attributions"]:
                hit = next((p for p in free if _same_source(g, p, text)), None)
                if hit is None:
                    s["sources"].add(0, 0, 1)
                    s["roles"].add(0, 0, 1)
                    if details:
                        print(f"  MISS source {passage['id']}: {g['surface']} ({g['role']})")
                    continue
                free.remove(hit)
                s["sources"].add(1, 0, 0)
                exact[lang] = exact.get(lang, 0) + (hit.surface == g["surface"])
                if details and hit.surface != g["surface"]:
                    print(f"  SPAN {passage['id']}: gold {g['surface']!r} got {hit.surface!r}")
                if hit.role == g["role"]:
                    s["roles"].add(1, 0, 0)
                else:
                    s["roles"].add(0, 1, 1)
                    if details:
                        print(f"  ROLE {passage['id']}: {g['surface']} gold {g['role']} "
                              f"got {hit.role}")
            s["sources"].add(0, len(free), 0)
            s["roles"].add(0, len(free), 0)
            if details:
                for p in free:
                    print(f"  EXTRA source {passage['id']}: {p.surface} ({p.role})")
            gq, pq = gold["quantity"], claim.quantity
            if gq and pq:
                if _figure_equal(gq, pq):
                    s["figures"].add(1, 0, 0)
                else:
                    s["figures"].add(0, 1, 1)
                    if details:
                        print(f"  FIGURE {passage['id']}: gold {gq} got {pq.qualifier} "
                              f"{pq.value} {pq.lower} {pq.upper} ({pq.as_said})")
            elif gq:
                s["figures"].add(0, 0, 1)
                if details:
                    print(f"  MISS figure {passage['id']}: {gq}")
            elif pq:
                s["figures"].add(0, 1, 0)
                if details:
                    print(f"  EXTRA figure {passage['id']}: {pq.as_said}")
        for i, claim in enumerate(predicted):
            if i not in used:
                s["claims"].add(0, 1, 0)
                s["sources"].add(0, len(claim.attributions), 0)
                s["roles"].add(0, len(claim.attributions), 0)
                s["figures"].add(0, 1 if claim.quantity else 0, 0)
                if details:
                    print(f"  EXTRA claim {passage['id']}: {claim.text[:70]}")
    for lang, n in exact.items():
        results[lang]["exact_spans"] = n
    return results


def article(lang: str, words: int = 1000) -> str:
    """A ~1,000-word article in `lang`, made of the development passages in that language."""
    passages = [p["text"] for p in json.loads(DEV.read_text())["passages"]
                if p["language"] == lang]
    out, count, i = [], 0, 0
    while count < words:
        text = passages[i % len(passages)]
        out.append(text)
        count += len(text.split())
        i += 1
    return "\n".join(out)


def timed(fn, repeat: int, clock=time.perf_counter) -> float:
    samples = []
    for _ in range(repeat):
        t = clock()
        fn()
        samples.append(clock() - t)
    return statistics.median(samples)


def cpu(fn, repeat: int) -> float:
    """CPU time of this process: what one core spends, whatever else the machine runs."""
    return timed(fn, repeat, time.process_time)


def report(results: dict[str, dict[str, Score]], path: Path) -> None:
    passages = json.loads(path.read_text())["passages"]
    print(f"\n{path.relative_to(ROOT)}: {len(passages)} passages")
    header = f"{'lang':<5}" + "".join(f"{k:>22}" for k in ("sources", "roles", "claims",
                                                           "figures"))
    print(header)
    print(f"{'':<5}" + "".join(f"{'P     R     F1':>22}" for _ in range(4)))
    totals = {k: Score() for k in ("sources", "roles", "claims", "figures")}
    for lang in ("az", "ru", "ko", "en"):
        row = f"{lang:<5}"
        for key in ("sources", "roles", "claims", "figures"):
            sc = results[lang][key]
            totals[key].add(sc.tp, sc.fp, sc.fn)
            p, r, f = sc.prf()
            row += f"{p:>10.2f}{r:>6.2f}{f:>6.2f}"
        print(row)
    row = f"{'all':<5}"
    for key in ("sources", "roles", "claims", "figures"):
        p, r, f = totals[key].prf()
        row += f"{p:>10.2f}{r:>6.2f}{f:>6.2f}"
    print(row)
    found = sum(results[lang]["sources"].tp for lang in results)
    same = sum(results[lang].get("exact_spans", 0) for lang in results)
    print(f"source spans found that equal the labelled span exactly: {same}/{found}")


def main() -> None:
    details = "--details" in sys.argv
    index = AliasIndex(source_rows())
    for path in (DEV, CHECK, CHECK2):
        report(score(index, path, details), path)

    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    print(f"\nTiming (median of 21, pinned to one core; load average {os.getloadavg()[0]:.1f}):")
    for lang in ("az", "ru", "ko", "en"):
        text = article(lang)
        extract(text, lang, index=index)  # warm: lexicon compiled, dictionaries loaded
        run = lambda t=text, lang=lang: extract(t, lang, index=index)  # noqa: E731
        wall = timed(run, 21) * 1000
        spent = cpu(run, 21) * 1000
        print(f"  {lang}: {len(text.split()):>5} words  wall {wall:6.1f} ms  cpu {spent:6.1f} ms")

    # Cold: every cache emptied (folded words, Russian parses, Korean particles), as for
    # the first article after a deploy; one run each, so noisier than the medians.
    from importer import aliases, phrases
    from importer import text as text_mod
    from importer.languages import ko

    print("  cold, first article after start (one run each):")
    for lang in ("az", "ru", "ko", "en"):
        for cached in (aliases.parses, aliases.lemma, aliases._prefix, phrases.folded,
                       ko._strip_cached, text_mod._fold_word):
            cached.cache_clear()
        lexicon(lang)._noun_cache.clear()
        sample = article(lang)
        started = time.process_time()
        extract(sample, lang, index=index)
        print(f"  {lang}: cpu {(time.process_time() - started) * 1000:6.1f} ms")

    rng = random.Random(7)
    big_rows = list(source_rows())
    syllables = ["ka", "lo", "mi", "ra", "tu", "sen", "bor", "vi", "da", "nu", "zel", "qo"]
    n = len(big_rows)
    while len(big_rows) < 100_000:
        name = " ".join("".join(rng.choice(syllables) for _ in range(4)).title()
                        for _ in range(rng.choice((1, 2, 3)))) + f" {n}"
        big_rows.append((100_000 + n, name, "other", name, name.lower()))
        n += 1
    t = time.perf_counter()
    big = AliasIndex(big_rows)
    build = time.perf_counter() - t
    text = article("az")
    lex = lexicon("az")
    small_ms = cpu(lambda: index.find(text, lex), 21) * 1000
    big_ms = cpu(lambda: big.find(text, lex), 21) * 1000
    full_ms = cpu(lambda: extract(text, "az", index=big), 21) * 1000
    print(f"\nAlias matching (cpu) on the az article: {len(index):,} aliases {small_ms:.2f} ms, "
          f"{len(big):,} aliases {big_ms:.2f} ms (ratio {big_ms / small_ms:.2f}); "
          f"full extraction with {len(big):,} aliases {full_ms:.1f} ms; "
          f"automaton build {build:.2f} s")


if __name__ == "__main__":
    main()
