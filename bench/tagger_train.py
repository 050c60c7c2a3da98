"""Train the importer's source tagger (importer/tagger.py) on the dev split, and choose how
it is combined with the rules by K-fold cross-validation on dev only.

    .venv/bin/python bench/tagger_train.py --cv 5            # CV figures: rules vs rules+tagger
    .venv/bin/python bench/tagger_train.py --write [--enable --add 0.6 --create 0.9]
                                     # train on all of dev -> importer/data/tagger.crfsuite

Training passages are the dev split only (`training_passages`: the passage's own "split"
and the fixed rule bench.real_scoring.split_of must both say dev); the test split is never
read here, not even its text. Cross-validation folds are whole articles (one URL's passages
stay together, as the dev/test split keeps them), each held-out fold scored with the
bench's scorer (bench/real_scoring.score_passage) against its gold labels, the rules alone
and the rules with the fold's tagger side by side. Gold BIO labels: each non-anaphoric
attribution's surface, at its occurrence nearest the claim it attributes (outside the claim
when it can be), labelled B-/I-<role> on the tokens it covers.
"""

from __future__ import annotations

import argparse
import hashlib
import inspect
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")

import django  # noqa: E402

django.setup()

import pycrfsuite  # noqa: E402

from bench.real_scoring import Score, _find, score_passage, split_of  # noqa: E402
from importer import extract  # noqa: E402
from importer.aliases import AliasIndex  # noqa: E402
from importer.engine import claims_of_span  # noqa: E402
from importer.languages import get as get_language  # noqa: E402
from importer.tagger import (  # noqa: E402
    MANIFEST,
    MODEL,
    Settings,
    Tagger,
    fill,
    sentence_inputs,
)
from sources.text import fold  # noqa: E402

REAL = ROOT / "tests" / "data" / "real"
SEED = ROOT / "claims" / "data" / "seed_article.json"
LANGS = ("az", "ru", "ko", "en", "uk")
TRAINER = {"c1": 0.05, "c2": 0.05, "max_iterations": 150,
           "feature.possible_transitions": True}


def registry() -> list[dict]:
    return (json.loads(SEED.read_text())["sources"]
            + json.loads((REAL / "sources.json").read_text())["sources"])


def index_of(specs: list[dict]) -> AliasIndex:
    rows = []
    for i, spec in enumerate(specs, start=1):
        for alias in dict.fromkeys([spec["name"], *spec.get("aliases", [])]):
            rows.append((i, spec["name"], spec["kind"], alias))
    return AliasIndex(rows, homepages={i: s["homepage"] for i, s in enumerate(specs, start=1)
                                       if s.get("homepage")})


def training_passages() -> list[dict]:
    """The dev split, and nothing else: a passage is taken only when its label and the
    fixed split rule both say dev."""
    out = []
    for lang in LANGS:
        for p in json.loads((REAL / f"{lang}.json").read_text())["passages"]:
            if p["split"] == "dev" and split_of(p["url"]) == "dev":
                out.append(p)
    return out


def gold_spans(passage: dict) -> list[tuple[int, int, str]]:
    text = passage["text"]
    out: list[tuple[int, int, str]] = []
    after = 0
    for claim in passage["claims"]:
        span = _find(text, claim["text"], after)
        after = max(span[0], 0)
        for a in claim["attributions"]:
            if a.get("anaphor") or not a["surface"] or a["surface"] not in text:
                continue
            at, found = 0, []
            while (at := text.find(a["surface"], at)) >= 0:
                found.append((at, at + len(a["surface"])))
                at += 1

            def distance(occ: tuple[int, int], span=span) -> tuple[int, int]:
                inside = occ[0] < span[1] and occ[1] > span[0]
                return (int(inside), max(span[0] - occ[1], occ[0] - span[1], 0))

            start, end = min(found, key=distance)
            if not any(start < e and end > s for s, e, _ in out):
                out.append((start, end, a["role"]))
    return out


def sequences(passage: dict, index: AliasIndex) -> list[tuple[list[list[str]], list[str]]]:
    lang = get_language(passage["language"])
    spans = gold_spans(passage)
    out = []
    for _unit, toks, xseq in sentence_inputs(passage["text"], lang, index):
        if not toks:
            continue
        labels = []
        current = None
        for t in toks:
            hit = next(((s, e, r) for s, e, r in spans if t.start < e and t.end > s), None)
            if hit is None:
                labels.append("O")
            else:
                labels.append(("I-" if hit == current else "B-") + hit[2])
            current = hit
        out.append((xseq, labels))
    return out


