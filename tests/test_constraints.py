"""Each invariant is refused by PostgreSQL itself, not only by forms."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from claims.models import Attribution, ClaimRelation, Quantity
from sources.models import Link, Source, SourceAlias

from .factories import AttributionFactory, ClaimFactory, SourceFactory

pytestmark = pytest.mark.django_db


def refused(**kwargs):
    """Context manager: the statement inside must be refused by the database."""
    return pytest.raises(IntegrityError, **kwargs)


def insert_quantity(**fields):
    with transaction.atomic():
        Quantity.objects.create(claim=ClaimFactory(), counted="soldiers killed", **fields)


@pytest.mark.parametrize("fields", [
    {"qualifier": "approximately", "value": 600, "lower": 700},          # lower > value
    {"qualifier": "approximately", "value": 600, "upper": 500},          # value > upper
    {"qualifier": "range", "lower": 200, "upper": 100},                  # bounds out of order
    {"qualifier": "exact", "value": 600, "lower": 500},                  # exact with a bound
    {"qualifier": "exact"},                                              # exact without value
    {"qualifier": "at_least", "value": 10000},                           # at least, no lower
    {"qualifier": "at_least", "lower": 10000, "upper": 20000},           # at least, with upper
    {"qualifier": "at_most", "lower": 5},                                # at most, no upper
    {"qualifier": "range", "lower": 5},                                  # range, one bound
    {"qualifier": "range", "lower": 5, "upper": 5},                      # empty range
    {"qualifier": "approximately"},                                      # approx, no value
    {"qualifier": "roughly", "value": 1},                                # unknown qualifier
])
def test_inconsistent_figures_are_refused_by_the_database(fields):
    with refused():
        insert_quantity(**fields)


@pytest.mark.parametrize("fields", [
    {"qualifier": "approximately", "value": 600},
    {"qualifier": "at_least", "lower": 10000},
    {"qualifier": "at_most", "upper": 50},
    {"qualifier": "range", "lower": 175000, "upper": 200000},
    {"qualifier": "range", "lower": 175000, "value": 180000, "upper": 200000},
    {"qualifier": "exact", "value": Decimal("0.5")},
])
def test_figures_as_said_are_accepted(fields):
    insert_quantity(**fields)
    assert Quantity.objects.count() == 1


def test_the_same_source_in_the_same_role_twice_is_refused():
    attribution = AttributionFactory(role="claimant")
    with refused(match="attribution_unique_per_role"):
        Attribution.objects.create(claim=attribution.claim, source=attribution.source,
                                   role="claimant")


def test_the_same_source_may_hold_two_roles_on_one_claim():
    attribution = AttributionFactory(role="claimant")
    Attribution.objects.create(claim=attribution.claim, source=attribution.source, role="outlet")
    assert attribution.claim.attributions.count() == 2


def test_credibility_outside_one_to_six_is_refused():
    with refused(match="credibility"):
        AttributionFactory(credibility=7)


def test_a_claim_cannot_relate_to_itself():
    claim = ClaimFactory()
    with refused(match="claim_relation_not_self"):
        ClaimRelation.objects.create(from_claim=claim, to_claim=claim, kind="updates")


def test_a_symmetric_relation_is_stored_once():
    a, b = ClaimFactory(), ClaimFactory()
    ClaimRelation.objects.create(from_claim=a, to_claim=b, kind="conflicts_with")
    with refused(match="claim_relation_symmetric_ordered"):
        ClaimRelation.objects.create(from_claim=b, to_claim=a, kind="conflicts_with")


def test_empty_claim_text_is_refused():
    with refused(match="claim_text_not_empty"):
        ClaimFactory(text="")


def test_a_verdict_without_review_time_is_refused():
    with refused(match="claim_verdict_has_review_time"):
        ClaimFactory(status="supported")


def test_an_about_period_ending_before_it_starts_is_refused():
    with refused(match="claim_about_period_ordered"):
        ClaimFactory(about_start="2025-01-02", about_end="2025-01-01")


def test_a_url_is_stored_once():
    Link.objects.create(url="https://example.org/a")
    with refused():
        Link.objects.create(url="https://example.org/a")


def test_a_non_http_url_is_refused_by_the_database():
    with refused(match="link_url_http"):
        Link.objects.create(url="ftp://example.org/file")


def test_an_alias_folds_to_one_owner_across_sources():
    SourceFactory(name="KCNA")
    other = SourceFactory(name="Yonhap")
    with refused():
        SourceAlias.objects.create(source=other, alias="kcna")


def test_a_source_cannot_be_its_own_parent():
    source = SourceFactory()
    source.parent = source
    with refused(match="source_not_own_parent"):
        source.save()


def test_an_unknown_reliability_grade_is_refused():
    with refused(match="source_reliability_valid"):
        Source.objects.create(name="X", reliability="G")
