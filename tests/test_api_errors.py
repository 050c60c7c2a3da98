"""Bad input gets a 4xx in the one JSON error shape: never HTML, never a 500."""

import json

import pytest
from django.test import Client

from claims.models import Claim

from .api_data import claim_body, kcna
from .factories import ClaimFactory


@pytest.fixture
def raw_post(api_key):
    """POST raw bytes as a write key, as a client that does not go through a JSON library."""
    client = Client(HTTP_AUTHORIZATION=f"Bearer {api_key('write')}")

    def post(path, data: bytes, content_type="application/json"):
        return client.generic("POST", path, data, content_type=content_type)

    return post


def assert_error_shape(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["status"] == status and body["code"] and body["detail"]
    return body


@pytest.mark.django_db
@pytest.mark.parametrize("data", [
    b"{", b'{"text": "a",}', b"[1, 2", b"nul", b"", b"NaN", b'{"text": Infinity}',
    b"\xef\xbb\xbf{}",
])
def test_malformed_json_is_a_400(raw_post, data):
    body = assert_error_shape(raw_post("/api/v1/claims/", data), 400)
    assert body["code"] in ("parse_error", "invalid")


@pytest.mark.django_db
@pytest.mark.parametrize("data", [b'{"text": "\xff\xfe"}', b'{"text": "caf\xe9"}'])
def test_a_body_that_is_not_utf8_is_a_400(raw_post, data):
    body = assert_error_shape(raw_post("/api/v1/claims/", data), 400)
    assert "UTF-8" in body["detail"]


@pytest.mark.django_db
@pytest.mark.parametrize("data", [
    b'{"text": "a\\u0000b", "language": "en"}', b'{"te\\u0000xt": "a"}',
    b'{"text": "\\ud800", "language": "en"}',
])
def test_nul_characters_and_lone_surrogates_are_a_400(raw_post, data):
    assert_error_shape(raw_post("/api/v1/claims/", data), 400)
    assert not Claim.objects.exists()


@pytest.mark.django_db
def test_a_body_over_the_limit_is_a_413(raw_post, settings):
    settings.API_MAX_BODY_BYTES = 1000
    data = json.dumps(claim_body(text="x" * 2000)).encode()
    body = assert_error_shape(raw_post("/api/v1/claims/", data), 413)
    assert body["code"] == "too_large"


@pytest.mark.django_db
def test_a_non_json_body_is_a_415(raw_post):
    response = raw_post("/api/v1/claims/", b"text=hello", content_type="text/plain")
    assert_error_shape(response, 415)


@pytest.mark.django_db
@pytest.mark.parametrize("override, field", [
    ({"text": 12}, None),  # numbers are accepted as text by DRF; a 201 is fine too
    ({"text": ["a list"]}, "text"),
    ({"text": {"an": "object"}}, "text"),
    ({"published": "perhaps"}, "published"),
    ({"made_on": "yesterday"}, "made_on"),
    ({"made_on": "2024-02-30"}, "made_on"),
    ({"tags": "not-a-list"}, "tags"),
    ({"tags": ["has space"]}, "tags[0]"),
    ({"quantity": "600"}, "quantity.non_field_errors"),
    ({"quantity": {"value": "abc", "counted": "x"}}, "quantity.value"),
    ({"quantity": {"value": "1e400", "counted": "x"}}, "quantity.value"),
    ({"quantity": {"value": "9" * 30, "counted": "x"}}, "quantity.value"),
    ({"attributions": {"source": 1}}, "attributions.non_field_errors"),
    ({"attributions": [{"source": "abc", "role": "claimant"}]}, "attributions[0].source"),
    ({"attributions": [{"source": 10**30, "role": "claimant"}]}, "attributions[0].source"),
    ({"attributions": [{"source": 2**63, "role": "claimant"}]}, "attributions[0].source"),
    ({"attributions": [{"source": -1, "role": "claimant"}]}, "attributions[0].source"),
    ({"attributions": [{"source_alias": "KCNA", "role": "speaker"}]}, "attributions[0].role"),
    ({"attributions": [{"source_alias": "KCNA", "role": "claimant",
                        "credibility": 10**20}]}, "attributions[0].credibility"),
    ({"attributions": [{"source_alias": "KCNA", "role": "claimant",
                        "stance": "shrugs"}]}, "attributions[0].stance"),
    ({"evidence": [{"url": "https://x.example.org/", "relation": "vibes"}]},
     "evidence[0].relation"),
    ({"evidence": [{"url": "javascript:alert(1)", "relation": "supports"}]}, "evidence[0].url"),
    ({"quantity": {"value": "1", "qualifier": "roughly", "counted": "x"}},
     "quantity.qualifier"),
])
def test_wrong_types_unknown_enums_and_huge_numbers_name_the_field(write_api, override, field):
    kcna()
    response = write_api.post("/api/v1/claims/", claim_body(**override), format="json")
    if field is None:
        assert response.status_code in (201, 400)
        return
    body = assert_error_shape(response, 400)
    assert field in body["fields"], body


@pytest.mark.django_db
def test_a_body_that_is_not_an_object_is_a_400(write_api):
    for payload in ([1, 2], "text", 42, None):
        response = write_api.post("/api/v1/claims/", payload, format="json")
        assert_error_shape(response, 400)


@pytest.mark.django_db
@pytest.mark.parametrize("path", [
    "/api/v1/claims/99999999999999999999999/", "/api/v1/claims/9223372036854775808/",
    "/api/v1/claims/-1/", "/api/v1/claims/abc/", "/api/v1/sources/99999999999999999999/",
    "/api/v1/links/1e9/", "/api/v1/no-such-thing/",
])
def test_ids_beyond_range_or_not_numbers_are_a_json_404(read_api, path):
    assert_error_shape(read_api.get(path), 404)


@pytest.mark.django_db
@pytest.mark.parametrize("query, field", [
    ("status=bogus", "status"),
    ("source_kind=aliens", "source_kind"),
    ("role=speaker", "role"),
    ("link_health=meh", "link_health"),
    ("made_after=not-a-date", "made_after"),
    ("updated_since=yesterday", "updated_since"),
    ("has_conflicts=perhaps", "has_conflicts"),
    ("cursor=not-a-cursor", "cursor"),
    ("cursor=cD1ub3QtYS1kYXRl", "cursor"),  # base64 "p=not-a-date": a doctored position
    ("cursor=%E2%9C%93", "cursor"),
    ("page_size=0", "page_size"),
    ("page_size=-5", "page_size"),
    ("page_size=abc", "page_size"),
    ("page_size=99999999999999999999", "page_size"),
    ("ordering=password", "ordering"),
    ("ordering=-id,text", "ordering"),
    ("cursor=AAAA", "cursor"),
    ("cursor=cT1zZWNyZXQ%3D", "cursor"),  # base64 "q=secret": no position at all
    ("page_size=%C2%B2", "page_size"),  # ²
    ("page_size=%E2%91%A0", "page_size"),  # ①
    ("q=" + "x" * 300, "q"),
])
def test_bad_query_parameters_are_a_400_naming_them(read_api, query, field):
    ClaimFactory(published=True)
    response = read_api.get(f"/api/v1/claims/?{query}")
    body = assert_error_shape(response, 400)
    assert field in body["fields"], body


@pytest.mark.django_db
def test_a_cursor_with_a_huge_offset_is_answered_not_refused(read_api):
    # DRF caps a cursor's offset, so an edited offset costs nothing.
    response = read_api.get("/api/v1/claims/?cursor=bz05OTk5OTk5OTk5OTk5OTk5OTk5OTk5")
    assert response.status_code == 200 and response.json()["results"] == []


@pytest.mark.django_db
def test_an_absurd_but_numeric_page_size_is_clamped_to_the_maximum(read_api):
    for _ in range(3):
        ClaimFactory(published=True)
    response = read_api.get("/api/v1/claims/?page_size=100000")
    assert response.status_code == 200 and len(response.json()["results"]) == 3


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["q=a%00b", "source=%00", "a%00=1", "q=%ff%fe", "tag=%c3"])
def test_nul_or_broken_utf8_in_the_query_string_is_a_400(read_api, query):
    assert_error_shape(read_api.get(f"/api/v1/claims/?{query}"), 400)


