"""Stored text facts (similarity/storedfacts.py): the worker reads them with the vectors,
the ranking reads them instead of the text, and never when they belong to another text."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.core.management import call_command

from claims.models import Claim
from similarity import queue, ranking, storedfacts, tasks
from similarity.models import ClaimTextFacts

from .factories import ClaimFactory, QuantityFactory
from .test_similarity_textfacts import _texts

pytestmark = pytest.mark.django_db

KILLED = "Seoul says about 600 North Korean soldiers were killed in Kursk."
WOUNDED = "Seoul now says 2,700 North Korean soldiers were wounded, not killed."


def test_stored_facts_are_the_facts_read_from_the_text_on_real_text():
    for text in _texts():
        assert storedfacts.decode(storedfacts.compute(text)) == ranking._text_facts(text), text


def test_the_worker_stores_the_facts_and_an_edit_replaces_them():
    claim = ClaimFactory(text=KILLED, language="en", summary_en="")
    queue.run()
    row = ClaimTextFacts.objects.get(claim=claim)
    assert row.key == storedfacts.key(KILLED)
    assert storedfacts.decode(row.facts)["figures"] == {Decimal(600)}
    claim.text = WOUNDED
    claim.save()
    queue.run()
    row.refresh_from_db()
    assert row.key == storedfacts.key(WOUNDED)
    assert storedfacts.decode(row.facts)["figure_events"] == {(Decimal(2700), "wounded")}
    assert ranking.facts_for_claims([claim.pk])[claim.pk].events == {"wounded", "killed"}


def test_the_ranking_reads_stored_facts_of_this_text_and_never_of_another():
    claim = ClaimFactory(text=KILLED, language="en", summary_en="")
    queue.run()
    # A row of this text and these rules is what the ranking reads (here, one altered
    # on purpose, so the read shows): the text is not read again.
    ClaimTextFacts.objects.filter(claim=claim).update(
        facts={**storedfacts.compute(KILLED), "figures": ["123"]})
    assert ranking.facts_for_claims([claim.pk])[claim.pk].figures == {Decimal(123)}
    # An edit the worker has not reached yet: the row is of another text, not read.
    Claim.objects.filter(pk=claim.pk).update(text=WOUNDED)
    assert ranking.facts_for_claims([claim.pk])[claim.pk].figures == {Decimal(2700)}


def test_rows_read_with_other_rules_are_not_read(monkeypatch):
    claim = ClaimFactory(text=KILLED, language="en", summary_en="")
    queue.run()
    ClaimTextFacts.objects.filter(claim=claim).update(
        facts={**storedfacts.compute(KILLED), "figures": ["123"]})
    monkeypatch.setattr(storedfacts, "RULES", "a deploy with another rule")
    assert ranking.facts_for_claims([claim.pk])[claim.pk].figures == {Decimal(600)}


def test_a_recorded_figure_still_replaces_the_stored_text_figures():
    claim = ClaimFactory(text=KILLED, language="en", summary_en="")
    QuantityFactory(claim=claim, value=650, qualifier="approximately",
                    counted="North Korean soldiers killed", unit="")
    queue.run()
    assert ClaimTextFacts.objects.filter(claim=claim).exists()
    facts = ranking.facts_for_claims([claim.pk])[claim.pk]
    assert facts.figures == {Decimal(650)} and facts.main_figure_events == {
        (Decimal(650), "killed")}


def test_the_backfill_command_fills_missing_and_stale_rows():
    fresh = ClaimFactory(text=KILLED, language="en", summary_en="")
    stale = ClaimFactory(text=WOUNDED, language="en", summary_en="")
    queue.run()
    ClaimTextFacts.objects.filter(claim=fresh).delete()
    ClaimTextFacts.objects.filter(claim=stale).update(key="old rules", facts={})
    call_command("store_text_facts")
    for claim in (fresh, stale):
        row = ClaimTextFacts.objects.get(claim=claim)
        assert row.key == storedfacts.key(claim.text)
        assert storedfacts.decode(row.facts) == ranking._text_facts(claim.text)



def _facts(claim):
    return ClaimTextFacts.objects.values_list("key", "rules", "facts").get(claim=claim)


def test_the_sweep_reads_again_the_facts_a_rules_change_made_stale(monkeypatch):
    """No backfill by hand after a deploy: the beat's task finds rows stored under the
    old rules (or owed, rules "") and reads them again, in claimed batches."""
    claims = [ClaimFactory(text=text, language="en", summary_en="")
              for text in (KILLED, WOUNDED, "Kyiv says 45 drones were shot down overnight.")]
    monkeypatch.setattr(storedfacts, "RULES", "the rules before this deploy")
    queue.run()  # stored under the old rules
    ClaimTextFacts.objects.filter(claim=claims[0]).update(
        facts={**storedfacts.compute(KILLED), "figures": ["123"]})
    ClaimTextFacts.objects.filter(claim=claims[2]).update(key="", rules="", facts={})  # owed
    monkeypatch.undo()
    assert storedfacts.stale_count() == 3
    monkeypatch.setattr(settings, "SIMILARITY_FACTS_BATCH", 2)  # two batches
    assert tasks.refresh_text_facts() == {"refreshed": 3}  # what the beat's sweep wakes
    for claim in claims:
        key, rules, facts = _facts(claim)
        assert (key, rules) == (storedfacts.key(claim.text), storedfacts.RULES)
        assert storedfacts.decode(facts) == ranking._text_facts(claim.text)
    before = [_facts(c) for c in claims]
    assert tasks.sweep_stale_text_facts() == 0  # twice: nothing left, nothing changed
    assert tasks.refresh_text_facts() == {"refreshed": 0}
    assert [_facts(c) for c in claims] == before


def test_a_row_whose_key_is_current_is_only_relabelled():
    claim = ClaimFactory(text=KILLED, language="en", summary_en="")
    queue.run()
    marked = {**storedfacts.compute(KILLED), "denies": True}  # not read again, so kept
    ClaimTextFacts.objects.filter(claim=claim).update(rules="", facts=marked)
    assert storedfacts.refresh_stale() == 1
    assert _facts(claim) == (storedfacts.key(KILLED), storedfacts.RULES, marked)
    assert storedfacts.refresh_stale() == 0


def test_the_rules_hash_covers_the_number_words_module(monkeypatch, tmp_path):
    """A rule changed in similarity/numberwords.py alone makes the stored facts stale too."""
    from pathlib import Path

    from similarity import numberwords

    changed = tmp_path / "numberwords.py"
    changed.write_bytes(Path(numberwords.__file__).read_bytes() + b"\n# another rule\n")
    before = storedfacts._rules()
    monkeypatch.setattr(numberwords, "__file__", str(changed))
    assert storedfacts._rules() != before
