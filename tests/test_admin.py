import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.models import Claim, StatusChange
from claims.workflow import change_status
from sources.models import Link

from .admin_forms import form_data
from .factories import (
    AttributionFactory,
    ClaimFactory,
    EvidenceFactory,
    QuantityFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db


def make_claims(n: int) -> None:
    for _ in range(n):
        claim = ClaimFactory()
        AttributionFactory(claim=claim)
        AttributionFactory(claim=claim, role="conduit")
        EvidenceFactory(claim=claim)
        QuantityFactory(claim=claim)


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url_name", [
    "admin:claims_claim_changelist",
    "admin:sources_source_changelist",
    "admin:sources_link_changelist",
    "admin:claims_statuschange_changelist",
])
def test_list_pages_issue_the_same_number_of_queries_for_3_or_30_rows(client, editor, url_name):
    client.force_login(editor)
    make_claims(3)
    for claim in Claim.objects.all():
        change_status(claim, "in_review", actor=editor)
    few = queries_for(client, reverse(url_name))
    make_claims(27)
    for claim in Claim.objects.filter(status="unverified"):
        change_status(claim, "in_review", actor=editor)
    many = queries_for(client, reverse(url_name))
    assert many == few
    assert many <= 25


def test_the_claims_list_shows_claimants_figure_and_evidence_health(client, editor):
    claim = ClaimFactory(summary_en="About 600 soldiers killed, per Seoul")
    AttributionFactory(claim=claim, source=SourceFactory(name="Government of South Korea"))
    QuantityFactory(claim=claim, value=600, qualifier="approximately", counted="soldiers killed")
    EvidenceFactory(claim=claim)
    client.force_login(editor)
    page = client.get(reverse("admin:claims_claim_changelist")).content.decode()
    assert "Government of South Korea" in page
    assert "~600 soldiers killed" in page
    assert "1 unchecked" in page


def test_search_finds_a_claim_by_a_korean_alias_of_its_source(client, editor):
    claim = ClaimFactory(summary_en="Troops sent")
    AttributionFactory(claim=claim, source=SourceFactory(name="NIS", aliases=["국정원"]))
    ClaimFactory(summary_en="Unrelated")
    client.force_login(editor)
    response = client.get(reverse("admin:claims_claim_changelist"), {"q": "국정원"})
    assert list(response.context["cl"].result_list) == [claim]


def test_moving_a_claim_on_its_page_writes_the_history_row(client, editor):
    claim = AttributionFactory().claim
    client.force_login(editor)
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    data = form_data(client.get(url))
    data.update(new_status="in_review", status_note="Two sources disagree")
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    claim.refresh_from_db()
    assert claim.status == "in_review"
    row = StatusChange.objects.get(claim=claim)
    assert (row.actor, row.note) == (editor, "Two sources disagree")
    page = client.get(url).content.decode()
    assert "Two sources disagree" in page


def test_a_stale_edit_is_refused_instead_of_overwriting(client, editor):
    claim = AttributionFactory(claim__summary_en="original").claim
    client.force_login(editor)
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    data = form_data(client.get(url))
    change_status(claim, "in_review", actor=editor)  # someone else, meanwhile
    data["summary_en"] = "mine"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Someone else changed this claim" in response.content.decode()
    claim.refresh_from_db()
    assert claim.summary_en == "original"


def test_bad_figure_is_named_and_nothing_is_saved(client, editor):
    claim = ClaimFactory(summary_en="original")
    client.force_login(editor)
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    data = form_data(client.get(url))
    data.update({
        "summary_en": "changed", "quantity-TOTAL_FORMS": "1",
        "quantity-0-qualifier": "range", "quantity-0-lower": "200", "quantity-0-upper": "100",
        "quantity-0-counted": "soldiers",
    })
    response = client.post(url, data)
    assert response.status_code == 200
    assert "lower bound is above the upper bound" in response.content.decode()
    claim.refresh_from_db()
    assert claim.summary_en == "original"