@pytest.mark.django_db
@pytest.mark.parametrize("value", [
    "<script>alert(1)</script>", "'; DROP TABLE claims_claim; --", "\" OR 1=1 --",
    "{{7*7}}", "<img src=x onerror=alert(1)>", "%s%s%s%n", "🦀" * 50,
])
def test_sql_or_script_strings_are_stored_as_text_and_returned_escaped(write_api, value):
    kcna()
    response = write_api.post("/api/v1/claims/", claim_body(text=value, summary_en=value),
                              format="json")
    assert response.status_code == 201
    assert b"<" not in response.content and b">" not in response.content
    assert response.json()["text"] == value  # escaped in transit, intact once parsed
    assert Claim.objects.get().text == value
    search = write_api.get("/api/v1/claims/", {"q": value})
    assert search.status_code == 200


@pytest.mark.django_db
def test_a_claim_text_over_its_limit_is_a_400(write_api):
    kcna()
    response = write_api.post("/api/v1/claims/", claim_body(text="x" * 20001), format="json")
    assert "text" in assert_error_shape(response, 400)["fields"]


@pytest.mark.django_db
def test_too_many_nested_items_is_a_400(write_api):
    kcna()
    evidence = [{"url": f"https://x.example.org/{i}", "relation": "supports"}
                for i in range(101)]
    response = write_api.post("/api/v1/claims/", claim_body(evidence=evidence), format="json")
    assert "evidence.non_field_errors" in assert_error_shape(response, 400)["fields"]


