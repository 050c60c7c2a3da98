"""The sync feeds say when a claim or ClaimReview leaves them: tombstones."""

from datetime import timedelta

import pytest
from django.utils import timezone

from claims import publication
from claims.models import Status
from claims.workflow import change_status

from .api_data import kcna, reviewed_claim
from .factories import ClaimFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _horizon_after_this_tests_rows(settings):
    # Rows written in this test's own transaction are stamped now; the feed's
    # horizon (now minus the skew allowance) must lie after them.
    settings.API_SYNC_CLOCK_SKEW_SECONDS = -5



def feed(client, path="/api/v1/claims/", page_size=50, since=None):
    """Every entry of the feed since `since` (default: an hour ago), following `next`."""
    since = since or (timezone.now() - timedelta(hours=1)).isoformat()
    url, params, out = path, {"updated_since": since, "page_size": page_size}, []
    while url:
        response = client.get(url, params)
        assert response.status_code == 200, response.content
        body = response.json()
        out += body["results"]
        url, params = body["next"], None
    return out


def tombstones(entries):
    return [(e["id"], e["deleted"]) for e in entries if "deleted" in e]


def test_an_unpublished_claim_leaves_a_tombstone_in_both_feeds(read_api, editor):
    claim = reviewed_claim(editor)
    publication.unpublish(claim, actor=editor)
    entries = feed(read_api)
    assert tombstones(entries) == [(claim.pk, "unpublished")]
    (entry,) = [e for e in entries if "deleted" in e]
    assert set(entry) == {"id", "deleted", "at"}
    reviews = feed(read_api, "/api/v1/claimreviews/")
    assert tombstones(reviews) == [(claim.pk, "unpublished")]
    assert reviews[-1]["url"].endswith(f"/claims/{claim.pk}/claimreview/")


def test_a_deleted_claim_is_deleted_true(read_api, editor):
    claim = reviewed_claim(editor)
    pk = claim.pk
    claim.delete()
    assert tombstones(feed(read_api)) == [(pk, True)]
    assert tombstones(feed(read_api, "/api/v1/claimreviews/")) == [(pk, True)]


def test_a_retraction_leaves_a_tombstone_in_both_feeds_and_read_keys_lose_the_claim(
        read_api, write_api, editor):
    claim = reviewed_claim(editor)
    change_status(claim, Status.RETRACTED, actor=editor)
    claims = feed(read_api)
    assert tombstones(claims) == [(claim.pk, "retracted")]
    assert [e for e in claims if e["id"] == claim.pk and "deleted" not in e] == []
    assert tombstones(feed(read_api, "/api/v1/claimreviews/")) == [(claim.pk, "retracted")]
    assert read_api.get(f"/api/v1/claims/{claim.pk}/").status_code == 404
    assert claim.pk not in [c["id"] for c in read_api.get("/api/v1/claims/").json()["results"]]
    # Write keys see drafts and retractions alike: the claim, with its status.
    assert tombstones(feed(write_api)) == []
    assert [e["status"] for e in feed(write_api) if e["id"] == claim.pk] == ["retracted"]
    assert write_api.get(f"/api/v1/claims/{claim.pk}/").json()["status"] == "retracted"


def test_a_retracted_claim_started_again_comes_back_after_its_tombstone(read_api, editor):
    claim = reviewed_claim(editor)
    change_status(claim, Status.RETRACTED, actor=editor)
    change_status(claim, Status.UNVERIFIED, actor=editor)
    entries = [(e["id"], e.get("deleted"), e.get("status")) for e in feed(read_api)]
    assert entries == [(claim.pk, "retracted", None), (claim.pk, None, "unverified")]


def test_a_retracted_draft_leaves_no_trace_for_read_keys(read_api, editor):
    draft = ClaimFactory(published=False)
    change_status(draft, Status.RETRACTED, actor=editor)
    assert tombstones(feed(read_api)) == []


