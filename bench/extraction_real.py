"""Score and time the importer on real published news (tests/data/real/*.json).

    .venv/bin/python bench/extraction_real.py                 # test and dev, per language
    .venv/bin/python bench/extraction_real.py --split dev --details   # every miss, dev only
    .venv/bin/python bench/extraction_real.py --json out.json # the figures, for the record

The corpus, its guide and its dev/test split: tests/data/real/README.md and
docs/extraction-guide.md. Scoring: bench/real_scoring.py (and docs/extraction.md,
"Evaluation on real news"). The registry the engine matches against is the seed
article's sources plus tests/data/real/sources.json; no database is needed.

Tune on dev. `--details` refuses the test split on purpose: the test split is read
only as totals, so what is tuned on it is the engine, not the labels.
Timing: CPU time of extract() over all passages of a language (median of --repeat
runs), per 1,000 whitespace words, pinned to one core.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")

import django  # noqa: E402

django.setup()

from bench.real_scoring import METRICS, Score, score_passage  # noqa: E402
from importer import UnsupportedLanguage, extract  # noqa: E402
from importer.aliases import AliasIndex  # noqa: E402
from sources.text import fold  # noqa: E402

REAL = ROOT / "tests" / "data" / "real"
SEED = ROOT / "claims" / "data" / "seed_article.json"
LANGS = ("az", "ru", "ko", "en", "uk")
SHOWN = ("claims", "sources", "roles", "figures", "figure_values", "passage_sources")


def registry() -> list[dict]:
    return (json.loads(SEED.read_text())["sources"]
            + json.loads((REAL / "sources.json").read_text())["sources"])


def alias_rows(specs: list[dict]) -> list[tuple]:
    rows = []
    for i, spec in enumerate(specs, start=1):
        for alias in dict.fromkeys([spec["name"], *spec.get("aliases", [])]):
            rows.append((i, spec["name"], spec["kind"], alias))
    return rows


def corpus() -> list[dict]:
    passages = []
    for lang in LANGS:
        path = REAL / f"{lang}.json"
        if path.exists():
            passages.extend(json.loads(path.read_text())["passages"])
    return passages


def propose(passage: dict, index: AliasIndex) -> list | None:
    """The engine's proposals, or None when it refuses the language. The article's
    address goes with the text, as the import page and the API send it (the site that
    names itself is the outlet: importer.sites)."""
    try:
        return extract(passage["text"], passage["language"], index=index,
                       url=passage["url"]).claims
    except UnsupportedLanguage:
        return None


def evaluate(passages: list[dict], index: AliasIndex, known: set[str], details: bool
             ) -> tuple[dict[tuple[str, str], Score], set[str]]:
    scores: dict[tuple[str, str], Score] = {}
    unsupported: set[str] = set()
    for p in passages:
        predicted = propose(p, index)
        if predicted is None:
            unsupported.add(p["language"])
            predicted = []
        s = score_passage(p, predicted, known, details=details and p["split"] == "dev")
        scores.setdefault((p["language"], p["split"]), Score()).merge(s)
    return scores, unsupported


def cpu_per_1000_words(passages: list[dict], index: AliasIndex, repeat: int
                       ) -> dict[str, float | None]:
    out: dict[str, float | None] = {}
    for lang in LANGS:
        texts = [(p["text"], p["url"]) for p in passages if p["language"] == lang]
        if not texts:
            continue
        words = sum(len(t.split()) for t, _ in texts)
        try:
            extract(texts[0][0], lang, index=index)  # warm: lexicon, dictionaries
        except UnsupportedLanguage:
            out[lang] = None
            continue
        runs = []
        for _ in range(repeat):
            started = time.process_time()
            for t, url in texts:
                extract(t, lang, index=index, url=url)
            runs.append(time.process_time() - started)
        out[lang] = statistics.median(runs) * 1000 / words * 1000
    return out


def _width(metric: str) -> int:
    return 20 if metric in ("sources", "roles") else 17 if metric == "passage_sources" else 15


def table(scores: dict[tuple[str, str], Score], split: str, passages: list[dict],
          unsupported: set[str]) -> dict:
    counts = {lang: sum(1 for p in passages if p["language"] == lang and
                        (split == "all" or p["split"] == split)) for lang in LANGS}
    print(f"\n{split} split: {sum(counts.values())} passages   (F1; P/R for sources and roles)")
    print(f"{'lang':<5}{'n':>4}" + "".join(f"{m:>{_width(m)}}" for m in SHOWN)
          + f"{'span IoU':>10}")
    record: dict = {}
    total = Score()
    for lang in [*LANGS, "all"]:
        if lang == "all":
            s = total
            n = sum(counts.values())
        else:
            s = Score()
            for (lg, sp), part in scores.items():
                if lg == lang and (split == "all" or sp == split):
                    s.merge(part)
            total.merge(s)
            n = counts[lang]
            if not n:
                continue
        row = f"{lang:<5}{n:>4}"
        record[lang] = {"passages": n}
        for m in SHOWN:
            p, r, f = s.counts[m].prf()
            cell = f"{f:.2f}" if m not in ("sources", "roles") else f"{f:.2f} ({p:.2f}/{r:.2f})"
            row += f"{cell:>{_width(m)}}"
            record[lang][m] = {"p": round(p, 3), "r": round(r, 3), "f1": round(f, 3),
                               "tp": s.counts[m].tp, "fp": s.counts[m].fp,
                               "fn": s.counts[m].fn}
        row += f"{s.mean_iou():>10.2f}"
        record[lang]["span_iou"] = round(s.mean_iou(), 3)
        if lang in unsupported:
            row += "   (language refused by the engine: scored as nothing found)"
        print(row)
    return record


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("test", "dev", "all"), default=None)
    parser.add_argument("--details", action="store_true", help="every miss (dev split only)")
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    parser.add_argument("--repeat", type=int, default=5, help="timing runs per language")
    args = parser.parse_args()
    if args.details and args.split in ("test", "all"):
        parser.error("--details reads the dev split only: the test split is not tuned on")

    specs = registry()
    index = AliasIndex(alias_rows(specs), homepages={
        i: spec["homepage"] for i, spec in enumerate(specs, start=1) if spec.get("homepage")})
    known = {fold(s["name"]) for s in specs}
    passages = corpus()
    scores, unsupported = evaluate(passages, index, known, args.details)

    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip()
    load = os.getloadavg()
    print(f"real-news corpus: {len(passages)} passages; commit {commit}; "
          f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {platform.node()} "
          f"{os.cpu_count()} cores; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    record: dict = {"commit": commit, "load": load, "splits": {}}
    for split in ([args.split] if args.split else ["test", "dev"]):
        record["splits"][split] = table(scores, split, passages, unsupported)

    if args.details:
        print("\nDetails (dev split):")
        for _key, s in sorted(scores.items(), key=lambda item: item[0]):
            for note in s.notes:
                print(f"  {note}")

    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    timing = cpu_per_1000_words(passages, index, args.repeat)
    print(f"\nCPU ms per 1,000 words (all passages, median of {args.repeat}, one core; "
          f"load average {os.getloadavg()[0]:.2f}):")
    print("  " + "   ".join(f"{lang} {'refused' if ms is None else f'{ms:.1f}'}"
                            for lang, ms in timing.items()))
    record["cpu_ms_per_1000_words"] = timing
    if args.json:
        args.json.write_text(json.dumps(record, indent=1))


if __name__ == "__main__":
    assert set(SHOWN) <= set(METRICS)
    main()
