"""The ranking step of one `similar` answer at limit=250: 1,000 candidates' facts read
from a seeded database (bench/matching_api.py's fc_sim_1m) and compared with a query.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fc_sim_1m \\
        taskset -c 1 .venv/bin/python bench/candidate_facts.py --ab /work/main

With --ab OLD: the same rounds alternately in this checkout and in OLD (another
checkout, e.g. main before a change), one process each, CPU per round, and the ratio.
Random candidates at 1M claims miss the per-text caches, as a server's mostly do.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def rounds(count: int, candidates: int, seed: int) -> list[float]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
    import django

    django.setup()
    from claims.models import Claim
    from similarity import ranking

    top = Claim.objects.order_by("-pk").values_list("pk", flat=True)[0]
    rng = random.Random(seed)
    query = ranking.facts_for_text(
        "Seoul's spy agency says 600 North Korean soldiers were killed", "en", {1})
    cpu = []
    for i in range(count + 2):
        ids = rng.sample(range(1, top + 1), candidates)
        start = time.process_time()
        for other in ranking.facts_for_claims(ids).values():
            ranking.compare(query, other, 0.85)
        if i >= 2:  # the first two warm the connection and imports
            cpu.append((time.process_time() - start) * 1000)
    return cpu


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--candidates", type=int, default=1000)
    parser.add_argument("--ab", type=Path, default=None, help="the other checkout")
    parser.add_argument("--alternations", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.ab is None:
        cpu = rounds(args.rounds, args.candidates, args.seed)
        print(json.dumps(cpu) if args.json else
              f"CPU p50 {statistics.median(cpu):.1f} ms p95 {_pct(cpu, 0.95):.1f} ms")
        return
    found: dict[str, list[float]] = {"this": [], "other": []}
    for turn in range(args.alternations):
        for label, tree in (("other", args.ab), ("this", ROOT)):
            out = subprocess.run(
                [sys.executable, str(ROOT / "bench" / "candidate_facts.py"), "--json",
                 "--rounds", str(args.rounds), "--candidates", str(args.candidates),
                 "--seed", str(args.seed + turn)],
                env={**os.environ, "PYTHONPATH": str(tree)}, cwd=tree, check=True,
                capture_output=True, text=True).stdout
            found[label] += json.loads(out.strip().splitlines()[-1])
    print(f"load average {os.getloadavg()[0]:.2f}; {args.candidates} candidates, "
          f"{len(found['this'])} rounds each, alternated")
    for label in ("other", "this"):
        cpu = found[label]
        print(f"  {label:5} CPU p50 {statistics.median(cpu):6.1f} ms  "
              f"p95 {_pct(cpu, 0.95):6.1f} ms")
    ratio = statistics.median(found["other"]) / statistics.median(found["this"])
    print(f"  ratio other/this p50 {ratio:.2f}")


if __name__ == "__main__":
    main()
