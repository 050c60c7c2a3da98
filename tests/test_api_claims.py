"""Claims over the API: nested writes, versions, the workflow, filters, caching, query counts."""

import pytest

from claims.models import (
    Attribution,
    Claim,
    ClaimRelation,
    Evidence,
    Quantity,
    StatusChange,
    Tag,
)
from sources.models import Link

from .api_data import claim_body, kcna, reviewed_claim
from .factories import AttributionFactory, ClaimFactory, EvidenceFactory, LinkFactory


@pytest.fixture
def source(db):
    return kcna()


@pytest.mark.django_db
def test_a_claim_is_created_with_attributions_figure_and_evidence_in_one_request(
        write_api, source, editor):
    response = write_api.post("/api/v1/claims/", claim_body(), format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    claim = Claim.objects.get(pk=body["id"])
    assert claim.created_by == editor and claim.version == 1 and claim.status == "unverified"
    (attribution,) = body["attributions"]
    assert attribution["source"]["id"] == source.pk  # found by its alias
    assert attribution["link"]["url"] == "https://kcna.example.org/item/9"  # normalised
    assert body["quantity"]["in_words"] == "~600 soldiers killed"
    assert body["evidence"][0]["link"]["health"] == "unchecked"
    assert body["tags"] == ["ukraine-war"]
    assert body["history"] == []


@pytest.mark.django_db
def test_sources_can_be_referenced_by_id(write_api, source):
    body = claim_body(attributions=[{"source": source.pk, "role": "outlet"}])
    response = write_api.post("/api/v1/claims/", body, format="json")
    assert response.status_code == 201
    assert response.json()["attributions"][0]["role"] == "outlet"


@pytest.mark.django_db
@pytest.mark.parametrize("bad_part, field", [
    ({"attributions": [{"source_alias": "KCNA", "role": "claimant"},
                       {"source_alias": "nobody we know", "role": "claimant"}]},
     "attributions[1].source_alias"),
    ({"attributions": [{"source_alias": "KCNA", "role": "claimant"},
                       {"source_alias": "KCNA", "role": "claimant"}]}, "attributions[1]"),
    ({"quantity": {"qualifier": "range", "lower": "10", "upper": "5",
                   "counted": "soldiers"}}, "quantity.lower"),
    ({"evidence": [{"url": "https://ok.example.org/a", "relation": "supports"},
                   {"url": "ftp://files.example.org/x", "relation": "supports"}]},
     "evidence[1].url"),
    ({"language": "not a language"}, "language"),
])
def test_a_nested_write_with_one_bad_part_saves_nothing(write_api, source, bad_part, field):
    response = write_api.post("/api/v1/claims/", claim_body(**bad_part), format="json")

    assert response.status_code == 400, response.content
    assert field in response.json()["fields"], response.json()
    assert not Claim.objects.exists()
    assert not Attribution.objects.exists() and not Evidence.objects.exists()
    assert not Quantity.objects.exists()
    assert not Link.objects.exists()  # links made for the failed write rolled back too


@pytest.mark.django_db
def test_status_reviewer_version_and_history_cannot_be_mass_assigned(write_api, source):
    body = claim_body(status="supported", version=99, reviewed_by=1, reviewed_at="2020-01-01",
                      history=[{"to_status": "false"}], created_by=1, id=12345)
    response = write_api.post("/api/v1/claims/", body, format="json")
    assert response.status_code == 201
    claim = Claim.objects.get()
    assert (claim.status, claim.version, claim.reviewed_by, claim.reviewed_at) == (
        "unverified", 1, None, None)
    assert claim.pk != 12345 and not StatusChange.objects.exists()


@pytest.mark.django_db
def test_an_update_with_the_current_version_replaces_nested_parts_and_bumps_the_version(
        write_api, source):
    claim_id = write_api.post("/api/v1/claims/", claim_body(), format="json").json()["id"]
    patch = {"summary_en": "Edited", "attributions": [{"source": source.pk, "role": "conduit"}]}
    response = write_api.patch(f"/api/v1/claims/{claim_id}/", patch, format="json",
                               HTTP_IF_MATCH='"1"')
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["version"] == 2 and body["summary_en"] == "Edited"
    assert [a["role"] for a in body["attributions"]] == ["conduit"]
    assert body["quantity"]["counted"] == "soldiers killed"  # untouched by the PATCH


@pytest.mark.django_db
@pytest.mark.parametrize("how", ["header", "field"])
def test_an_update_carrying_a_stale_version_gets_412_and_changes_nothing(write_api, source, how):
    claim_id = write_api.post("/api/v1/claims/", claim_body(), format="json").json()["id"]
    assert write_api.patch(f"/api/v1/claims/{claim_id}/", {"summary_en": "First"},
                           format="json", HTTP_IF_MATCH='"1"').status_code == 200
    stale = {"summary_en": "Second, from an old copy"}
    kwargs = {"HTTP_IF_MATCH": 'W/"1"'} if how == "header" else {}
    if how == "field":
        stale["version"] = 1
    response = write_api.patch(f"/api/v1/claims/{claim_id}/", stale, format="json", **kwargs)

    assert response.status_code == 412
    assert response.json()["code"] == "version_conflict"
    assert response.json()["current_version"] == 2
    claim = Claim.objects.get(pk=claim_id)
    assert (claim.summary_en, claim.version) == ("First", 2)


@pytest.mark.django_db
def test_a_put_with_a_stale_version_gets_412(write_api, source):
    claim_id = write_api.post("/api/v1/claims/", claim_body(), format="json").json()["id"]
    write_api.put(f"/api/v1/claims/{claim_id}/", claim_body(version=1), format="json")
    response = write_api.put(f"/api/v1/claims/{claim_id}/", claim_body(version=1),
                             format="json")
    assert response.status_code == 412


@pytest.mark.django_db
def test_an_update_without_any_version_gets_428(write_api, source):
    claim_id = write_api.post("/api/v1/claims/", claim_body(), format="json").json()["id"]
    response = write_api.patch(f"/api/v1/claims/{claim_id}/", {"summary_en": "x"},
                               format="json")
    assert response.status_code == 428
    assert response.json()["code"] == "version_required"


@pytest.mark.django_db
def test_if_match_and_version_field_must_agree(write_api, source):
    claim_id = write_api.post("/api/v1/claims/", claim_body(), format="json").json()["id"]
    response = write_api.patch(f"/api/v1/claims/{claim_id}/", {"summary_en": "x", "version": 2},
                               format="json", HTTP_IF_MATCH='"1"')
    assert response.status_code == 400
    assert "version" in response.json()["fields"]


@pytest.mark.django_db
def test_a_failing_update_rolls_back_every_part(write_api, source):
    claim_id = write_api.post("/api/v1/claims/", claim_body(), format="json").json()["id"]
    bad = {"summary_en": "Should not stick",
           "attributions": [{"source": source.pk, "role": "conduit"},
                            {"source_alias": "KCNA", "role": "conduit"}]}
    response = write_api.patch(f"/api/v1/claims/{claim_id}/", bad, format="json",
                               HTTP_IF_MATCH='"1"')
    assert response.status_code == 400
    claim = Claim.objects.get(pk=claim_id)
    assert claim.version == 1 and claim.summary_en != "Should not stick"
    assert list(claim.attributions.values_list("role", flat=True)) == ["claimant"]


@pytest.mark.django_db
def test_the_status_action_records_actor_and_note(write_api, editor):
    claim = AttributionFactory().claim
    response = write_api.post(f"/api/v1/claims/{claim.pk}/status/",
                              {"to": "in_review", "note": "Checking with Seoul"}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "in_review" and body["version"] == 2
    assert body["history"] == [{"from_status": "unverified", "to_status": "in_review",
                                "at": body["history"][0]["at"], "actor": "editor",
                                "note": "Checking with Seoul"}]


@pytest.mark.django_db
def test_a_transition_the_workflow_forbids_gets_409_with_the_allowed_ones(write_api):
    claim = ClaimFactory()
    response = write_api.post(f"/api/v1/claims/{claim.pk}/status/", {"to": "supported"},
                              format="json")
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "transition_not_allowed"
    assert body["allowed"] == ["in_review", "retracted"]
    assert body["current_status"] == "unverified"
    claim.refresh_from_db()
    assert claim.status == "unverified" and not StatusChange.objects.exists()


@pytest.mark.django_db
def test_an_unknown_status_is_a_400_naming_the_field(write_api):
    claim = ClaimFactory()
    response = write_api.post(f"/api/v1/claims/{claim.pk}/status/", {"to": "very_true"},
                              format="json")
    assert response.status_code == 400
    assert "to" in response.json()["fields"]


@pytest.mark.django_db
def test_an_editor_moves_a_claim_through_the_workflow_to_a_verdict(write_api, source):
    claim_id = write_api.post("/api/v1/claims/", claim_body(published=True),
                              format="json").json()["id"]
    url = f"/api/v1/claims/{claim_id}/status/"
    assert write_api.post(url, {"to": "in_review"}, format="json").status_code == 200
    response = write_api.post(url, {"to": "false", "rationale": "Contradicted by Kyiv",
                                    "note": "done"}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["verdict"], body["verdict_rationale"]) == (
        "false", "false", "Contradicted by Kyiv")
    assert body["reviewed_at"] is not None
    assert [h["to_status"] for h in body["history"]] == ["in_review", "false"]


# --- filters ------------------------------------------------------------------

def _ids(client, query):
    response = client.get(f"/api/v1/claims/?{query}")
    assert response.status_code == 200, response.content
    return {c["id"] for c in response.json()["results"]}


@pytest.mark.django_db
def test_filters_narrow_the_list(write_api, editor, source):
    from sources.registry import create_source

    nis = create_source("National Intelligence Service", aliases=["NIS", "국가정보원"],
                        kind="intelligence", country="KR")
    a = reviewed_claim(editor, source=source, language="az", made_on="2024-10-18")
    b = ClaimFactory(language="ko", made_on="2024-11-02", about_start="2024-10-01",
                     about_end="2024-10-31", published=False)
    AttributionFactory(claim=b, source=nis, role="claimant")
    AttributionFactory(claim=b, source=source, role="conduit")
    b.tags.create(name="casualties")
    c = ClaimFactory(language="en", published=True)
    EvidenceFactory(claim=c, link=LinkFactory(url="https://gone.example.org/", health="broken"))
    ClaimRelation.objects.create(from_claim=a, to_claim=c, kind="conflicts_with")

    assert _ids(write_api, "status=false") == {a.pk}
    assert _ids(write_api, "status=false&status=unverified") == {a.pk, b.pk, c.pk}
    assert _ids(write_api, "source=nis") == {b.pk}
    assert _ids(write_api, "source=국가정보원") == {b.pk}
    assert _ids(write_api, f"source={source.pk}") == {a.pk, b.pk}
    assert _ids(write_api, "source=KCNA&role=conduit") == {b.pk}
    assert _ids(write_api, "source=KCNA&role=claimant") == {a.pk}
    assert _ids(write_api, "source=nobody") == set()
    assert _ids(write_api, "source_kind=intelligence") == {b.pk}
    assert _ids(write_api, "role=conduit") == {b.pk}
    assert _ids(write_api, "language=ko") == {b.pk}
    assert _ids(write_api, "tag=casualties") == {b.pk}
    assert _ids(write_api, "made_after=2024-11-01") == {b.pk}
    assert _ids(write_api, "made_before=2024-10-31") == {a.pk}
    assert _ids(write_api, "about_after=2024-10-15&about_before=2024-10-20") == {b.pk}
    assert _ids(write_api, "has_conflicts=true") == {a.pk, c.pk}
    assert _ids(write_api, "has_conflicts=false") == {b.pk}
    assert _ids(write_api, "link_health=broken") == {c.pk}
    assert _ids(write_api, "published=false") == {b.pk}


@pytest.mark.django_db
def test_a_read_key_never_sees_drafts_even_as_related_claims(read_api, editor, source):
    shown = reviewed_claim(editor, source=source)
    draft = ClaimFactory(published=False)
    ClaimRelation.objects.create(from_claim=shown, to_claim=draft, kind="conflicts_with")
    body = read_api.get(f"/api/v1/claims/{shown.pk}/").json()
    assert body["related"] == []


@pytest.mark.django_db
def test_ordering_and_cursor_pages_walk_every_claim_once(write_api):
    made = {ClaimFactory().pk for _ in range(7)}
    seen, url = [], "/api/v1/claims/?page_size=3&ordering=id"
    while url:
        body = write_api.get(url).json()
        seen += [c["id"] for c in body["results"]]
        url = body["next"]
    assert seen == sorted(made)


# --- conditional GET ----------------------------------------------------------

@pytest.mark.django_db
def test_a_conditional_get_with_the_etag_gets_304_until_the_claim_changes(write_api, source):
    claim_id = write_api.post("/api/v1/claims/", claim_body(), format="json").json()["id"]
    first = write_api.get(f"/api/v1/claims/{claim_id}/")
    etag = first["ETag"]
    assert first["Last-Modified"]
    again = write_api.get(f"/api/v1/claims/{claim_id}/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    write_api.patch(f"/api/v1/claims/{claim_id}/", {"summary_en": "changed"}, format="json",
                    HTTP_IF_MATCH='"1"')
    assert write_api.get(f"/api/v1/claims/{claim_id}/",
                         HTTP_IF_NONE_MATCH=etag).status_code == 200


@pytest.mark.django_db
def test_a_conditional_list_get_with_if_modified_since_gets_304(write_api):
    ClaimFactory()
    first = write_api.get("/api/v1/claims/")
    again = write_api.get("/api/v1/claims/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert again.status_code == 304
    assert "Authorization" in first["Vary"]


# --- query counts -------------------------------------------------------------

def _fan_out(editor, n):
    from sources.registry import create_source

    sources = [create_source(f"Source {i}", aliases=[f"S{i}"]) for i in range(3)]
    for i in range(n):
        claim = reviewed_claim(editor, source=sources[i % 3]) if i % 5 == 0 else \
            ClaimFactory(published=True)
        for j, role in enumerate(("conduit", "outlet")):
            AttributionFactory(claim=claim, source=sources[(i + j + 1) % 3], role=role,
                               link=LinkFactory())
        EvidenceFactory(claim=claim)
        claim.tags.add(Tag.objects.get_or_create(name=f"tag-{i % 4}")[0])


@pytest.mark.django_db
@pytest.mark.parametrize("page_size", [5, 60])
def test_a_list_page_costs_the_same_few_queries_whatever_its_size(
        api_key, api_client, editor, django_assert_max_num_queries, page_size):
    _fan_out(editor, 60)
    client = api_client(api_key("read"))
    # auth key, throttle is Redis; claims, attributions, evidence, tags, 2 relations.
    with django_assert_max_num_queries(8):
        response = client.get(f"/api/v1/claims/?page_size={page_size}")
    assert len(response.json()["results"]) == page_size


@pytest.mark.django_db
def test_a_claim_detail_and_the_claimreview_feed_are_bounded_too(
        api_key, api_client, editor, django_assert_max_num_queries):
    _fan_out(editor, 30)
    client = api_client(api_key("read"))
    claim_id = Claim.objects.filter(status="false").first().pk
    with django_assert_max_num_queries(9):
        assert client.get(f"/api/v1/claims/{claim_id}/").status_code == 200
    with django_assert_max_num_queries(8):
        assert len(client.get("/api/v1/claimreviews/?page_size=50").json()["results"]) == 6
    with django_assert_max_num_queries(6):
        assert client.get("/api/v1/sources/").status_code == 200


@pytest.mark.django_db
def test_the_status_action_wants_a_claimant_before_review_and_a_rationale_for_a_verdict(
        write_api, editor):
    claim = ClaimFactory()
    url = f"/api/v1/claims/{claim.pk}/status/"
    response = write_api.post(url, {"to": "in_review"}, format="json")
    assert response.status_code == 400
    assert "at least one claimant" in response.json()["fields"]["status"][0]
    AttributionFactory(claim=claim)
    assert write_api.post(url, {"to": "in_review"}, format="json").status_code == 200
    response = write_api.post(url, {"to": "false"}, format="json")
    assert response.status_code == 400
    assert "needs a rationale" in response.json()["fields"]["verdict_rationale"][0]
