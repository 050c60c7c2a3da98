"""The seed article: its claims proposed with the right claimant and conduit, then accepted."""

import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from claims.demo import SEED_FILE
from claims.models import Attribution, Claim, Evidence
from importer import extract
from importer.accept import AcceptedClaim, accepted_from_proposal, create_claims
from sources.models import Source

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed_article() -> str:
    """The seed article (a copy of shared/seeds/000_1bf38c1d26d7b222.txt)."""
    local = Path(__file__).parent / "data" / "seed_article_az.txt"
    return local.read_text(encoding="utf-8")


@pytest.fixture
def demo(db):
    call_command("load_demo", verbosity=0)
    return json.loads(SEED_FILE.read_text(encoding="utf-8"))


def _people(attributions, role: str) -> set[str]:
    """Source names in `role`, from proposals or from the demo's JSON."""
    if attributions and isinstance(attributions[0], dict):
        return {a["source"] for a in attributions if a["role"] == role}
    return {a.source.name for a in attributions if a.role == role}


def test_the_seed_article_yields_at_least_eight_claims_with_the_right_claimant_and_conduit(
        seed_article, demo):
    result = extract(seed_article)
    assert result.language == "az" and result.detected
    right = []
    for item in demo["claims"]:
        at = seed_article.find(item["text"][:40])
        if at < 0:  # the demo rewrote this one; find it by its opening words
            at = seed_article.find(item["text"][:25])
        proposed = next((c for c in result.claims if c.start <= at < c.end), None)
        if proposed is None:
            continue
        if (_people(proposed.attributions, "claimant") == _people(item["attributions"],
                                                                   "claimant")
                and _people(proposed.attributions, "conduit") == _people(item["attributions"],
                                                                          "conduit")):
            right.append(item["key"])
    assert len(right) >= 8, right
    assert {"putin-heroes", "troops-sent", "killed", "volodin-thanks", "kim-phone-call"} <= set(
        right)


def test_the_seed_figures_are_read_as_the_demo_keeps_them(seed_article, demo):
    result = extract(seed_article, "az")
    figures = {c.quantity.as_said: c.quantity for c in result.claims if c.quantity}
    assert figures["10 mindən çox"].lower == Decimal(10000)
    assert figures["10 mindən çox"].qualifier == "at_least"
    assert figures["təxminən 600"].value == Decimal(600)
    assert figures["təxminən 600"].qualifier == "approximately"


def test_the_unattributed_reminder_is_not_proposed(seed_article, demo):
    result = extract(seed_article, "az")
    assert not any(c.text.startswith("Xatırladaq ki") for c in result.claims)


def test_accepting_every_proposal_creates_claims_attributions_and_evidence(seed_article, demo):
    outlet = Source.objects.get(name="Seed article outlet (Azerbaijani)")
    before = Claim.objects.count()
    result = extract(seed_article, "az")
    url = "https://seed.example/az/2025-08-15/putin-kim-letter?utm_source=import"
    created = create_claims([accepted_from_proposal(c) for c in result.claims],
                            language="az", article_url=url, outlet=outlet)
    assert Claim.objects.count() == before + len(result.claims) == before + len(created)
    for claim in created:
        assert claim.evidence.get().relation == "reported_in"
        assert claim.evidence.get().link.url == "https://seed.example/az/2025-08-15/putin-kim-letter"
        outlet_row = claim.attributions.get(role="outlet")
        assert outlet_row.source == outlet and outlet_row.link is not None
    killed = next(c for c in created if "600" in c.text)
    assert killed.quantity.qualifier == "approximately"
    assert killed.attributions.get(role="claimant").source.name == "Government of South Korea"


def test_a_bad_proposal_leaves_nothing_written(seed_article, demo):
    result = extract(seed_article, "az")
    accepted = [accepted_from_proposal(c) for c in result.claims]
    accepted.append(AcceptedClaim(text="Broken figure", quantity={
        "qualifier": "range", "lower": Decimal(10), "upper": Decimal(5), "counted": "x"}))
    counts = (Claim.objects.count(), Attribution.objects.count(), Evidence.objects.count(),
              Source.objects.count())
    with pytest.raises(ValidationError) as caught:
        create_claims(accepted, language="az", article_url="https://seed.example/a")
    assert any(key.startswith(f"claims[{len(accepted) - 1}].quantity")
               for key in caught.value.message_dict)
    assert counts == (Claim.objects.count(), Attribution.objects.count(),
                      Evidence.objects.count(), Source.objects.count())


def test_an_unknown_source_is_created_once_for_every_claim_naming_it(db):
    text = ("Pentaqon rəsmiləri bölgəyə 2 min hərbçi göndəriləcəyini açıqlayıb. "
            "Pentaqon rəsmiləri bunun müvəqqəti olduğunu bildirib.")
    result = extract(text, "az")
    assert all(a.source.id is None for c in result.claims for a in c.attributions)
    create_claims([accepted_from_proposal(c) for c in result.claims], language="az")
    assert Source.objects.filter(name="Pentaqon rəsmiləri").count() == 1
    assert Attribution.objects.filter(source__name="Pentaqon rəsmiləri").count() == 2