def train(passages: list[dict], index: AliasIndex, path: Path) -> None:
    trainer = pycrfsuite.Trainer(verbose=False)
    for p in passages:
        for xseq, yseq in sequences(p, index):
            trainer.append(xseq, yseq)
    trainer.set_params(TRAINER)
    trainer.train(str(path))


def folds(passages: list[dict], k: int) -> list[list[dict]]:
    urls = sorted({p["url"] for p in passages},
                  key=lambda u: hashlib.sha256(u.encode()).hexdigest())
    fold_of = {u: i % k for i, u in enumerate(urls)}
    return [[p for p in passages if fold_of[p["url"]] == i] for i in range(k)]


def score(passages: list[dict], index: AliasIndex, known: set[str], tagger
          ) -> dict[str, Score]:
    """Per language, the rules' proposals with the tagger's pass after them (as
    importer.extract runs it), scored by the bench's scorer. The rules are called without
    the tagger, so an engine of a commit before the tagger (--frozen) runs the same way."""
    rules_only = {"tagger": None} if "tagger" in inspect.signature(extract).parameters else {}
    out: dict[str, Score] = {}
    for p in passages:
        predicted = extract(p["text"], p["language"], index=index, url=p["url"],
                            **rules_only).claims
        if tagger is not None:
            fill(p["text"], get_language(p["language"]), index, predicted, tagger,
                 claims_of_span)
        s = score_passage(p, predicted, known)
        out.setdefault(p["language"], Score()).merge(s)
        out.setdefault("all", Score()).merge(s)
    return out


def _f1(s: Score, metric: str) -> float:
    return s.counts[metric].prf()[2]


def cross_validate(k: int, configs: list[Settings], unseen: set[str] | None = None) -> dict:
    """K folds of dev; or, with `unseen` (ids), one split: train on the rest of dev, score
    those passages."""
    specs = registry()
    index = index_of(specs)
    known = {fold(s["name"]) for s in specs}
    passages = training_passages()
    totals: dict[str, dict[str, Score]] = {}
    if unseen is not None:
        splits = [[p for p in passages if p["id"] in unseen]]
        k = 1
    else:
        splits = folds(passages, k)
    with tempfile.TemporaryDirectory() as tmp:
        for i, held in enumerate(splits):
            rest = [p for p in passages if p not in held]
            path = Path(tmp) / f"fold{i}.crfsuite"
            started = time.process_time()
            train(rest, index, path)
            print(f"fold {i + 1}/{k}: trained on {len(rest)} passages, "
                  f"{time.process_time() - started:.1f} s CPU; held out {len(held)}",
                  flush=True)
            runs = {"rules": None} | {_name(c): Tagger(path, c) for c in configs}
            for name, tagger in runs.items():
                for lang, s in score(held, index, known, tagger).items():
                    totals.setdefault(name, {}).setdefault(lang, Score()).merge(s)
    record = {}
    what = (f"{k}-fold cross-validation on dev ({len(passages)} passages)" if unseen is None
            else f"dev passages unseen by this engine ({len(splits[0])})")
    print(f"\n{what}: sources F1 / roles F1 per language")
    print(f"{'run':<34}" + "".join(f"{lang:>20}" for lang in [*LANGS, "all"]))
    for name, by_lang in totals.items():
        row = f"{name:<34}"
        record[name] = {}
        for lang in [*LANGS, "all"]:
            s = by_lang.get(lang, Score())
            p, r, f = s.counts["sources"].prf()
            row += f"{f:>8.3f} / {_f1(s, 'roles'):.3f}  "
            record[name][lang] = {"sources": round(f, 3), "roles": round(_f1(s, "roles"), 3),
                                  "sources_p": round(p, 3), "sources_r": round(r, 3),
                                  "claims": round(_f1(s, "claims"), 3)}
        print(row)
    return record


def frozen(commit: str, args: argparse.Namespace) -> None:
    """The rules as they were at `commit`, on the dev passages labelled after it: wordings
    those rules never saw, as the test split's are. The commit's tree is exported to a
    scratch directory (no worktree, nothing in the repository changes), today's corpus,
    scorer, tagger and this script are laid over it, and this script runs there."""
    def ids_at(rev: str | None) -> set[str]:
        out = set()
        for lang in LANGS:
            if rev is None:
                raw = (REAL / f"{lang}.json").read_text()
            else:
                got = subprocess.run(["git", "-C", str(ROOT), "show", f"{rev}:tests/data/real/"
                                      f"{lang}.json"], capture_output=True, text=True)
                if got.returncode:
                    continue
                raw = got.stdout
            out |= {p["id"] for p in json.loads(raw)["passages"] if p["split"] == "dev"}
        return out

    unseen = sorted(ids_at(None) - ids_at(commit))
    print(f"{len(unseen)} dev passages added after {commit}: {', '.join(unseen)}", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp)
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", commit], check=True,
                                 capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
        for rel in ("importer/tagger.py", "bench/tagger_train.py", "bench/real_scoring.py"):
            shutil.copy(ROOT / rel, tree / rel)
        for path in REAL.glob("*.json"):
            shutil.copy(path, tree / "tests" / "data" / "real" / path.name)
        (tree / "unseen.json").write_text(json.dumps(unseen))
        command = [sys.executable, str(tree / "bench" / "tagger_train.py"),
                   "--unseen", str(tree / "unseen.json")]
        if args.cv_json:
            command += ["--cv-json", str(args.cv_json)]
        subprocess.run(command, check=True, cwd=tree, env={**os.environ, "PYTHONPATH": tmp})