def test_an_unknown_language_code_is_named(client, editor):
    claim = ClaimFactory()
    client.force_login(editor)
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    data = form_data(client.get(url))
    data["language"] = "xx-notalanguage-123456789"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "language" in response.context["adminform"].form.errors


def test_bulk_status_change_moves_what_it_may_and_reports_the_rest(client, editor):
    fresh = ClaimFactory()
    reviewing = AttributionFactory().claim
    change_status(reviewing, "in_review", actor=editor)
    client.force_login(editor)
    url = reverse("admin:claims_claim_changelist")
    response = client.post(url, {
        "action": "change_status_action", "_selected_action": [fresh.pk, reviewing.pk],
        "apply": "1", "new_status": "false", "note": "Debunked by satellite imagery",
        "rationale": "Satellite imagery shows no such column.",
    }, follow=True)
    assert response.status_code == 200
    reviewing.refresh_from_db()
    fresh.refresh_from_db()
    assert reviewing.status == "false" and fresh.status == "unverified"
    assert reviewing.history.last().note == "Debunked by satellite imagery"
    assert "cannot go from “unverified” to “false”" in response.content.decode()


def test_the_bulk_action_asks_for_the_status_and_note_first(client, editor):
    claim = ClaimFactory()
    client.force_login(editor)
    response = client.post(reverse("admin:claims_claim_changelist"), {
        "action": "change_status_action", "_selected_action": [claim.pk]})
    assert response.status_code == 200
    assert b"Change the status of claims" in response.content
    claim.refresh_from_db()
    assert claim.status == "unverified"


def test_viewers_can_read_claims_but_not_change_them(client, viewer):
    claim = ClaimFactory(summary_en="original")
    client.force_login(viewer)
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"text": "x", "language": "en", "summary_en": "hacked"})
    assert response.status_code == 403
    claim.refresh_from_db()
    assert claim.summary_en == "original"


def test_outsiders_are_sent_to_the_login_page(client, outsider):
    client.force_login(outsider)
    response = client.get(reverse("admin:claims_claim_changelist"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_source_page_lists_its_claims_by_role(client, editor):
    kcna = SourceFactory(name="KCNA")
    relayed = AttributionFactory(source=kcna, role="conduit", claim__summary_en="Putin letter")
    asserted = AttributionFactory(source=kcna, role="claimant", claim__summary_en="Delegation")
    client.force_login(editor)
    page = client.get(reverse("admin:sources_source_change", args=[kcna.pk])).content.decode()
    assert "Putin letter" in page and "Delegation" in page
    assert page.index("Claimant") < page.index("Conduit")
    assert relayed.claim.get_status_display() in page and asserted


def test_adding_a_link_normalises_it_and_refuses_a_duplicate(client, editor):
    client.force_login(editor)
    url = reverse("admin:sources_link_add")
    response = client.post(url, {"url": "HTTPS://Example.ORG:443/a?utm_source=x&b=2#top"})
    assert response.status_code == 302
    assert Link.objects.get().url == "https://example.org/a?b=2"
    response = client.post(url, {"url": "https://example.org/a?b=2&utm_medium=y"})
    assert response.status_code == 200
    assert "already known" in response.content.decode()
    assert Link.objects.count() == 1


@pytest.mark.parametrize("bad", ["ftp://example.org/x", "not a url", "javascript:alert(1)",
                                 "https://user:pw@example.org/"])
def test_adding_a_malformed_or_non_http_link_is_refused(client, editor, bad):
    client.force_login(editor)
    response = client.post(reverse("admin:sources_link_add"), {"url": bad})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["url"]
    assert not Link.objects.exists()


def test_an_alias_held_by_another_source_is_refused_on_the_source_page(client, editor):
    SourceFactory(name="Korean Central News Agency", aliases=["KCNA"])
    client.force_login(editor)
    response = client.post(reverse("admin:sources_source_add"), {
        "name": "Copycat", "kind": "other", "reliability": "F",
        "aliases-TOTAL_FORMS": "1", "aliases-INITIAL_FORMS": "0",
        "aliases-0-alias": "kcna",
    })
    assert response.status_code == 200
    assert "already an alias of “Korean Central News Agency”" in response.content.decode()
