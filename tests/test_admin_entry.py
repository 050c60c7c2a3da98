"""Entering a claim by hand on one page: new sources, typed links, a verdict in one save."""

import pytest
from django.urls import reverse

from claims.models import Claim, Evidence
from sources.models import Link, Source

from .admin_forms import form_data, inline
from .factories import AttributionFactory, ClaimFactory, LinkFactory, SourceFactory

pytestmark = pytest.mark.django_db

HUR_TEXT = ("Ukraine's military intelligence (HUR) said on Tuesday that at least 1,200 North "
            "Korean soldiers had been wounded in the Kursk region, Ukrainska Pravda reported")
ARTICLE = "https://www.pravda.com.ua/eng/news/2025/01/14/hur-kursk/"


def add_page(client) -> dict:
    return form_data(client.get(reverse("admin:claims_claim_add")))


def test_a_claim_with_two_new_sources_an_outlet_link_and_a_verdict_is_one_save(client, editor):
    client.force_login(editor)
    data = add_page(client)
    data.update({
        "text": HUR_TEXT, "language": "EN", "new_status": "disputed",
        "verdict_rationale": "Kyiv's figure; Moscow and Pyongyang deny any casualties.",
        "attributions-TOTAL_FORMS": "2",
        "attributions-0-new_source_name": "HUR", "attributions-0-new_source_kind": "intelligence",
        "attributions-0-role": "claimant", "attributions-0-stance": "asserts",
        "attributions-0-credibility": "3",
        "attributions-1-new_source_name": "Ukrainska Pravda",
        "attributions-1-new_source_kind": "news_outlet", "attributions-1-role": "outlet",
        "attributions-1-stance": "asserts", "attributions-1-credibility": "6",
        "attributions-1-link_url": "www.pravda.com.ua/eng/news/2025/01/14/hur-kursk/",
    })
    response = client.post(reverse("admin:claims_claim_add"), data)
    assert response.status_code == 302, _errors(response)

    claim = Claim.objects.get()
    assert claim.language == "en"
    assert claim.status == "disputed"
    assert list(claim.history.values_list("from_status", "to_status")) == [
        ("unverified", "in_review"), ("in_review", "disputed")]
    hur = Source.objects.get(name="HUR")
    assert hur.kind == "intelligence" and hur.aliases.filter(alias="HUR").exists()
    assert set(claim.attributions.values_list("source__name", "role")) == {
        ("HUR", "claimant"), ("Ukrainska Pravda", "outlet")}
    # The outlet's link, typed once without a scheme, is the "reported in" evidence.
    (evidence,) = Evidence.objects.filter(claim=claim)
    assert (evidence.link.url, evidence.relation) == (ARTICLE, "reported_in")


def test_a_new_source_named_like_a_known_one_is_that_source(client, editor):
    known = SourceFactory(name="Main Directorate of Intelligence", aliases=["HUR"])
    client.force_login(editor)
    data = add_page(client)
    data.update({"text": HUR_TEXT, "language": "en", "attributions-TOTAL_FORMS": "1",
                 "attributions-0-new_source_name": "hur", "attributions-0-role": "claimant",
                 "attributions-0-stance": "asserts", "attributions-0-credibility": "6"})
    assert client.post(reverse("admin:claims_claim_add"), data).status_code == 302
    assert Claim.objects.get().attributions.get().source == known
    assert Source.objects.count() == 1


def test_an_attribution_row_needs_a_source_and_not_two(client, editor):
    picked = SourceFactory(name="KCNA")
    client.force_login(editor)
    data = add_page(client)
    data.update({"text": "x", "language": "en", "attributions-TOTAL_FORMS": "2",
                 "attributions-0-role": "claimant", "attributions-0-stance": "asserts",
                 "attributions-0-credibility": "6",
                 "attributions-1-source": str(picked.pk),
                 "attributions-1-new_source_name": "Another", "attributions-1-role": "outlet",
                 "attributions-1-stance": "asserts", "attributions-1-credibility": "6"})
    response = client.post(reverse("admin:claims_claim_add"), data)
    assert response.status_code == 200
    forms = inline(response, "attributions").forms
    assert "Pick who it is" in forms[0].errors["source"][0]
    assert "not both" in forms[1].errors["new_source_name"][0]
    assert not Claim.objects.exists() and Source.objects.count() == 1


def test_a_bad_address_is_named_beside_its_field_and_nothing_is_saved(client, editor):
    client.force_login(editor)
    data = add_page(client)
    data.update({"text": "x", "language": "en", "evidence-TOTAL_FORMS": "1",
                 "evidence-0-link_url": "ftp://files.example.org/a", "evidence-0-relation":
                 "supports"})
    response = client.post(reverse("admin:claims_claim_add"), data)
    assert response.status_code == 200
    errors = inline(response, "evidence").forms[0].errors
    assert "Only http and https" in errors["link_url"][0]
    assert not Claim.objects.exists() and not Link.objects.exists()


def test_a_verdict_without_a_rationale_is_named_on_the_rationale_field(client, editor):
    claim = AttributionFactory().claim
    client.force_login(editor)
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    data = form_data(client.get(url))
    data.update(new_status="false")
    response = client.post(url, data)
    assert response.status_code == 200
    assert "needs a rationale" in response.context["adminform"].form.errors[
        "verdict_rationale"][0]
    claim.refresh_from_db()
    assert claim.status == "unverified"


def test_a_claim_without_a_claimant_stays_unverified_with_a_clear_message(client, editor):
    claim = ClaimFactory()
    client.force_login(editor)
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    data = form_data(client.get(url))
    data.update(new_status="in_review")
    response = client.post(url, data)
    assert response.status_code == 200
    assert "at least one claimant" in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == "unverified"


def test_an_existing_link_is_reused_when_its_address_is_typed_again(client, editor):
    link = LinkFactory(url="https://news.example.org/a")
    client.force_login(editor)
    data = add_page(client)
    data.update({"text": "x", "language": "en", "evidence-TOTAL_FORMS": "1",
                 "evidence-0-link_url": "HTTPS://news.example.org/a?utm_source=x",
                 "evidence-0-relation": "supports"})
    assert client.post(reverse("admin:claims_claim_add"), data).status_code == 302
    assert Claim.objects.get().evidence.get().link == link


def test_a_duplicate_link_message_leads_to_the_known_link(client, editor):
    link = LinkFactory(url="https://www.example.org/a")
    client.force_login(editor)
    # Typed without a scheme: read as https, so it is the same link.
    response = client.post(reverse("admin:sources_link_add"), {"url": "www.example.org/a"})
    assert response.status_code == 200
    page = response.content.decode()
    href = reverse("admin:sources_link_change", args=[link.pk])
    assert f'already known as <a href="{href}">#{link.pk}</a>' in page


def test_the_source_page_explains_the_admiralty_grid(client, editor):
    client.force_login(editor)
    page = client.get(reverse("admin:sources_source_add")).content.decode()
    assert "B usually" in page and "1–6" in page


def _errors(response) -> object:
    """What the page complained about, for the assertion message."""
    if not getattr(response, "context", None):
        return response
    return (response.context["adminform"].form.errors,
            [(s.formset.prefix, s.formset.non_form_errors(), [f.errors for f in s.formset.forms])
             for s in response.context["inline_admin_formsets"]])
