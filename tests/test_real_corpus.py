"""The labelled real-news corpus (tests/data/real/) is well formed, and its scorer counts right.

The corpus is the measure of the importer (bench/extraction_real.py); a broken label or a
passage moved between dev and test would silently change what the bench reports, so its
shape is checked here against docs/extraction-guide.md. No engine run: the scorer is
checked with the gold labels themselves as the proposals.
"""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest

from bench.real_scoring import KINDS, kind_of, score_passage, split_of
from claims.models import Quantity, Role, Stance
from sources.models import SourceKind
from sources.text import fold

REAL = Path(__file__).parent / "data" / "real"
SEED = Path(__file__).parent.parent / "claims" / "data" / "seed_article.json"
LANGS = ("az", "ru", "ko", "en", "uk")
# What the stored pages gave so far (tests/data/real/README.md); raised as passages are added.
AT_LEAST = {"az": 102, "ru": 123, "ko": 107, "en": 115, "uk": 106}
TOPICS = {"ukraine-war", "north-korea", "north-korea-russia", "gaza", "caucasus", "elections",
          "economy", "other"}


def load(lang: str) -> list[dict]:
    data = json.loads((REAL / f"{lang}.json").read_text())
    assert data["language"] == lang
    return data["passages"]


def all_passages() -> list[dict]:
    return [p for lang in LANGS for p in load(lang)]


def registry() -> list[dict]:
    return (json.loads(SEED.read_text())["sources"]
            + json.loads((REAL / "sources.json").read_text())["sources"])


@pytest.mark.parametrize("lang", LANGS)
def test_each_language_has_its_passages_in_both_splits(lang):
    passages = load(lang)
    assert len(passages) >= AT_LEAST[lang]
    assert {p["split"] for p in passages} == {"dev", "test"}
    assert [p["id"] for p in passages] == [f"{lang}-{i:03d}" for i in range(1, len(passages) + 1)]


def test_every_passage_has_its_address_date_and_fixed_split():
    for p in all_passages():
        where = p["id"]
        assert re.match(r"https?://[^\s/]+\.[^\s]+$", p["url"]), where
        assert p["split"] == split_of(p["url"]), f"{where} moved between dev and test"
        if p["date"] is None:
            assert p["date_note"].strip(), f"{where}: a missing date says why"
        else:
            date.fromisoformat(p["date"])
        assert p["text"].strip() and p["text"] == p["text"].strip(), where
        assert p["topic"] in TOPICS, where


def test_spans_and_mentions_are_verbatim_in_the_passage():
    for p in all_passages():
        text = p["text"]
        for claim in p["claims"]:
            where = f"{p['id']}: {claim['text'][:40]}"
            assert claim["text"].strip() and claim["text"] in text, where
            assert claim["attributions"], f"{where}: a claim has at least one attribution"
            start = text.find(claim["text"])
            for a in claim["attributions"]:
                assert a["surface"] in text, f"{where}: {a['surface']}"
                # The span is the content, not the attribution (guide §1).
                at = text.find(a["surface"])
                assert not (at < start + len(claim["text"]) and start < at + len(a["surface"])), \
                    f"{where}: span overlaps the mention {a['surface']!r}"
                assert a["source"].strip(), where
                assert a["role"] in Role.values, where
                assert a["stance"] in Stance.values, where
                assert a.get("anaphor", False) in (True, False), where
                if a["role"] != Role.CLAIMANT:
                    assert a["stance"] == Stance.ASSERTS, f"{where}: relays assert"


def test_figures_hold_the_quantity_rules_and_say_what_they_count():
    for p in all_passages():
        for claim in p["claims"]:
            q = claim["quantity"]
            if q is None:
                continue
            where = f"{p['id']}: {q['as_said']}"
            assert q["kind"] in KINDS, where
            assert q["counted"].strip(), where
            assert q["as_said"] and q["as_said"] in claim["text"], f"{where}: outside its claim"
            bounds = {k: None if q[k] is None else Decimal(q[k]) for k in ("value", "lower",
                                                                           "upper")}
            # The model's own rules: qualifier matches bounds, lower <= value <= upper.
            Quantity(qualifier=q["qualifier"], unit=q["unit"], counted=q["counted"],
                     as_said=q["as_said"], **bounds).clean()


def test_some_passages_are_negatives_and_most_carry_claims():
    for lang in LANGS:
        passages = load(lang)
        negatives = [p for p in passages if not p["claims"]]
        assert len(negatives) < len(passages) / 4, lang
    assert sum(1 for p in all_passages() if not p["claims"]) >= 5


def test_registry_names_are_the_labels_canonical_names():
    specs = registry()
    names = [fold(s["name"]) for s in specs]
    assert len(names) == len(set(names)), "a source twice in the registry"
    owner: dict[str, str] = {}
    for s in specs:
        assert s["kind"] in SourceKind.values, s["name"]
        for alias in [s["name"], *s.get("aliases", [])]:
            key = fold(alias)
            assert owner.setdefault(key, s["name"]) == s["name"], f"{alias}: two sources"
    labelled = {a["source"] for p in all_passages() for c in p["claims"]
                for a in c["attributions"]}
    for name in labelled:
        # A registry source is labelled by its registry name, not by one of its aliases.
        if fold(name) in owner:
            assert owner[fold(name)] == name, f"label {name!r} should be {owner[fold(name)]!r}"
    unknown = {n for n in labelled if fold(n) not in owner}
    assert len(unknown) >= 20, "the corpus must also measure proposing new sources"


