"""`bench/matching.py --background N,...`: the real set's queries among N synthetic claims,
at the product's pool, with and without the figure channel (similarity/figures.py).

The labelled set is 612 claims; a desk holds a million. What the pool loses at that
scale is a translation pushed below the nearest `finder.pool(10)` vectors by claims that
merely sit near the query in the embedding. So each real claim asks among the real set
plus N background claims drawn as bench/matching_api.py seeds them:

- vectors: `matching_api.clustered` (the real vectors' mean and covariance, in topics
  of ~50), all N kept in memory (1.5 GB at 1M) and scanned exactly;
- facts as the seeded database's rows: a figure for every second claim, `(i % 5000) + 10`
  "soldiers killed" (so a common small figure is on file N / 10,000 times), a claimant
  from 2,000 sources (none of them the set's), 1 in 23 a denial, languages in turn;
  no text (no trigrams: they neither help nor hurt a background claim).

Candidates, as finder._rank takes them: the `pool` nearest of set + background by
cosine, and (with the channel) what `figures.candidates` would return from the table:
per main figure of the query (at most MAX_FIGURES), the CAP most recent with the same
value and event, the CAP most recent with that value and an unknown event, and the CAP
most recent by one of the query's claimants. **The background is taken as newer than
every real claim** (the pessimistic case: a common figure's plain probe fills with
background claims, and only the claimant probe reaches a real one). The probe is
simulated over the same keys (`figures.keys`); tests/test_similarity_figures.py checks
the SQL against the same rules.

Printed per split and N: s@1 and r@5 same-language and cross-language, hard negatives
at rank 1, for a stored claim ("ours") and a bare text ("text"), each without and with
the channel, and how many candidates the channel added per query (p50 / max).
"""

from __future__ import annotations

import statistics
import time
from decimal import Decimal

import numpy as np

from similarity import figures, finder, ranking

LANGUAGES = ("az", "ru", "ko", "en")
SOURCE_BASE = 1_000_000  # background sources' ids: never one of the set's


def _background_facts(i: int) -> ranking.Facts:
    quantity = None
    if i % 2 == 0:
        quantity = _Q(value=Decimal(i % 5000 + 10))
    return ranking.stored_facts(
        id=-1 - i, text="", language=LANGUAGES[i % 4], quantity=quantity,
        claimants=[SOURCE_BASE + (i * 7) % 2000], denies=i % 23 == 0)


class _Q:
    def __init__(self, value: Decimal) -> None:
        self.value, self.lower, self.upper = value, None, None
        self.qualifier, self.counted, self.unit = "approximately", "soldiers killed", ""


def _background_ids(value: Decimal, count: int, cap: int) -> list[int]:
    """The `cap` newest background claims stating `value` soldiers killed."""
    if value != value.to_integral_value() or not 10 <= value <= 5009:
        return []
    first = int(value) - 10
    ids = np.arange(first, count, 5000)
    ids = ids[ids % 2 == 0]
    return ids[::-1][:cap].tolist()


def run(clusters: dict, items: list[dict], vectors: np.ndarray, all_facts: list,
        text_facts: list, sizes: list[int], splits: tuple[str, ...]) -> None:
    from bench.matching_api import clustered

    n = len(items)
    size = finder.pool(10)
    cap = figures.CAP
    # The set's rows in the figure table, by value: (claim, event, claimant), the later in
    # the file the newer (as ids are).
    table: dict[Decimal, list[tuple[int, str, int | None]]] = {}
    for c, f in enumerate(all_facts):
        for value, event in figures.keys(f.main_figure_events):
            for s in sorted(f.claimants) or [None]:
                table.setdefault(value, []).append((c, event, s))

    def probe(value: Decimal, event: str | None, claimants=(), count: int = 0) -> list:
        """figures._probe over set + background: newest first, at most `cap` rows.
        event None: any event; claimants: only theirs (none of the background's)."""
        rows = [] if claimants or event not in ("killed", None) else [
            ("b", b) for b in _background_ids(value, count, cap)]
        for c, e, s in reversed(table.get(value, [])):
            if ((event is None or e == event or (claimants and e == ""))
                    and (not claimants or s in claimants)):
                rows.append(("s", c))
        return list(dict.fromkeys(rows))[:cap]

    queries = [i for i, it in enumerate(items)
               if it["cluster"] and clusters[it["cluster"]]["split"] in splits]
    for count in sizes:
        t = time.perf_counter()
        background = np.concatenate(list(clustered(vectors, count, seed=7)))
        q_vectors = vectors[queries].astype(np.float32)
        # Per query: the `size` nearest of the background (exact), merged with the set's.
        top_ids = np.zeros((len(queries), 0), dtype=np.int64)
        top_cos = np.zeros((len(queries), 0), dtype=np.float32)
        for start in range(0, count, 100_000):
            block = q_vectors @ background[start:start + 100_000].T
            k = min(size, block.shape[1])
            part = np.argpartition(-block, k - 1, axis=1)[:, :k]
            ids = np.concatenate([top_ids, part + start], axis=1)
            cos = np.concatenate([top_cos, np.take_along_axis(block, part, axis=1)], axis=1)
            keep = np.argpartition(-cos, size - 1, axis=1)[:, :size] if cos.shape[1] > size \
                else np.argsort(-cos, axis=1)
            top_ids = np.take_along_axis(ids, keep, axis=1)
            top_cos = np.take_along_axis(cos, keep, axis=1)
        print(f"\nat scale: {count:,} background claims (drawn in "
              f"{time.perf_counter() - t:.0f} s), pool {size}, channel cap {cap} a probe, "
              f"background newer than the set")
        bg_facts: dict[int, ranking.Facts] = {}
        set_cos = vectors[queries] @ vectors.T
        results: dict = {}
        added: dict[str, list[int]] = {"ours": [], "text": []}
        for qi, q in enumerate(queries):
            item = items[q]
            # Candidates: ("s", set index) or ("b", background index), with their cosine.
            cosine = {("s", c): float(set_cos[qi, c]) for c in range(n) if c != q}
            cosine.update({("b", int(b)): float(s)
                           for b, s in zip(top_ids[qi], top_cos[qi], strict=True)})
            nearest = set(sorted(cosine, key=lambda k: -cosine[k])[:size])
            for name, query in (("ours", all_facts[q]), ("text", text_facts[q])):
                channel: set = set()
                for value, event in figures.keys(query.main_figure_events)[:figures.MAX_FIGURES]:
                    if event:
                        channel.update(probe(value, event, count=count))
                        channel.update(probe(value, "", count=count))
                    else:
                        channel.update(probe(value, None, count=count))
                    if query.claimants:
                        channel.update(probe(value, event or None, query.claimants))
                channel.discard(("s", q))
                added[name].append(len(channel - nearest))
                for with_channel in (False, True):
                    pool = nearest | channel if with_channel else nearest
                    scores = {}
                    for key in pool:
                        kind, c = key
                        if kind == "s":
                            other = all_facts[c]
                        else:
                            other = bg_facts.get(c) or bg_facts.setdefault(c, _background_facts(c))
                        cos = cosine.get(key)
                        if cos is None:
                            cos = float(vectors[q] @ background[c])
                        scores[key] = ranking.compare(query, other, cos).score
                    label = f"{name}{'+fig' if with_channel else ''}"
                    rows = results.setdefault((clusters[item["cluster"]]["split"], label),
                                              {"same": [], "cross": [], "hn": []})
                    _score(rows, q, item, items, clusters, scores, all_facts)
        from bench.matching import print_quality  # the one table of quality rows

        print_quality(dict(sorted(results.items())))
        for name, values in added.items():
            print(f"channel added (not among the nearest), {name}: p50 "
                  f"{statistics.median(values):.0f}, max {max(values)} candidates a query")
        del background


