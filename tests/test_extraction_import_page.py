"""The admin's "Import article" page: paste or link an article, accept its claims on one page."""
# ruff: noqa: F811  (the `site` fixture imported from tests/extraction_site.py)

from pathlib import Path

import lxml.html
import pytest
from django.core.management import call_command
from django.urls import reverse

from claims.models import Attribution, Claim, Evidence
from sources.models import Source

from .extraction_site import site  # noqa: F401

SEED = (Path(__file__).parent / "data" / "seed_article_az.txt").read_text(encoding="utf-8")


@pytest.fixture
def url():
    return reverse("admin:claims_claim_import")


@pytest.fixture
def demo(db):
    call_command("load_demo", verbosity=0)


def form_values(response, form_id: str) -> list[tuple[str, str]]:
    """What a browser would submit from the page's form, as it stands."""
    page = lxml.html.fromstring(response.content.decode())
    form = page.get_element_by_id(form_id)
    return list(form.form_values())


def as_post(values: list[tuple[str, str]]) -> dict[str, list[str]]:
    data: dict[str, list[str]] = {}
    for name, value in values:
        data.setdefault(name, []).append(value)
    return data


def test_the_claims_list_links_to_the_import_page(client, editor, url):
    client.force_login(editor)
    page = client.get(reverse("admin:claims_claim_changelist"))
    assert url.encode() in page.content


def test_someone_who_may_not_add_claims_cannot_import(client, viewer, url):
    client.force_login(viewer)
    assert client.get(url).status_code == 403


def test_pasting_the_seed_article_proposes_its_claims_in_one_form(client, editor, demo, url):
    client.force_login(editor)
    before = Claim.objects.count()
    response = client.post(url, {"step": "extract", "text": SEED, "language": ""})
    assert response.status_code == 200
    page = lxml.html.fromstring(response.content.decode())
    proposals = page.xpath("//section[contains(@class, 'proposal')]")
    assert len(proposals) >= 8
    assert "Rəsmi Seulun" in response.content.decode()
    assert Claim.objects.count() == before  # proposing writes nothing


def test_create_selected_creates_claims_attributions_and_evidence_in_one_go(client, editor,
                                                                           demo, url):
    client.force_login(editor)
    review = client.post(url, {"step": "extract", "text": SEED, "language": "az"})
    data = as_post(form_values(review, "import-review"))
    outlet = Source.objects.get(name="Seed article outlet (Azerbaijani)")
    data["outlet"] = [str(outlet.pk)]
    data["url"] = ["https://seed.example/az/2025-08-15/putin-kim-letter"]
    total = int(data["claims-TOTAL_FORMS"][0])
    # The demo data holds the seed's claims already: those proposals come unticked (see
    # test_a_claim_already_on_file_is_flagged_and_unticked); the editor ticks them all,
    # drops the first and corrects the second's English summary.
    for i in range(total):
        data[f"claims-{i}-selected"] = ["on"]
    data.pop("claims-0-selected")
    data["claims-1-summary_en"] = ["Putin recalls Soviet and Korean troops fought together."]
    before = Claim.objects.count()
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    created = Claim.objects.filter(created_by=editor)
    assert created.count() == Claim.objects.count() - before == total - 1
    summary = created.get(summary_en__startswith="Putin recalls")
    assert summary.attributions.get(role="claimant").source.name == "Vladimir Putin"
    assert summary.attributions.get(role="conduit").source.name == "Korean Central News Agency"
    for claim in created:
        assert claim.evidence.get().relation == "reported_in"
        assert claim.attributions.filter(role="outlet", source=outlet).exists()
    killed = created.get(text__contains="təxminən 600")
    assert killed.quantity.qualifier == "approximately" and killed.quantity.value == 600


def test_one_bad_figure_stops_the_whole_import(client, editor, demo, url):
    client.force_login(editor)
    review = client.post(url, {"step": "extract", "text": SEED, "language": "az"})
    data = as_post(form_values(review, "import-review"))
    data["claims-2-qualifier"] = ["range"]
    data["claims-2-lower"] = ["100"]
    data["claims-2-upper"] = ["10"]
    counts = (Claim.objects.count(), Attribution.objects.count(), Evidence.objects.count())
    response = client.post(url, data)
    assert response.status_code == 200
    assert "claims[2].quantity" in response.content.decode()
    assert counts == (Claim.objects.count(), Attribution.objects.count(),
                      Evidence.objects.count())


