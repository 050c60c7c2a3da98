"""The figure channel (similarity/figures.py): claims stating the same figure are candidates
however far their embedding, each probe is bounded, and SQLite answers as PostgreSQL does."""

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from claims.models import Attribution, Quantity
from similarity import figures, finder, queue, storedfacts
from similarity.index import shared_index
from similarity.models import ClaimFigure, ClaimTextFacts

from . import figures_parity
from .factories import AttributionFactory, ClaimFactory, QuantityFactory, SourceFactory
from .similarity_data import NK_KILLED, fresh_index  # noqa: F401

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent

# Same language as the English claim, other figures: nearer to it than its translation.
LOOKALIKES = [f"About {n} North Korean soldiers have been killed in the Kursk region, "
              "South Korea's spy agency said." for n in (100, 200, 300, 1500, 2000, 3000)]


def _claim(text, language="en", value=600, claimant=None, counted="North Korean soldiers killed"):
    claim = ClaimFactory(text=text, language=language, summary_en="", published=True)
    if value is not None:
        QuantityFactory(claim=claim, value=value, qualifier="approximately", counted=counted)
    if claimant is not None:
        AttributionFactory(claim=claim, source=claimant, role="claimant")
    return claim


@pytest.fixture
def far_translation(monkeypatch):
    """An English claim, its Korean translation, and lookalikes nearer to it in the
    embedding than the translation, with a pool too small to reach the translation."""
    nis = SourceFactory(name="National Intelligence Service")
    english = _claim(NK_KILLED["en"], claimant=nis)
    korean = _claim(NK_KILLED["ko"], "ko", claimant=nis)
    for n, text in zip((100, 200, 300, 1500, 2000, 3000), LOOKALIKES, strict=True):
        _claim(text, value=n, claimant=nis)
    queue.run()
    monkeypatch.setattr(finder, "pool", lambda limit: 3)
    vectors = finder.claim_vectors(english)
    nearest = {pk for pk, _ in shared_index().nearest(vectors, 3)} - {english.pk}
    assert korean.pk not in nearest  # the embedding's pool misses it: what this is about
    return english, korean


def test_a_stored_claims_same_figure_translation_is_found_outside_the_nearest_pool(
        far_translation):
    english, korean = far_translation
    found = finder.similar_to_claim(english, limit=3)
    assert found[0].claim_id == korean.pk
    assert found[0].assessment != "conflicting" and "same figure" in found[0].agreements


def test_a_bare_texts_same_figure_translation_is_found_outside_the_nearest_pool(
        far_translation):
    english, korean = far_translation
    found = finder.similar_to_text(NK_KILLED["en"], "en", limit=3)
    assert {english.pk, korean.pk} <= {m.claim_id for m in found}


def test_rows_hold_the_recorded_figure_else_the_texts_and_follow_changes(
        django_capture_on_commit_callbacks):
    nis, wire = SourceFactory(name="NIS"), SourceFactory(name="A wire")
    claim = ClaimFactory(text="Officials said 2,700 North Korean soldiers were wounded.",
                         language="en", summary_en="")
    queue.run()  # the worker writes its rows with its text facts
    assert set(ClaimFigure.objects.filter(claim=claim).values_list(
        "value", "event", "claimant")) == {(Decimal(2700), "wounded", None)}
    with django_capture_on_commit_callbacks(execute=True):
        Quantity.objects.create(claim=claim, value=3000, qualifier="approximately",
                                counted="North Korean soldiers wounded")
        Attribution.objects.create(claim=claim, source=nis, role="claimant",
                                   phrase="according to")
        Attribution.objects.create(claim=claim, source=wire, role="claimant",
                                   phrase="according to")
    assert set(ClaimFigure.objects.filter(claim=claim).values_list(
        "value", "event", "claimant")) == {(Decimal(3000), "wounded", nis.pk),
                                           (Decimal(3000), "wounded", wire.pk)}
    with django_capture_on_commit_callbacks(execute=True):
        Quantity.objects.filter(claim=claim).delete()
        Attribution.objects.filter(claim=claim, source=wire).delete()
    assert set(ClaimFigure.objects.filter(claim=claim).values_list(
        "value", "event", "claimant")) == {(Decimal(2700), "wounded", nis.pk)}


def test_a_common_figure_is_bounded_and_its_claimant_still_reaches_an_old_claim():
    figures_parity.build()
    cap = figures_parity.CAP
    common = [(Decimal(1000), "killed")]
    newest = figures.candidates(common, cap=cap)
    # The cap most recent "killed" and the one of unknown count; never all of them.
    assert ClaimFigure.objects.filter(value=1000, event="killed").count() > cap
    killed = list(ClaimFigure.objects.filter(value=1000, event="killed")
                  .order_by("-claim").values_list("claim", flat=True))
    unknown = list(ClaimFigure.objects.filter(value=1000, event="").values_list("claim",
                                                                                flat=True))
    assert newest == killed[:cap] + unknown
    oldest_by_nis = killed[-1]
    assert oldest_by_nis not in newest
    nis = ClaimFigure.objects.get(claim=oldest_by_nis).claimant_id
    assert oldest_by_nis in figures.candidates(common, [nis], cap=cap)
    # However many figures a text states, at most MAX_FIGURES are looked up.
    many = [(Decimal(n), "killed") for n in range(1000, 1000 + 10 * figures.MAX_FIGURES)]
    assert len(figures.candidates(many, [nis], cap=cap)) <= 3 * cap * figures.MAX_FIGURES


def test_values_the_column_cannot_hold_are_left_out():
    assert figures.keys([(Decimal("1e25"), "killed"), (Decimal("0.123456"), "")]) == [
        (Decimal("0.1235"), "")]


@pytest.mark.slow
def test_sqlite_finds_what_postgresql_finds(tmp_path):
    expected = figures_parity.snapshot()
    assert expected["killed"] and expected["killed by nis"] and expected["text"]
    assert not expected["none"]
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    manage = [sys.executable, str(ROOT / "manage.py")]
    for args in (["migrate", "--noinput", "-v0"],
                 ["shell", "-c", "from tests.figures_parity import main; main()"]):
        done = subprocess.run([*manage, *args], env=env, cwd=ROOT, capture_output=True,
                              text=True, timeout=600)
        assert done.returncode == 0, done.stderr[-3000:]
    got = json.loads(done.stdout.strip().splitlines()[-1])
    assert got["rows"] == expected["rows"]
    for name in expected:
        assert sorted(got[name]) == sorted(expected[name]), name


def test_the_sweep_writes_the_rows_of_claims_from_before_the_channel():
    """Similarity 0004 marks every text-facts row owed (rules ""): the worker's sweep
    relabels it, reading no text again, and writes the claim's figure rows."""
    claim = ClaimFactory(text="Officials said 2,700 North Korean soldiers were wounded.",
                         language="en", summary_en="")
    queue.run()
    ClaimFigure.objects.all().delete()
    ClaimTextFacts.objects.update(rules="")  # as the migration leaves them
    assert storedfacts.refresh_stale() == 1
    assert list(ClaimFigure.objects.values_list("claim", "value", "event")) == [
        (claim.pk, Decimal(2700), "wounded")]
    assert storedfacts.refresh_stale() == 0