def _score(rows, q, item, items, clusters, scores, all_facts) -> None:
    hard = set(clusters[item["cluster"]]["hard_negatives"])

    def language(key):
        return items[key[1]]["language"] if key[0] == "s" else LANGUAGES[key[1] % 4]

    def positive(key):
        return key[0] == "s" and items[key[1]]["cluster"] == item["cluster"]

    for mode in ("same", "cross"):
        every = [c for c in range(len(items)) if c != q and
                 (items[c]["language"] == item["language"]) == (mode == "same")
                 and items[c]["cluster"] == item["cluster"]]
        if not every:
            continue
        pool = [k for k in scores if (language(k) == item["language"]) == (mode == "same")]
        ranked = sorted(pool, key=lambda k: -scores[k])
        top5 = {k[1] for k in ranked[:5] if positive(k)}
        rows[mode].append((bool(ranked) and positive(ranked[0]),
                           len(top5) / min(5, len(every))))
    first = max(scores, key=lambda k: scores[k])
    rows["hn"].append(first[0] == "s" and (items[first[1]]["cluster"] in hard
                                           or item["cluster"] in items[first[1]]["negative_of"]))



def channel_db(common: int = 200_000, rounds: int = 200) -> None:
    """`bench/matching.py --channel-db`: figures.candidates against DATABASE_URL (a seeded
    desk) for a rare figure and for one on file `common` times more (rows added in a
    transaction that is rolled back): CPU and wall p50/p95 per lookup, and rows read."""
    from django.db import connection, transaction

    from similarity.models import ClaimFigure

    table = ClaimFigure._meta.db_table
    rare = [(Decimal(617), "killed")]
    crowded = [(Decimal(1000), "killed"), (Decimal(2500), "")]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT min(claim_id), max(claim_id), count(*) FROM {table}")
        low, high, rows = cursor.fetchone()
        cursor.execute(f"SELECT claimant_id FROM {table} WHERE claimant_id IS NOT NULL LIMIT 1")
        claimant = cursor.fetchone()[0]
    print(f"\nfigure channel on {connection.settings_dict['NAME']} ({rows:,} rows)")
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (claim_id, value, event, claimant_id) "
                f"SELECT {low} + (g * 7919) %% ({high} - {low}), v, e, %s "
                f"FROM generate_series(1, {common}) AS g(i), "
                f"(VALUES (1000, 'killed'), (2500, 'wounded')) AS f(v, e)", [claimant])
            cursor.execute(f"ANALYZE {table}")
        for label, keys in (("rare figure", rare), (f"{common:,}× 1000 killed + 2500 any",
                                                    crowded)):
            cpu, wall, found = [], [], 0
            for _ in range(rounds):
                c, w = time.process_time(), time.perf_counter()
                found = len(figures.candidates(keys, [claimant]))
                cpu.append((time.process_time() - c) * 1000)
                wall.append((time.perf_counter() - w) * 1000)
            cpu.sort()
            wall.sort()
            p95 = int(0.95 * rounds) - 1
            print(f"  {label:<34} {found:4} claims; CPU p50 {statistics.median(cpu):.2f} ms "
                  f"p95 {cpu[p95]:.2f}; wall p50 {statistics.median(wall):.2f} ms "
                  f"p95 {wall[p95]:.2f}")
        with connection.cursor() as cursor:
            sql, params = figures.lookup(crowded, [claimant])
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + sql, params)
            plan = [r[0] for r in cursor.fetchall()]
        print("  plan (crowded):\n    " + "\n    ".join(plan[:14]))
        transaction.set_rollback(True)