def test_read_keys_do_not_see_a_retracted_claim_as_a_relation(read_api, editor):
    from claims.models import ClaimRelation, RelationKind

    kept, taken_back = ClaimFactory(published=True), ClaimFactory(published=True)
    ClaimRelation.objects.create(from_claim=kept, to_claim=taken_back,
                                 kind=RelationKind.values[0])
    assert read_api.get(f"/api/v1/claims/{kept.pk}/").json()["related"] != []
    change_status(taken_back, Status.RETRACTED, actor=editor)
    assert read_api.get(f"/api/v1/claims/{kept.pk}/").json()["related"] == []


def test_a_verdict_reopened_withdraws_the_claimreview(read_api, editor):
    claim = reviewed_claim(editor)
    change_status(claim, Status.IN_REVIEW, actor=editor)
    assert tombstones(feed(read_api, "/api/v1/claimreviews/")) == [(claim.pk, "withdrawn")]


def test_a_draft_deleted_before_publication_leaves_no_trace_for_read_keys(read_api, write_api):
    draft = ClaimFactory(published=False)
    pk = draft.pk
    draft.delete()
    assert tombstones(feed(read_api)) == []
    assert tombstones(feed(write_api)) == [(pk, True)]


def test_write_keys_see_an_unpublished_claim_as_a_draft_not_a_tombstone(write_api, editor):
    claim = reviewed_claim(editor)
    publication.unpublish(claim, actor=editor)
    entries = feed(write_api)
    assert tombstones(entries) == []
    assert [e["published"] for e in entries if e["id"] == claim.pk] == [False]


def test_republished_claims_come_back_after_their_tombstone(read_api, editor):
    claim = reviewed_claim(editor)
    publication.unpublish(claim, actor=editor)
    publication.publish(claim, actor=editor)
    entries = [(e["id"], e.get("deleted")) for e in feed(read_api)]
    assert entries == [(claim.pk, "unpublished"), (claim.pk, None)]


def test_pages_of_one_walk_live_rows_and_tombstones_in_order_without_repeats(read_api, editor):
    source = kcna()
    claims = [reviewed_claim(editor, source=source) for _ in range(3)]
    publication.unpublish(claims[0], actor=editor)
    claims[1].delete()
    everything = feed(read_api)
    one_by_one = feed(read_api, page_size=1)
    assert one_by_one == everything and len(everything) == 3
    stamps = [e.get("at") or e["updated_at"] for e in everything]
    assert stamps == sorted(stamps)


def test_a_doctored_sync_cursor_is_a_400(read_api):
    since = (timezone.now() - timedelta(hours=1)).isoformat()
    for cursor in ("AAAA", "s1.AAAA", "s1.WyJ4IiwgMCwgMV0"):
        response = read_api.get("/api/v1/claims/", {"updated_since": since, "cursor": cursor})
        assert response.status_code == 400, (cursor, response.content)
        assert "cursor" in response.json()["fields"]


def test_tombstones_past_the_horizon_wait_for_the_next_poll(read_api, editor, settings):
    claim = reviewed_claim(editor)
    publication.unpublish(claim, actor=editor)
    settings.API_SYNC_CLOCK_SKEW_SECONDS = 60
    assert tombstones(feed(read_api)) == []


def test_tombstones_are_described_by_the_published_schema(read_api, editor, api_client):
    import jsonschema

    claim = reviewed_claim(editor)
    publication.unpublish(claim, actor=editor)
    (entry,) = [e for e in feed(read_api) if "deleted" in e]
    schema = api_client(user=editor).get("/api/schema/", {"format": "json"}).json()
    components = schema["components"]["schemas"]
    entries = [ref["$ref"] for ref in components["ClaimFeedEntry"]["oneOf"]]
    assert entries == ["#/components/schemas/ClaimOut", "#/components/schemas/TombstoneOut"]
    jsonschema.validate(entry, components["TombstoneOut"])
