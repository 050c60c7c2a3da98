"""The importer's CPU per 1,000 words, this checkout against another, side by side.

    taskset -c 1 .venv/bin/python bench/extraction_cpu_compare.py --baseline /path/to/checkout

Both engines read the same passages (this checkout's tests/data/real/) with the same
registry, each in its own process (its own modules), in alternating order, round after
round, pinned to the cores `taskset` gives this process. Prints each side's median per
language and the ratio this / baseline. A baseline checkout: `git worktree add` or
`git archive <commit> | tar -x -C DIR`.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LANGS = ("az", "ru", "ko", "en", "uk")

# Run in a child process with the engine under test first on sys.path.
CHILD = r"""
import inspect, json, os, sys, time
root, corpus_file = sys.argv[1], sys.argv[2]
sys.path.insert(0, root)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
import django
django.setup()
from importer import UnsupportedLanguage, extract
from importer.aliases import AliasIndex
data = json.loads(open(corpus_file, encoding="utf-8").read())
index = AliasIndex([tuple(r) for r in data["rows"]])
# The article's address goes with its text when the engine takes one (the import page's
# path); an older engine reads the text alone.
takes_url = "url" in inspect.signature(extract).parameters
out = {}
for lang, texts in data["texts"].items():
    words = sum(len(t.split()) for t, _ in texts)
    try:
        extract(texts[0][0], lang, index=index)  # warm: lexicon, dictionaries
    except UnsupportedLanguage:
        out[lang] = None
        continue
    started = time.process_time()
    for t, url in texts:
        extract(t, lang, index=index, **({"url": url} if takes_url else {}))
    out[lang] = (time.process_time() - started) * 1000 / words * 1000
print(json.dumps(out))
"""


def corpus_file() -> str:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
    import django

    django.setup()
    from bench.extraction_real import alias_rows, corpus, registry

    passages = corpus()
    texts = {lang: [(p["text"], p["url"]) for p in passages if p["language"] == lang]
             for lang in LANGS}
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False,
                                     encoding="utf-8") as handle:
        json.dump({"rows": alias_rows(registry()), "texts": texts}, handle,
                  ensure_ascii=False)
    return handle.name


def run(root: Path, data: str) -> dict[str, float | None]:
    done = subprocess.run([sys.executable, "-c", CHILD, str(root), data], check=True,
                          capture_output=True, text=True, cwd=root,
                          env={**os.environ, "PYTHONPATH": str(root)})
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    data = corpus_file()
    sides = {"baseline": args.baseline.resolve(), "this": ROOT}
    runs: dict[str, list[dict]] = {name: [] for name in sides}
    try:
        for r in range(args.rounds):
            order = list(sides) if r % 2 == 0 else list(reversed(sides))
            for name in order:
                runs[name].append(run(sides[name], data))
    finally:
        os.unlink(data)
    load = os.getloadavg()
    print(f"CPU ms per 1,000 words, median of {args.rounds} alternating rounds, cores "
          f"{sorted(os.sched_getaffinity(0))}; load average {load[0]:.2f} {load[1]:.2f} "
          f"{load[2]:.2f}")
    print(f"  baseline: {sides['baseline']}\n  this:     {ROOT}")
    print(f"  {'lang':5} {'baseline':>9} {'this':>9} {'ratio':>7}")
    for lang in LANGS:
        values = {}
        for name in sides:
            got = [x[lang] for x in runs[name] if x.get(lang) is not None]
            values[name] = statistics.median(got) if got else None
        base, this = values["baseline"], values["this"]
        ratio = f"{this / base:.2f}" if base and this else "-"
        show = [f"{v:9.1f}" if v is not None else f"{'refused':>9}" for v in (base, this)]
        print(f"  {lang:5} {show[0]} {show[1]} {ratio:>7}")


if __name__ == "__main__":
    main()