def cpu(settings: Settings, repeat: int) -> None:
    """CPU per 1,000 words of extract() on the dev passages, rules alone and rules with the
    tagger's pass, side by side in one process, pinned to one core (best of `repeat`)."""
    index = index_of(registry())
    passages = training_passages()
    tagger = Tagger(MODEL, settings)
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    print(f"\nCPU ms per 1,000 words, dev passages, one core, best of {repeat}; {settings}")
    for lang in LANGS:
        texts = [(p["text"], p["url"]) for p in passages if p["language"] == lang]
        words = sum(len(t.split()) for t, _ in texts)
        best: dict[str, float] = {}
        for _ in range(repeat):
            for name, t in (("rules", None), ("rules+tagger", tagger)):
                started = time.process_time()
                for text, url in texts:
                    extract(text, lang, index=index, url=url, tagger=t)
                ms = (time.process_time() - started) * 1e6 / words
                best[name] = min(best.get(name, ms), ms)
        print(f"  {lang}: rules {best['rules']:.1f}   rules+tagger {best['rules+tagger']:.1f}"
              f"   ratio {best['rules+tagger'] / best['rules']:.2f}")
    print(f"load average {os.getloadavg()[0]:.2f}")


def _name(c: Settings) -> str:
    return f"add={c.add} cr={c.create} veto={c.veto} rep={c.replace}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cv", type=int, default=0, help="K folds of cross-validation")
    parser.add_argument("--write", action="store_true",
                        help="train on all of dev and write importer/data/tagger.*")
    parser.add_argument("--enable", action="store_true",
                        help="with --write: the engine uses it by default")
    parser.add_argument("--add", type=float, default=0.5)
    parser.add_argument("--create", type=float, default=None)
    parser.add_argument("--veto", type=float, default=None)
    parser.add_argument("--replace", type=float, default=None)
    parser.add_argument("--frozen", metavar="COMMIT",
                        help="score the dev passages added after COMMIT with COMMIT's engine "
                             "(rules that never saw them), alone and with the tagger")
    parser.add_argument("--unseen", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--cpu", type=int, metavar="REPEAT", default=0,
                        help="time the shipped model with --add/--create/--veto/--replace")
    parser.add_argument("--cv-json", type=Path, help="write the CV figures here")
    args = parser.parse_args()
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip()
    print(f"commit {commit}; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; "
          f"load average {os.getloadavg()[0]:.2f}")
    grid = [Settings(0.5, None), Settings(0.5, 0.95)] + [
        Settings(0.5, None, veto, rep) for veto in (0.1, 0.2, 0.3, 0.5)
        for rep in (0.5, 0.7, 0.9)]
    if args.frozen:
        frozen(args.frozen, args)
    if args.cv or args.unseen:
        unseen = set(json.loads(args.unseen.read_text())) if args.unseen else None
        record = cross_validate(args.cv, grid, unseen)
        if args.cv_json:
            args.cv_json.write_text(json.dumps(record, indent=1))
    if args.write:
        passages = training_passages()
        train(passages, index_of(registry()), MODEL)
        MANIFEST.write_text(json.dumps({
            "trained_on": sorted(p["id"] for p in passages),
            "model_sha256": hashlib.sha256(MODEL.read_bytes()).hexdigest(),
            "trainer": TRAINER,
            "enabled": args.enable,
            "settings": {"add": args.add, "create": args.create, "veto": args.veto,
                         "replace": args.replace},
            "command": "bench/tagger_train.py " + " ".join(sys.argv[1:]),
            "commit": commit,
        }, indent=1) + "\n")
        print(f"wrote {MODEL} ({MODEL.stat().st_size / 1024:.0f} KiB) from "
              f"{len(passages)} dev passages; enabled: {args.enable}")
    if args.cpu:
        cpu(Settings(args.add, args.create, args.veto, args.replace), args.cpu)


if __name__ == "__main__":
    main()
