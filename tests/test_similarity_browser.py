"""Similar claims in the admin, driven in headless Chromium: the claim page panel, the
add-form flag, the import page flag and the figure tracker."""

from pathlib import Path

import pytest

from claims.models import Claim
from similarity import queue
from similarity.models import NotRelated

from .similarity_data import fresh_index  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SEED = (Path(__file__).parent / "data" / "seed_article_az.txt").read_text(encoding="utf-8")


@pytest.fixture
def page(demo_editor_page):
    queue.run()  # the demo's claims get their vectors (no worker in tests)
    return demo_editor_page


def test_the_claim_page_shows_similar_claims_and_records_not_related(page, live_server,
                                                                      artifact_dir):
    claim = Claim.objects.order_by("pk").first()
    page.goto(f"{live_server.url}/admin/claims/claim/{claim.pk}/change/")
    panel = page.locator("#similar-claims")
    rows = panel.locator("tr.similar-row")
    assert rows.count() >= 3
    assert "likely" in panel.inner_text() or "related" in panel.inner_text()
    page.screenshot(path=artifact_dir / "similar-claims-panel.png", full_page=True)
    other = int(rows.first.get_attribute("data-claim"))
    rows.first.locator("button", has_text="not related").click()
    page.wait_for_selector(".messagelist .success")
    assert NotRelated.objects.filter(from_claim_id=min(claim.pk, other),
                                     to_claim_id=max(claim.pk, other)).exists()
    assert page.locator(f'#similar-claims tr[data-claim="{other}"]').count() == 0


def test_the_add_form_flags_a_claim_on_file_and_attaches_instead(page, live_server,
                                                                  artifact_dir):
    existing = Claim.objects.order_by("pk").first()
    before = Claim.objects.count()
    page.goto(f"{live_server.url}/admin/claims/claim/add/")
    page.fill("#id_text", existing.text)
    page.fill("#id_language", existing.language)
    page.click("input[name=_save]")
    flag = page.locator("#similar-flag")
    flag.wait_for()
    assert f"#{existing.pk}" in flag.inner_text()
    page.screenshot(path=artifact_dir / "similar-add-form-flag.png", full_page=True)
    assert Claim.objects.count() == before
    flag.locator(f"button[value='attach:{existing.pk}']").click()
    page.wait_for_selector(".messagelist .success")
    assert f"/admin/claims/claim/{existing.pk}/change/" in page.url
    assert Claim.objects.count() == before


def test_the_import_page_flags_proposals_already_on_file(page, live_server, artifact_dir):
    page.goto(f"{live_server.url}/admin/claims/claim/import/")
    page.fill("textarea[name=text]", SEED)
    page.click("input[type=submit]")
    page.wait_for_selector("section.proposal")
    flags = page.locator(".import-similar-flag")
    assert flags.count() >= 3
    assert "Looks like a claim on file" in flags.first.inner_text()
    assert flags.first.locator("select option").count() >= 2
    page.screenshot(path=artifact_dir / "similar-import-flag.png", full_page=True)


def test_the_figure_tracker_draws_every_estimate(page, live_server, artifact_dir):
    page.goto(f"{live_server.url}/admin/claims/claim/figures/")
    page.locator("table.counted-things a").first.click()
    page.wait_for_selector("svg.figure-tracker")
    assert page.locator("svg.figure-tracker circle.estimate").count() >= 1
    assert page.locator("table.estimates tbody tr").count() >= 1
    page.screenshot(path=artifact_dir / "figure-tracker.png", full_page=True)