def test_a_new_source_named_on_the_page_is_created(client, editor, db, url):
    client.force_login(editor)
    review = client.post(url, {"step": "extract", "language": "en", "text":
                               "Officials in Kyiv say at least 5,000 North Korean troops "
                               "took part in the Kursk offensive."})
    data = as_post(form_values(review, "import-review"))
    assert data["claims-0-attr-0-new_source_name"] == ["Officials in Kyiv"]
    data["claims-0-attr-0-new_source_name"] = ["Ukrainian officials"]
    response = client.post(url, data)
    assert response.status_code == 302
    source = Source.objects.get(name="Ukrainian officials")
    assert source.kind == "official"
    claim = Claim.objects.get(attributions__source=source)
    assert claim.quantity.lower == 5000 and claim.language == "en"


@pytest.mark.parametrize(("payload", "message"), [
    ({"text": "", "url": ""}, "Paste the article"),
    ({"text": "   \n ", "url": ""}, "Paste the article"),
    ({"url": "http://169.254.169.254/latest/"}, "This address is refused"),
    ({"text": "According to officials, it rained.", "language": "xx"}, "Select a valid choice"),
    ({"text": "Nach Angaben des Ministeriums wurden zwölf Drohnen abgeschossen, teilte ein "
              "Sprecher mit."}, "not supported"),
])
def test_bad_input_is_shown_on_the_form(client, editor, db, url, payload, message):
    client.force_login(editor)
    response = client.post(url, {"step": "extract", "language": "", **payload})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Claim.objects.count() == 0


def test_an_article_without_attributions_proposes_nothing(client, editor, db, url):
    client.force_login(editor)
    response = client.post(url, {"step": "extract", "language": "en", "text":
                                 "The weather in Seoul was mild on Sunday. Crowds filled "
                                 "the parks along the Han River."})
    assert "0 attributed claim(s) found" in response.content.decode()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_editor_pastes_the_seed_article_and_accepts_its_claims(demo_editor_page, live_server,
                                                                 artifact_dir):
    before = Claim.objects.count()
    page = demo_editor_page

    page.goto(f"{live_server.url}/admin/claims/claim/")
    page.click("a.import-article")
    page.fill("#id_text", SEED)
    page.click("#import-input input[type=submit]")
    page.wait_for_selector("section.proposal")
    proposals = page.locator("section.proposal").count()
    assert proposals >= 8
    page.click("#id_outlet + .select2")
    page.fill(".select2-container--open .select2-search__field", "Seed article")
    page.click(".select2-results__option:has-text('Seed article outlet')")
    page.screenshot(path=str(artifact_dir / "extraction-import-proposals.png"), full_page=True)
    # Proposals the demo data already holds come flagged and unticked.
    on_file = page.locator("section.proposal .on-file").count()
    page.click("#import-review input[type=submit]")
    page.wait_for_selector(".messagelist .success")
    assert page.locator(".messagelist .success").inner_text().startswith(
        f"Created {proposals - on_file} claim")
    page.screenshot(path=str(artifact_dir / "extraction-import-created.png"), full_page=True)
    assert Claim.objects.count() == before + proposals - on_file
    listing = page.content()
    assert "Vladimir Putin (via Korean Central News Agency" in listing
    assert "Government of South Korea" in listing


def test_an_article_address_is_fetched_and_its_site_named_as_outlet(client, editor, demo, url,
                                                                   site):
    outlet = Source.objects.get(name="Seed article outlet (Azerbaijani)")
    outlet.homepage = f"{site}/"
    outlet.save()
    client.force_login(editor)
    review = client.post(url, {"step": "extract", "url": f"{site}/article", "language": ""})
    assert review.status_code == 200
    data = as_post(form_values(review, "import-review"))
    assert data["outlet"] == [str(outlet.pk)]
    assert data["url"] == [f"{site}/article"]
    response = client.post(url, data)
    assert response.status_code == 302
    claim = Claim.objects.filter(created_by=editor).first()
    assert claim.evidence.get().link.url == f"{site}/article"
    assert claim.attributions.get(role="outlet").source == outlet


def test_a_page_without_an_article_is_explained(client, editor, db, url, site):
    client.force_login(editor)
    response = client.post(url, {"step": "extract", "url": f"{site}/empty", "language": ""})
    assert "No article text found" in response.content.decode()