@pytest.mark.django_db
def test_a_bad_if_match_header_is_a_400(write_api):
    claim = ClaimFactory()
    response = write_api.patch(f"/api/v1/claims/{claim.pk}/", {"summary_en": "x"},
                               format="json", HTTP_IF_MATCH="not-a-version")
    assert "If-Match" in assert_error_shape(response, 400)["fields"]


@pytest.mark.django_db
def test_methods_an_endpoint_lacks_get_a_json_405(write_api):
    claim = ClaimFactory()
    assert_error_shape(write_api.delete(f"/api/v1/claims/{claim.pk}/"), 405)


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["²", "①", "٣", "12²"])
def test_a_source_that_looks_like_a_digit_to_unicode_is_an_alias_not_a_500(read_api, value):
    response = read_api.get("/api/v1/claims/", {"source": value})
    assert response.status_code == 200, response.content
    assert response.json()["results"] == []


@pytest.mark.django_db
def test_known_orderings_still_work(read_api):
    a, b = ClaimFactory(published=True), ClaimFactory(published=True)
    ids = [c["id"] for c in read_api.get("/api/v1/claims/?ordering=-id").json()["results"]]
    assert ids == [b.pk, a.pk]


@pytest.mark.django_db
def test_a_10000_character_query_is_our_json_414(read_api):
    response = read_api.get("/api/v1/claims/?q=" + "x" * 10_000)
    assert_error_shape(response, 414)
    assert response.json()["code"] == "uri_too_long"


@pytest.mark.django_db
@pytest.mark.parametrize("value", [5, 5.5, True, ["a"], {"a": 1}])
def test_text_fields_take_strings_only(write_api, value):
    from .api_data import claim_body, kcna

    kcna()
    response = write_api.post("/api/v1/claims/", claim_body(text=value), format="json")
    body = assert_error_shape(response, 400)
    assert list(body["fields"]) == ["text"]


@pytest.mark.django_db
def test_the_schema_states_the_page_size_the_server_takes(api_client, editor):
    schema = api_client(user=editor).get("/api/schema/", {"format": "json"}).json()
    for path in ("/api/v1/claims/", "/api/v1/links/", "/api/v1/sources/"):
        (page_size,) = [p for p in schema["paths"][path]["get"]["parameters"]
                        if p["name"] == "page_size"]
        assert page_size["schema"] == {"type": "integer", "minimum": 1, "maximum": 999_999_999}
