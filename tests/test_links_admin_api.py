"""Link freshness where editors see it: the admin pages and the API."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sources.models import Link, LinkCheck, LinkHealth

from .factories import ClaimFactory, EvidenceFactory, LinkFactory

pytestmark = pytest.mark.django_db


def checked_link(**fields):
    link = LinkFactory(url="https://news.example.org/story", **fields)
    now = timezone.now()
    for minutes, outcome, status in ((30, "gone", 404), (10, "ok", 200)):
        LinkCheck.objects.create(
            link=link, checked_at=now - timedelta(minutes=minutes), outcome=outcome,
            http_status=status, latency_ms=42, method="GET", final_url=link.url,
            lease_token=f"00000000-0000-0000-0000-0000000000{minutes:02d}",
        )
    return link


def later(link):
    Link.objects.filter(pk=link.pk).update(next_check_at=timezone.now() + timedelta(days=3))


class TestAdmin:
    def test_a_link_page_shows_its_check_history_and_redirects(self, client, editor):
        link = checked_link(redirect_chain=[
            {"url": "http://news.example.org/story", "status": 301,
             "location": "https://news.example.org/story"}])
        client.force_login(editor)
        page = client.get(reverse("admin:sources_link_change", args=[link.pk])).content.decode()
        assert "check history" in page.lower()
        assert page.index("Gone (404/410)") > page.index("OK"), "newest first"
        assert "301 http://news.example.org/story → https://news.example.org/story" in page

    def test_refresh_now_on_links_makes_them_due(self, client, editor, settings):
        settings.LINKS_CHECK_ON_COMMIT = False
        link = LinkFactory()
        later(link)
        client.force_login(editor)
        response = client.post(reverse("admin:sources_link_changelist"), {
            "action": "refresh_now", "_selected_action": [link.pk]}, follow=True)
        assert "1 link(s) will be checked" in response.content.decode()
        assert Link.objects.due().filter(pk=link.pk).exists()

    def test_refresh_links_now_on_claims_makes_their_links_due(self, client, editor, settings):
        settings.LINKS_CHECK_ON_COMMIT = False
        claim = ClaimFactory()
        cited = EvidenceFactory(claim=claim).link
        other = LinkFactory()
        later(cited)
        later(other)
        client.force_login(editor)
        response = client.post(reverse("admin:claims_claim_changelist"), {
            "action": "refresh_links_now", "_selected_action": [claim.pk]}, follow=True)
        assert "1 link(s) of 1 claim(s)" in response.content.decode()
        assert set(Link.objects.due()) == {cited}

    def test_reviewing_a_change_clears_the_flag(self, client, editor):
        link = LinkFactory(health=LinkHealth.CHANGED, content_changed_at=timezone.now())
        client.force_login(editor)
        client.post(reverse("admin:sources_link_changelist"), {
            "action": "mark_changes_reviewed", "_selected_action": [link.pk]})
        link.refresh_from_db()
        assert link.health == LinkHealth.OK and link.change_reviewed_at is not None

    def test_a_claim_page_lists_claims_found_related(self, client, editor):
        a, b = ClaimFactory(summary_en="Six hundred killed"), ClaimFactory(summary_en="Other")
        EvidenceFactory(claim=b, link=EvidenceFactory(claim=a).link)
        client.force_login(editor)
        page = client.get(reverse("admin:claims_claim_change", args=[a.pk])).content.decode()
        assert "cites the same link" in page


class TestApi:
    def test_the_link_endpoint_shows_metadata_and_its_check_history(self, read_api):
        link = checked_link(site_name="Farm News", page_language="en", last_outcome="ok")
        # Read keys see a link through a published claim that cites it.
        EvidenceFactory(claim=ClaimFactory(published=True), link=link)
        body = read_api.get(f"/api/v1/links/{link.pk}/").json()
        assert (body["site_name"], body["page_language"], body["last_outcome"]) == (
            "Farm News", "en", "ok")
        checks = read_api.get(f"/api/v1/links/{link.pk}/checks/").json()["results"]
        assert [c["outcome"] for c in checks] == ["ok", "gone"]
        assert checks[0]["latency_ms"] == 42

    def test_a_write_key_can_ask_for_a_refresh_and_a_read_key_cannot(
        self, write_api, read_api, settings
    ):
        settings.LINKS_CHECK_ON_COMMIT = False
        link = LinkFactory()
        later(link)
        assert read_api.post(f"/api/v1/links/{link.pk}/refresh/").status_code == 403
        assert not Link.objects.due().exists()
        response = write_api.post(f"/api/v1/links/{link.pk}/refresh/")
        assert response.status_code == 202
        assert Link.objects.due().filter(pk=link.pk).exists()
        assert write_api.post("/api/v1/links/987654/refresh/").status_code == 404

    @pytest.mark.parametrize("url, words", [
        ("http://127.0.0.1/admin", "loopback"),
        ("http://0x7f.1/", "loopback"),
        ("http://[::ffff:169.254.169.254]/", "metadata"),
        ("http://10.1.2.3/", "private"),
        ("http://localhost:8000/", "Port 8000"),
        ("http://user:pw@example.org/", "password"),
        ("ftp://example.org/", "http and https"),
    ])
    def test_an_unsafe_url_is_refused_at_creation_with_a_clear_400(self, write_api, url, words):
        response = write_api.post("/api/v1/links/", {"url": url})
        assert response.status_code == 400
        assert words in str(response.json())
        assert not Link.objects.exists()
