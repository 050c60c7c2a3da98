"""The seed article's claims, loaded as demo data."""

import re
from decimal import Decimal
from pathlib import Path

import pytest

from claims.demo import load_demo
from claims.models import Attribution, Claim, Evidence, StatusChange
from sources.models import Link, Source

pytestmark = pytest.mark.django_db

SEED_URL = "https://seed.example/az/2025-08-15/putin-kim-letter"


def claim_with(fragment: str) -> Claim:
    return Claim.objects.get(text__contains=fragment)


def roles(claim: Claim) -> set[tuple[str, str]]:
    return set(claim.attributions.values_list("source__name", "role"))


def test_every_claim_of_the_article_is_loaded_in_azerbaijani_with_an_english_summary():
    result = load_demo()
    assert result.claims_created == 13
    assert Claim.objects.count() == 13
    for claim in Claim.objects.all():
        assert claim.language == "az"
        assert claim.summary_en
        # Claims that split one sentence in two ("600 killed" / "thousands
        # wounded") keep the article's own words, if not the whole sentence.
        assert words(claim.text) <= words(SEED_TEXT), claim.text


SEED_TEXT = (Path(__file__).resolve().parent / "data" / "seed_article_az.txt").read_text("utf-8")


def words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.casefold()))


def test_putins_letter_is_putin_as_claimant_and_kcna_as_conduit():
    load_demo()
    assert roles(claim_with("“qəhrəman” adlandırıb")) == {
        ("Vladimir Putin", "claimant"),
        ("Korean Central News Agency", "conduit"),
        ("Seed article outlet (Azerbaijani)", "outlet"),
    }


def test_ten_thousand_soldiers_is_one_claim_with_two_claimants_and_a_lower_bound():
    load_demo()
    claim = claim_with("10 mindən çox əsgər")
    claimants = {n for n, r in roles(claim) if r == "claimant"}
    assert claimants == {"National Intelligence Service (South Korea)", "Western intelligence"}
    q = claim.quantity
    assert (q.qualifier, q.lower, q.value, q.upper) == ("at_least", Decimal(10000), None, None)
    assert q.as_said == "10 mindən çox"
    assert q.in_words() == ">10,000 North Korean soldiers sent to Kursk region"


def test_about_six_hundred_killed_is_stored_as_approximately_per_seoul():
    load_demo()
    claim = claim_with("təxminən 600")
    q = claim.quantity
    assert (q.qualifier, q.value, q.lower, q.upper) == ("approximately", Decimal(600), None, None)
    assert q.in_words().startswith("~600 ")
    attribution = claim.attributions.get(role="claimant")
    assert attribution.source.name == "Government of South Korea"
    assert attribution.phrase == "Rəsmi Seulun məlumatına görə"


def test_the_article_is_the_outlets_link_and_every_claims_evidence():
    load_demo()
    link = Link.objects.get(url=SEED_URL)
    assert Evidence.objects.filter(link=link).count() == 13
    outlet_rows = Attribution.objects.filter(role="outlet")
    assert outlet_rows.count() == 13
    assert set(outlet_rows.values_list("link", flat=True)) == {link.pk}


def test_volodin_and_kim_are_claimants_relayed_by_kcna():
    load_demo()
    for fragment, person in [("V.Volodin Kim Çen Ina", "Vyacheslav Volodin"),
                             ("Kim Çen In isə", "Kim Jong Un"),
                             ("telefon danışığı", "Kim Jong Un")]:
        assert roles(claim_with(fragment)) >= {(person, "claimant"),
                                               ("Korean Central News Agency", "conduit")}


def test_loading_twice_changes_nothing():
    load_demo()
    before = (Claim.objects.count(), Source.objects.count(), Attribution.objects.count(),
              Evidence.objects.count(), StatusChange.objects.count(), Link.objects.count(),
              sorted(Claim.objects.values_list("version", flat=True)))
    second = load_demo()
    after = (Claim.objects.count(), Source.objects.count(), Attribution.objects.count(),
             Evidence.objects.count(), StatusChange.objects.count(), Link.objects.count(),
             sorted(Claim.objects.values_list("version", flat=True)))
    assert second.claims_created == 0 and second.sources_created == 0
    assert before == after


def test_demo_statuses_went_through_the_workflow_with_history():
    load_demo()
    supported = Claim.objects.filter(status="supported")
    assert supported.count() == 2
    for claim in supported:
        assert list(claim.history.values_list("to_status", flat=True)) == [
            "in_review", "supported"]
        assert claim.reviewed_at is not None and claim.verdict_rationale
