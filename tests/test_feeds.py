"""Atom feeds of published verdicts: what is in them, per source/tag/language, 304s."""

import xml.etree.ElementTree as ET

import pytest

from claims import publication
from claims.authoring import set_tags

from .api_data import kcna, reviewed_claim
from .factories import ClaimFactory

ATOM = "{http://www.w3.org/2005/Atom}"
pytestmark = pytest.mark.django_db


def entries(client, path):
    response = client.get(path)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    return [(e.find(f"{ATOM}title").text, e.find(f"{ATOM}link").get("href"))
            for e in feed.iter(f"{ATOM}entry")]


@pytest.fixture
def verdicts(editor, settings):
    settings.FACTCHECK_PUBLIC_URL = "https://tracker.example.org"
    source = kcna()
    ko = reviewed_claim(editor, source=source, language="ko", summary_en="Korean claim")
    en = reviewed_claim(editor, source=source, language="en", summary_en="English claim")
    set_tags(en, ["ukraine-war"])
    ClaimFactory(published=True, summary_en="No verdict yet")
    hidden = reviewed_claim(editor, source=source, summary_en="Taken down")
    publication.unpublish(hidden, actor=editor)
    return {"ko": ko, "en": en, "source": source}


def test_the_feed_lists_published_verdicts_linking_to_their_claimreview(client, verdicts):
    found = entries(client, "/feeds/verdicts/")
    assert sorted(title for title, _ in found) == ["False: English claim", "False: Korean claim"]
    assert (f"https://tracker.example.org/api/v1/claims/{verdicts['en'].pk}/claimreview/"
            in {link for _, link in found})


def test_feeds_per_source_tag_and_language(client, verdicts):
    assert len(entries(client, f"/feeds/verdicts/source/{verdicts['source'].pk}/")) == 2
    assert [t for t, _ in entries(client, "/feeds/verdicts/tag/ukraine-war/")] == [
        "False: English claim"]
    assert [t for t, _ in entries(client, "/feeds/verdicts/language/ko/")] == [
        "False: Korean claim"]
    assert client.get("/feeds/verdicts/tag/nothing-here/").status_code == 404
    assert client.get("/feeds/verdicts/source/999999/").status_code == 404


def test_a_poller_with_the_latest_copy_gets_a_304_until_a_verdict_changes(client, verdicts,
                                                                          editor):
    first = client.get("/feeds/verdicts/")
    etag, modified = first["ETag"], first["Last-Modified"]
    assert client.get("/feeds/verdicts/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get("/feeds/verdicts/", HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    publication.unpublish(verdicts["ko"], actor=editor)
    again = client.get("/feeds/verdicts/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 200 and again["ETag"] != etag


def test_without_a_public_url_links_follow_the_host_asked(client, read_api, verdicts, settings):
    settings.FACTCHECK_PUBLIC_URL = ""
    links = {link for _, link in entries(client, "/feeds/verdicts/")}
    assert all(link.startswith("http://testserver/api/v1/claims/") for link in links)
    doc = read_api.get(f"/api/v1/claims/{verdicts['en'].pk}/claimreview/").json()
    assert doc["url"] == f"http://testserver/api/v1/claims/{verdicts['en'].pk}/claimreview/"