def _proposals_from_gold(passage: dict, known: set[str], role_of=lambda a: a["role"]) -> list:
    text = passage["text"]
    claims = []
    for claim in passage["claims"]:
        start = text.find(claim["text"])
        attributions = []
        for a in claim["attributions"]:
            at = text.find(a["surface"])
            attributions.append(SimpleNamespace(
                surface=a["surface"], start=at, end=at + len(a["surface"]), role=role_of(a),
                source=SimpleNamespace(id=1 if fold(a["source"]) in known else None,
                                       name=a["source"])))
        q = claim["quantity"]
        quantity = None if q is None else SimpleNamespace(
            qualifier=q["qualifier"], value=q["value"], lower=q["lower"], upper=q["upper"],
            unit=q["unit"], counted=q["counted"], counted_kind=q["kind"], as_said=q["as_said"])
        claims.append(SimpleNamespace(start=start, end=start + len(claim["text"]),
                                      attributions=attributions, quantity=quantity))
    return claims


def test_scorer_gives_the_gold_labels_full_marks():
    known = {fold(s["name"]) for s in registry()}
    for p in all_passages():
        s = score_passage(p, _proposals_from_gold(p, known), known)
        for metric, counts in s.counts.items():
            assert counts.fp == 0 and counts.fn == 0, (p["id"], metric, counts)
        assert all(iou == 1.0 for iou in s.ious), p["id"]


def test_scorer_counts_wrong_roles_missed_claims_and_unknown_sources():
    known = {fold(s["name"]) for s in registry()}
    passage = next(p for p in load("en") if p["id"] == "en-008")  # claimant, conduit, outlet
    flipped = {"claimant": "outlet", "outlet": "conduit", "conduit": "claimant"}
    s = score_passage(passage, _proposals_from_gold(passage, known,
                                                    role_of=lambda a: flipped[a["role"]]), known)
    assert s.f1("sources") == 1.0
    assert s.counts["roles"].tp == 0

    assert s.f1("passage_sources") == 1.0

    nothing = score_passage(passage, [], known)
    assert nothing.counts["claims"].fn == len(passage["claims"])
    assert nothing.f1("sources") == 0.0 and nothing.f1("figures") == 0.0

    # A registry source proposed as new does not count: matching by alias is measured.
    as_new = _proposals_from_gold(passage, set())
    missed = score_passage(passage, as_new, known)
    # Per claim, the Gaza ministry and TASS are missed; Trend, unknown, is found.
    assert missed.counts["sources"].fn == 2 * len(passage["claims"])
    assert missed.counts["sources"].tp == len(passage["claims"])


def test_figure_kind_is_read_from_the_engines_counted_words():
    def q(counted: str, unit: str = "") -> SimpleNamespace:
        return SimpleNamespace(counted=counted, unit=unit)

    assert kind_of(q("North Korean soldiers killed")) == "killed"
    assert kind_of(q("раненых")) == "wounded"
    assert kind_of(q("사상자")) == "casualties"
    assert kind_of(q("Şimali Koreya əsgəri göndərib")) == "deployed"
    assert kind_of(q("", unit="%")) == "percent"
    assert kind_of(q("soldiers")) == "other"
    assert kind_of(SimpleNamespace(counted="x", unit="", counted_kind="captured")) == "captured"


def _new(surface: str, text: str, name: str, after: int = 0) -> SimpleNamespace:
    at = text.index(surface, after)
    return SimpleNamespace(surface=surface, start=at, end=at + len(surface), role="claimant",
                           source=SimpleNamespace(id=None, name=name))


def test_a_new_source_reached_by_anaphora_is_named_by_its_antecedent():
    # Guide §2, "Anaphora": the pronoun's source is the one named earlier in the passage.
    # A new person's canonical name is in English, the engine's is the passage's words.
    text = ("Депутат Пак Сун Вон заявил, что в Курской области 10 900 солдат. "
            "Также он считает, что Пхеньян передал Москве гаубицы.")
    first, second = "в Курской области 10 900 солдат", "Пхеньян передал Москве гаубицы"
    passage = {"id": "x", "text": text, "claims": [
        {"text": first, "quantity": None, "attributions": [
            {"surface": "Депутат Пак Сун Вон", "source": "Park Sun-won", "role": "claimant"}]},
        {"text": second, "quantity": None, "attributions": [
            {"surface": "он", "source": "Park Sun-won", "role": "claimant", "anaphor": True}]}]}

    def claims(name_of_second: str) -> list:
        return [SimpleNamespace(start=text.index(c), end=text.index(c) + len(c), quantity=None,
                                attributions=[a])
                for c, a in ((first, _new("Депутат Пак Сун Вон", text, "Депутат Пак Сун Вон")),
                             (second, _new("он", text, name_of_second, text.index("Также"))))]

    assert score_passage(passage, claims("Депутат Пак Сун Вон"), set()).f1("sources") == 1.0
    # Another new source for the pronoun is still a miss.
    wrong = score_passage(passage, claims("Пхеньян"), set())
    assert wrong.counts["sources"].fn == 1 and wrong.counts["sources"].fp == 1


def test_a_repeated_surface_is_the_mention_for_its_own_claim():
    text = "«Обработано 51 проц», - сказал Чуров. Это около 66 млн человек, уточнил Чуров."
    second = "Это около 66 млн человек"
    passage = {"id": "x", "text": text, "claims": [
        {"text": second, "quantity": None, "attributions": [
            {"surface": "Чуров", "source": "Vladimir Churov", "role": "claimant"}]}]}
    proposed = [SimpleNamespace(start=text.index(second), end=text.index(second) + len(second),
                                quantity=None,
                                attributions=[_new("Чуров", text, "Чуров", text.index("уточнил"))])]
    assert score_passage(passage, proposed, set()).f1("sources") == 1.0
