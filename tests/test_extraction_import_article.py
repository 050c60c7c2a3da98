"""Text and address together, claims already on file, proposals without a claimant:
the import page, the API and create_claims."""
# ruff: noqa: F811  (the `site` fixture imported from tests/extraction_site.py)

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from claims.authoring import create_claim
from claims.models import Attribution, Claim
from importer.accept import AcceptedAttribution, AcceptedClaim, create_claims
from sources.models import Source
from sources.registry import create_source

from .extraction_site import site  # noqa: F401
from .test_extraction_import_page import as_post, form_values

API = "/api/v1/extract/"
TEXT = ("KYIV (Reuters) – At least 1,200 North Korean soldiers have been wounded in the "
        "Kursk region, the Defence Intelligence of Ukraine said on Tuesday.")
pytestmark = pytest.mark.django_db


@pytest.fixture
def url():
    return reverse("admin:claims_claim_import")


@pytest.fixture
def reuters(db):
    return create_source("Reuters", kind="news_outlet")


@pytest.fixture
def hur(db):
    return create_source("Defence Intelligence of Ukraine", kind="intelligence")


def counts():
    return Claim.objects.count(), Attribution.objects.count(), Source.objects.count()


def test_text_and_address_together_give_the_date_and_the_dateline_outlet(client, editor,
                                                                         reuters, hur, url, site):
    client.force_login(editor)
    review = client.post(url, {"step": "extract", "text": TEXT, "url": f"{site}/article",
                               "language": ""})
    assert review.status_code == 200
    data = as_post(form_values(review, "import-review"))
    assert data["made_on"] == ["2025-08-15"]
    assert data["outlet"] == [str(reuters.pk)]
    assert data["url"] == [f"{site}/article"]
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    claim = Claim.objects.get(created_by=editor)
    assert claim.made_on == dt.date(2025, 8, 15)
    assert claim.attributions.get(role="claimant").source == hur
    assert claim.attributions.get(role="outlet").source == reuters
    assert claim.evidence.get().relation == "reported_in"


RELAYED = ("At least 1,200 North Korean soldiers have been wounded in the Kursk region, FNN "
           "reported, citing the Defence Intelligence of Ukraine.")


def test_the_source_whose_homepage_is_the_articles_site_is_its_outlet(client, editor, hur,
                                                                       url, site, write_api):
    """The page and the API hand the address to the engine: the relay that is the site
    itself published the article (importer.sites)."""
    fnn = create_source("FNN", kind="news_outlet")
    fnn.homepage = f"{site}/"
    fnn.save()
    body = write_api.post(API, {"text": RELAYED, "url": f"{site}/article"}, format="json").json()
    (claim,) = body["claims"]
    assert {(a["source"]["name"], a["role"]) for a in claim["attributions"]} == {
        ("FNN", "outlet"), ("Defence Intelligence of Ukraine", "claimant")}
    assert body["outlet"] == {"id": fnn.pk, "name": "FNN"}
    without = write_api.post(API, {"text": RELAYED}, format="json").json()
    assert ("FNN", "conduit") in {(a["source"]["name"], a["role"])
                                  for a in without["claims"][0]["attributions"]}

    client.force_login(editor)
    review = client.post(url, {"step": "extract", "text": RELAYED, "url": f"{site}/article",
                               "language": ""})
    data = as_post(form_values(review, "import-review"))
    assert data["outlet"] == [str(fnn.pk)]
    assert "outlet" in [v for k, vs in data.items() if k.endswith("-role") for v in vs]


def test_text_with_an_address_that_does_not_answer_is_still_read(client, editor, hur, url, site):
    client.force_login(editor)
    review = client.post(url, {"step": "extract", "text": TEXT, "url": f"{site}/missing"})
    data = as_post(form_values(review, "import-review"))
    assert data.get("made_on", [""]) == [""]  # no date: the field is left empty
    assert "Defence Intelligence of Ukraine" in review.content.decode()


def test_text_with_an_address_the_guard_refuses_is_refused(client, editor, url):
    client.force_login(editor)
    before = counts()
    response = client.post(url, {"step": "extract", "text": TEXT,
                                 "url": "http://169.254.169.254/latest/"})
    assert "This address is refused" in response.content.decode()
    assert "import-review" not in response.content.decode()
    assert counts() == before


def proposal_text() -> str:
    from importer import extract

    return extract(TEXT, "en").claims[0].text


def test_a_claim_already_on_file_is_flagged_and_unticked(client, editor, hur, url):
    existing = create_claim(text=proposal_text(), language="en",
                            attributions=[{"source": hur, "role": "claimant"}])
    client.force_login(editor)
    review = client.post(url, {"step": "extract", "text": TEXT})
    page = review.content.decode()
    assert f"#{existing.pk}</a> (same text)" in page
    data = as_post(form_values(review, "import-review"))
    assert "claims-0-selected" not in data  # unticked: not filed twice by default


def test_the_same_figure_from_the_same_claimant_is_flagged(client, editor, hur, url):
    existing = create_claim(
        text="Some 1,200 North Korean troops were wounded", language="en",
        quantity={"qualifier": "at_least", "lower": 1200, "counted": "wounded"},
        attributions=[{"source": hur, "role": "claimant"}])
    client.force_login(editor)
    review = client.post(url, {"step": "extract", "text": TEXT})
    assert f"#{existing.pk}</a> (same figure from the same claimant)" in review.content.decode()


