"""An editor's day in the admin, driven in headless Chromium."""

import pytest

from claims.models import Claim

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def pick_autocomplete(page, select_id: str, typed: str, option: str) -> None:
    page.click(f"#{select_id} + .select2")
    page.fill(".select2-container--open .select2-search__field", typed)
    page.click(f".select2-results__option:has-text('{option}')")


def test_an_editor_adds_a_claim_with_two_attributions_and_evidence_then_moves_it(
    demo_editor_page, live_server, artifact_dir
):
    page = demo_editor_page

    page.goto(f"{live_server.url}/admin/claims/claim/add/")
    page.fill("#id_text", "Более 10 тысяч военных КНДР отправлены в Курскую область.")
    page.fill("#id_language", "ru")
    page.fill("#id_summary_en", "More than 10,000 North Korean troops sent to Kursk")

    pick_autocomplete(page, "id_attributions-0-source", "국정원", "National Intelligence Service")
    page.select_option("#id_attributions-0-role", "claimant")
    page.fill("#id_attributions-0-phrase", "по данным южнокорейской разведки")
    page.click("#attributions-group .add-row a")
    pick_autocomplete(page, "id_attributions-1-source", "KCNA", "Korean Central News Agency")
    page.select_option("#id_attributions-1-role", "conduit")

    # The evidence link does not exist yet: the editor types its address in place.
    page.fill("#id_evidence-0-link_url", "https://news.example.org/kursk?utm_source=feed")
    page.select_option("#id_evidence-0-relation", "reported_in")
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")

    claim = Claim.objects.get(language="ru")
    assert set(claim.attributions.values_list("source__name", "role")) == {
        ("National Intelligence Service (South Korea)", "claimant"),
        ("Korean Central News Agency", "conduit"),
    }
    assert claim.evidence.get().link.url == "https://news.example.org/kursk"

    page.select_option("#id_new_status", "in_review")
    page.fill("#id_status_note", "Checking against NIS briefing")
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    history = page.locator("#history-group")
    assert "Checking against NIS briefing" in history.inner_text()
    assert "In review" in page.locator(".field-status_badge").inner_text()
    page.screenshot(path=artifact_dir / "admin-claim-after-status-change.png", full_page=True)

    page.goto(f"{live_server.url}/admin/claims/claim/")
    row = page.locator("#result_list tr", has_text="More than 10,000 North Korean troops")
    assert "National Intelligence Service" in row.inner_text()
    page.screenshot(path=artifact_dir / "admin-claims-list.png", full_page=True)
