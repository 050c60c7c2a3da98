"""What a key may see: drafts never leak to read keys, and a key dies with its editor.

Every endpoint is tried with no key, a read key, a write key, a revoked key and
the key of an editor who was deactivated or removed from the editors group.
"""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from claims.models import ClaimRelation, RelationKind
from newsrooms.keys import hash_key, revoke
from newsrooms.models import ApiKey
from sources.models import LinkCheck

from .api_data import reviewed_claim
from .factories import AttributionFactory, ClaimFactory, EvidenceFactory, LinkFactory
from .test_api_auth import CALL_NAMES, _run
from .test_api_auth import world as world  # the fixture, re-exported

pytestmark = pytest.mark.django_db


@pytest.fixture
def cited(editor):
    """A link cited by a published claim, one cited only by a draft (as evidence and as an
    attribution's link), and one cited by nothing."""
    public = reviewed_claim(editor)
    draft = ClaimFactory(published=False)
    secret = LinkFactory(url="https://investigation.example.org/leak")
    secret.title = "Not yet out"
    secret.save()
    secret_attr = LinkFactory(url="https://investigation.example.org/attributed")
    EvidenceFactory(claim=draft, link=secret, relation="supports")
    AttributionFactory(claim=draft, link=secret_attr, role="claimant")
    for link in (secret, secret_attr):
        LinkCheck.objects.create(link=link, checked_at=timezone.now(), outcome="ok",
                                 lease_token=uuid.uuid4())
    public_link = public.evidence.get().link
    LinkCheck.objects.create(link=public_link, checked_at=timezone.now(), outcome="ok",
                             lease_token=uuid.uuid4())
    orphan = LinkFactory(url="https://registered.example.org/only")
    return {"public": public_link, "secrets": [secret, secret_attr], "orphan": orphan,
            "draft": draft, "published": public}


def _urls(client, path="/api/v1/links/"):
    response = client.get(path)
    assert response.status_code == 200, response.content
    return {row["url"] for row in response.json()["results"]}


def test_a_read_key_sees_only_links_cited_by_a_published_claim(read_api, write_api, cited):
    seen = _urls(read_api)
    assert cited["public"].url in seen
    assert not seen & {link.url for link in cited["secrets"]} and cited["orphan"].url not in seen
    assert {link.url for link in cited["secrets"]} <= _urls(write_api)


def test_a_read_key_gets_404_for_a_draft_only_link_and_its_checks(read_api, write_api, cited):
    for link in cited["secrets"]:
        for path in (f"/api/v1/links/{link.pk}/", f"/api/v1/links/{link.pk}/checks/"):
            assert read_api.get(path).status_code == 404, path
            assert write_api.get(path).status_code == 200, path
    public = cited["public"].pk
    assert read_api.get(f"/api/v1/links/{public}/checks/").json()["results"]


def test_the_links_sync_feed_holds_no_draft_links_for_a_read_key(read_api, cited, settings):
    # Rows written in this test's own transaction are stamped now; the horizon
    # (now minus the skew allowance) must lie after them.
    settings.API_SYNC_CLOCK_SKEW_SECONDS = -5
    since = (timezone.now() - timedelta(days=1)).isoformat()
    seen = _urls(read_api, f"/api/v1/links/?updated_since={since.replace('+', '%2B')}")
    assert cited["public"].url in seen
    assert not seen & {link.url for link in cited["secrets"]}


def test_a_link_becomes_visible_when_its_claim_is_published(read_api, cited):
    draft = cited["draft"]
    draft.published = True
    draft.save()
    assert {link.url for link in cited["secrets"]} <= _urls(read_api)


def test_has_conflicts_does_not_reveal_a_conflicting_draft_to_a_read_key(read_api, write_api,
                                                                        cited):
    published, draft = cited["published"], cited["draft"]
    low, high = sorted([published, draft], key=lambda c: c.pk)
    ClaimRelation.objects.create(from_claim=low, to_claim=high, kind=RelationKind.CONFLICTS_WITH)

    def ids(client, value):
        response = client.get(f"/api/v1/claims/?has_conflicts={value}")
        return {row["id"] for row in response.json()["results"]}

    assert ids(read_api, "true") == set()
    assert published.pk in ids(read_api, "false")
    assert published.pk in ids(write_api, "true")


# --- keys that outlived their editor ------------------------------------------------


@pytest.mark.parametrize("name", CALL_NAMES)
def test_a_deactivated_editors_key_gets_401_everywhere(api_key, api_client, editor, world,
                                                       name):
    client = api_client(api_key("write"))
    editor.is_active = False
    editor.save()
    response, _ = _run(client, world, name)
    assert response.status_code == 401, response.content
    assert "deactivated" in response.json()["detail"]


@pytest.mark.parametrize("name", CALL_NAMES)
def test_a_key_of_an_editor_removed_from_the_group_gets_403_everywhere(api_key, api_client,
                                                                       editor, world, name):
    client = api_client(api_key("write"))
    editor.groups.clear()
    response, _ = _run(client, world, name)
    assert response.status_code == 403, response.content


@pytest.mark.parametrize("name", CALL_NAMES)
def test_a_revoked_write_key_gets_401_everywhere(api_key, api_client, world, name):
    raw = api_key("write")
    revoke(ApiKey.objects.get(key_hash=hash_key(raw)))
    response, _ = _run(api_client(raw), world, name)
    assert response.status_code == 401


def test_a_read_key_acting_for_a_deactivated_user_gets_401(api_key, api_client, editor):
    client = api_client(api_key("read", user=editor))
    assert client.get("/api/v1/claims/").status_code == 200
    editor.is_active = False
    editor.save()
    assert client.get("/api/v1/claims/").status_code == 401


def test_a_former_editors_key_sees_no_draft_and_cannot_extract(api_key, api_client, editor,
                                                              world):
    client = api_client(api_key("write"))
    editor.groups.clear()
    assert client.get(f"/api/v1/claims/{world['draft'].pk}/").status_code == 403
    assert client.post("/api/v1/extract/", {"text": "It rained."},
                       format="json").status_code == 403