def test_a_proposal_without_a_claimant_cannot_be_accepted_as_is(client, editor, reuters, hur,
                                                                url):
    client.force_login(editor)
    review = client.post(url, {"step": "extract", "text": TEXT, "language": "en"})
    data = as_post(form_values(review, "import-review"))
    # The editor drops the claimant row, keeping only the dateline's outlet.
    claimant = next(k for k, v in data.items() if k.startswith("claims-0-attr-")
                    and k.endswith("-role") and v == ["claimant"])
    data.pop(claimant.replace("-role", "-keep"))
    before = counts()
    response = client.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "No claimant: keep or name who asserts this claim" in page
    assert "(it has only Reuters (outlet))" in page
    assert counts() == before


@pytest.fixture
def second_has_no_claimant(reuters, hur) -> list[AcceptedClaim]:
    """Two accepted claims; the second names only its outlet, nobody who asserts it."""
    return [
        AcceptedClaim(text="Soldiers were wounded", attributions=[
            AcceptedAttribution(role="claimant", source=hur)]),
        AcceptedClaim(text="Drones were shot down", attributions=[
            AcceptedAttribution(role="outlet", source=reuters)]),
    ]


def test_create_claims_refuses_a_claim_nobody_asserts_and_writes_nothing(
        second_has_no_claimant):
    before = counts()
    with pytest.raises(ValidationError) as caught:
        create_claims(second_has_no_claimant, language="en")
    assert "claims[1].attributions" in caught.value.message_dict
    assert counts() == before


def test_the_api_takes_text_and_address_and_flags_claims_on_file(write_api, reuters, hur, site):
    existing = create_claim(text=proposal_text(), language="en",
                            attributions=[{"source": hur, "role": "claimant"}])
    before = counts()
    response = write_api.post(API, {"text": TEXT, "url": f"{site}/article"}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["published"] == "2025-08-15"
    assert body["outlet"] == {"id": reuters.pk, "name": "Reuters"}
    (claim,) = body["claims"]
    assert claim["on_file"] == [{"id": existing.pk, "reason": "same_text"}]
    assert claim["quantity"]["counted_kind"] == "wounded"
    assert counts() == before


def test_a_read_key_may_send_an_address_with_text_but_it_is_not_fetched(read_api, site):
    response = read_api.post(API, {"text": TEXT, "url": f"{site}/article"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["published"] is None


def test_the_api_refuses_an_address_the_guard_refuses_even_with_text(write_api):
    before = counts()
    response = write_api.post(API, {"text": TEXT, "url": "http://169.254.169.254/latest/"},
                              format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "url_refused"
    assert counts() == before


@pytest.mark.parametrize("text", [
    "\u0411\u0435\u0437 \ud55c\uad6d\uc5b4 mixed \u10d0\u10d1 \u05d0\u05d1 ##" * 3,
    "\x00\x01binary\x02" * 10,
])
def test_junk_is_a_clear_4xx_on_the_api_and_a_message_on_the_page(write_api, client, editor,
                                                                  url, text):
    before = counts()
    response = write_api.post(API, {"text": text}, format="json")
    assert response.status_code == 400, response.content
    assert response.json()["detail"]
    client.force_login(editor)
    page = client.post(url, {"step": "extract", "text": text}).content.decode()
    assert "errorlist" in page and "import-review" not in page
    assert counts() == before


# --- the Import page files through the API's accept action (importer.accept.file_once) ----

def test_the_import_page_takes_the_accept_lock_the_api_takes(client, editor, hur, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(editor)
    review = client.post(url, {"step": "extract", "text": TEXT, "language": "en"})
    data = as_post(form_values(review, "import-review"))
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert any("pg_advisory_xact_lock" in q["sql"] for q in ctx.captured_queries)


def test_a_claim_filed_between_review_and_create_is_not_filed_twice(client, editor, hur,
                                                                   url):
    client.force_login(editor)
    review = client.post(url, {"step": "extract", "text": TEXT, "language": "en"})
    data = as_post(form_values(review, "import-review"))
    assert data["claims-0-selected"] == ["on"]  # nothing on file at the review
    # Another editor (or the API) files the same claim before this one presses Create.
    existing = create_claim(text=proposal_text(), language="en",
                            attributions=[{"source": hur, "role": "claimant"}])
    before = counts()
    response = client.post(url, data, follow=True)
    assert counts() == before
    assert Claim.objects.filter(text=proposal_text()).get() == existing
    assert f"left out 1 already on file (filed since the review): #{existing.pk}" in \
        response.content.decode()


def test_a_proposal_on_file_ticked_at_the_review_is_filed_again_on_purpose(client, editor,
                                                                          hur, url):
    create_claim(text=proposal_text(), language="en",
                 attributions=[{"source": hur, "role": "claimant"}])
    client.force_login(editor)
    review = client.post(url, {"step": "extract", "text": TEXT, "language": "en"})
    data = as_post(form_values(review, "import-review"))
    assert "claims-0-selected" not in data and data["claims-0-file_again"] == ["True"]
    data["claims-0-selected"] = ["on"]
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Claim.objects.filter(text=proposal_text()).count() == 2


def test_the_accept_action_refuses_a_claim_nobody_asserts_before_writing(
        second_has_no_claimant):
    from importer.accept import file_once

    before = counts()
    with pytest.raises(ValidationError) as caught:
        file_once(second_has_no_claimant, language="en")
    assert caught.value.message_dict == {
        "claims[1].attributions": ["No claimant: name who asserts this claim "
                                   "(it has only: outlet)."]}
    assert counts() == before
