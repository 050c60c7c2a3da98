"""Sources with their claim counts; links registered by URL."""

import pytest

from claims.models import Status
from claims.workflow import change_status
from sources.models import Link
from sources.registry import create_source

from .api_data import kcna
from .factories import AttributionFactory, ClaimFactory, LinkFactory


@pytest.fixture
def source(db, editor):
    source = kcna()
    parent = create_source("DPRK government", kind="government")
    source.parent = parent
    source.save()
    published = ClaimFactory(published=True)
    AttributionFactory(claim=published, source=source, role="claimant")
    change_status(published, Status.IN_REVIEW, actor=editor)
    AttributionFactory(claim=ClaimFactory(published=True), source=source, role="conduit")
    AttributionFactory(claim=ClaimFactory(published=False), source=source, role="claimant")
    return source


@pytest.mark.django_db
def test_a_source_comes_with_aliases_parent_grade_and_claim_counts(write_api, source):
    body = write_api.get(f"/api/v1/sources/{source.pk}/").json()
    assert body["name"] == "KCNA" and body["kind"] == "state_media" and body["country"] == "KP"
    assert set(body["aliases"]) == {"KCNA", "Korean Central News Agency", "조선중앙통신"}
    assert body["parent"]["name"] == "DPRK government"
    assert body["reliability"] == "F"
    assert body["claim_counts"] == {"by_role": {"claimant": 2, "conduit": 1},
                                    "by_status": {"in_review": 1, "unverified": 2}}


@pytest.mark.django_db
def test_a_read_key_counts_published_claims_only(read_api, source):
    listed = read_api.get("/api/v1/sources/?name=korean").json()["results"]
    assert [s["name"] for s in listed] == ["KCNA"]
    assert listed[0]["claim_counts"] == {"by_role": {"claimant": 1, "conduit": 1},
                                         "by_status": {"in_review": 1, "unverified": 1}}


@pytest.mark.django_db
def test_sources_filter_by_kind_country_and_any_alias(read_api, source):
    def names(query):
        return {s["name"] for s in read_api.get(f"/api/v1/sources/?{query}").json()["results"]}

    assert names("kind=government") == {"DPRK government"}
    assert names("country=kp") == {"KCNA"}
    assert names("name=조선중앙") == {"KCNA"}
    assert names(f"parent={source.parent_id}") == {"KCNA"}
    assert read_api.get("/api/v1/sources/?kind=aliens").status_code == 400


@pytest.mark.django_db
def test_posting_a_known_url_in_another_form_returns_the_existing_link(write_api):
    existing = LinkFactory(url="https://news.example.org/story?id=7")
    response = write_api.post("/api/v1/links/",
                              {"url": "HTTPS://News.Example.org:443/story?utm_source=x&id=7#top"},
                              format="json")
    assert response.status_code == 200
    assert response.json()["id"] == existing.pk
    assert Link.objects.count() == 1


@pytest.mark.django_db
def test_posting_a_new_url_creates_it_unchecked(write_api):
    response = write_api.post("/api/v1/links/", {"url": "https://new.example.org/a"},
                              format="json")
    assert response.status_code == 201
    body = response.json()
    assert (body["url"], body["host"], body["health"]) == (
        "https://new.example.org/a", "new.example.org", "unchecked")


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["", "not a url", "ftp://x.example.org/", "javascript:alert(1)",
                                 "https://user:pw@x.example.org/", "https://" + "a" * 5000])
def test_a_url_that_cannot_be_a_link_is_a_400(write_api, url):
    response = write_api.post("/api/v1/links/", {"url": url}, format="json")
    assert response.status_code == 400
    assert "url" in response.json()["fields"]
    assert not Link.objects.exists()


@pytest.mark.django_db
def test_links_filter_by_health(write_api):
    LinkFactory(url="https://a.example.org/", health="broken")
    LinkFactory(url="https://b.example.org/", health="ok")
    body = write_api.get("/api/v1/links/?health=broken").json()
    assert [link["url"] for link in body["results"]] == ["https://a.example.org/"]
