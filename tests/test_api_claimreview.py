"""schema.org ClaimReview for published verdicts, one at a time and as a feed."""

import pytest

from claims.models import Status
from claims.workflow import change_status

from .api_data import kcna, reviewed_claim
from .factories import AttributionFactory, ClaimFactory, LinkFactory

REQUIRED = {"@context", "@type", "url", "claimReviewed", "datePublished", "author",
            "reviewRating", "itemReviewed"}


@pytest.mark.django_db
def test_a_published_verdict_has_every_field_aggregators_require(read_api, editor, settings):
    settings.FACTCHECK_ORGANIZATION = {"name": "Baku Fact Desk", "url": "https://fact.example.az/"}
    claim = reviewed_claim(editor, text="600 North Korean soldiers were killed.",
                           made_on="2024-10-18")
    response = read_api.get(f"/api/v1/claims/{claim.pk}/claimreview/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    doc = response.json()
    assert set(doc) >= REQUIRED
    assert (doc["@context"], doc["@type"]) == ("https://schema.org", "ClaimReview")
    assert doc["claimReviewed"] == "600 North Korean soldiers were killed."
    assert doc["author"] == {"@type": "Organization", "name": "Baku Fact Desk",
                             "url": "https://fact.example.az/"}
    assert doc["datePublished"] == claim.reviewed_at.date().isoformat()
    assert doc["url"].endswith(f"/api/v1/claims/{claim.pk}/claimreview/")
    rating = doc["reviewRating"]
    assert rating == {"@type": "Rating", "ratingValue": 1, "bestRating": 5, "worstRating": 1,
                      "alternateName": "False",
                      "ratingExplanation": "No other source confirms it."}
    item = doc["itemReviewed"]
    assert item["@type"] == "Claim"
    assert item["author"] == {"@type": "Organization", "name": "KCNA"}
    assert item["datePublished"] == "2024-10-18"
    assert item["firstAppearance"] == {"@type": "CreativeWork",
                                       "url": "https://kcna.example.org/item/1"}
    assert [a["url"] for a in item["appearance"]] == [
        "https://kcna.example.org/item/1", "https://news.example.org/report/7"]


@pytest.mark.django_db
@pytest.mark.parametrize("verdict, value, words", [
    (Status.FALSE, 1, "False"), (Status.MISLEADING, 2, "Misleading"),
    (Status.UNVERIFIABLE, 3, "Unverifiable"), (Status.DISPUTED, 4, "Disputed"),
    (Status.SUPPORTED, 5, "Supported"),
])
def test_each_verdict_has_its_place_on_the_documented_scale(read_api, editor, verdict, value,
                                                            words):
    claim = ClaimFactory(published=True)
    AttributionFactory(claim=claim, source=kcna())
    change_status(claim, Status.IN_REVIEW, actor=editor)
    change_status(claim, verdict, actor=editor, rationale="because")
    rating = read_api.get(f"/api/v1/claims/{claim.pk}/claimreview/").json()["reviewRating"]
    assert (rating["ratingValue"], rating["alternateName"]) == (value, words)


@pytest.mark.django_db
def test_a_claim_without_a_verdict_has_no_claimreview(read_api, write_api, editor):
    claim = ClaimFactory(published=True)
    AttributionFactory(claim=claim, source=kcna())
    assert read_api.get(f"/api/v1/claims/{claim.pk}/claimreview/").status_code == 404
    change_status(claim, Status.IN_REVIEW, actor=editor)
    response = write_api.get(f"/api/v1/claims/{claim.pk}/claimreview/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.django_db
def test_an_unpublished_verdict_has_no_claimreview_even_for_editors(write_api, editor):
    claim = reviewed_claim(editor, published=False)
    assert write_api.get(f"/api/v1/claims/{claim.pk}/claimreview/").status_code == 404


@pytest.mark.django_db
def test_several_claimants_are_all_named_as_authors(read_api, editor):
    from sources.registry import create_source

    claim = reviewed_claim(editor)
    AttributionFactory(claim=claim, role="claimant", link=LinkFactory(),
                       source=create_source("Volodymyr Zelensky", kind="official"))
    authors = read_api.get(f"/api/v1/claims/{claim.pk}/claimreview/").json()[
        "itemReviewed"]["author"]
    assert {"@type": "Person", "name": "Volodymyr Zelensky"} in authors
    assert {"@type": "Organization", "name": "KCNA"} in authors


@pytest.mark.django_db
def test_the_feed_lists_every_published_review_and_nothing_else(read_api, editor):
    source = kcna()
    reviewed = [reviewed_claim(editor, source=source) for _ in range(2)]
    reviewed_claim(editor, source=source, published=False)
    ClaimFactory(published=True)
    body = read_api.get("/api/v1/claimreviews/").json()
    assert {doc["url"].rstrip("/").split("/")[-2] for doc in body["results"]} == {
        str(c.pk) for c in reviewed}
    assert all(set(doc) >= REQUIRED for doc in body["results"])
    assert "next" in body and "sync_until" in body
