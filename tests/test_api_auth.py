"""Who may call what: every kind of caller on every endpoint, keys, throttling."""

import pytest
from django.core.management import CommandError, call_command

from claims.models import Claim
from newsrooms.keys import find_key, hash_key, revoke
from newsrooms.models import ApiKey

from .api_data import claim_body, kcna, reviewed_claim
from .factories import AttributionFactory, ClaimFactory


@pytest.fixture
def world(editor):
    source = kcna()
    published = reviewed_claim(editor, source=source)
    draft = ClaimFactory(published=False)
    # Cited by the published claim: read keys see links only through one.
    link = published.evidence.get().link
    return {"published": published, "draft": draft, "source": source, "link": link}


def _calls(w):
    """(name, method, path, body, extra headers, success status). Writes get fresh rows."""
    c = w["published"].pk
    return [
        ("list claims", "get", "/api/v1/claims/", None, {}, 200),
        ("get claim", "get", f"/api/v1/claims/{c}/", None, {}, 200),
        ("claimreview", "get", f"/api/v1/claims/{c}/claimreview/", None, {}, 200),
        ("claimreview feed", "get", "/api/v1/claimreviews/", None, {}, 200),
        ("list sources", "get", "/api/v1/sources/", None, {}, 200),
        ("get source", "get", f"/api/v1/sources/{w['source'].pk}/", None, {}, 200),
        ("list links", "get", "/api/v1/links/", None, {}, 200),
        ("get link", "get", f"/api/v1/links/{w['link'].pk}/", None, {}, 200),
        ("create claim", "post", "/api/v1/claims/", claim_body(), {}, 201),
        ("patch claim", "patch", "/api/v1/claims/{fresh}/", {"summary_en": "edited"},
         {"HTTP_IF_MATCH": '"1"'}, 200),
        ("put claim", "put", "/api/v1/claims/{fresh}/", claim_body(version=1), {}, 200),
        ("change status", "post", "/api/v1/claims/{fresh}/status/", {"to": "in_review"}, {},
         200),
        ("create link", "post", "/api/v1/links/", {"url": "https://new.example.org/x"}, {}, 201),
        ("accept proposals", "post", "/api/v1/extract/accept/", {
            "language": "en", "claims": [{"text": "Two missiles were fired", "attributions": [
                {"role": "claimant", "source": w["source"].pk}]}]}, {}, 201),
    ]


CALL_NAMES = [call[0] for call in _calls({"published": Claim(pk=1), "source": Claim(pk=1),
                                          "link": Claim(pk=1)})]
WRITES = {"create claim", "patch claim", "put claim", "change status", "create link",
          "accept proposals"}


def _run(client, world, name):
    _, method, path, body, headers, ok = next(c for c in _calls(world) if c[0] == name)
    if "{fresh}" in path:
        # A claimant, so the workflow lets it leave "unverified".
        path = path.format(fresh=AttributionFactory(claim__published=True).claim.pk)
    return getattr(client, method)(path, body, format="json", **headers), ok


@pytest.mark.django_db
@pytest.mark.parametrize("name", CALL_NAMES)
def test_anonymous_callers_get_401_on_every_endpoint(api_client, world, name):
    response, _ = _run(api_client(), world, name)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.django_db
@pytest.mark.parametrize("name", CALL_NAMES)
def test_a_read_key_may_read_everything_and_write_nothing(read_api, world, name):
    response, ok = _run(read_api, world, name)
    assert response.status_code == (403 if name in WRITES else ok), response.content


@pytest.mark.django_db
@pytest.mark.parametrize("name", CALL_NAMES)
def test_a_write_key_may_do_everything(write_api, world, name):
    response, ok = _run(write_api, world, name)
    assert response.status_code == ok, response.content


@pytest.mark.django_db
@pytest.mark.parametrize("name", CALL_NAMES)
def test_an_editor_session_may_do_everything(api_client, editor, world, name):
    response, ok = _run(api_client(user=editor), world, name)
    assert response.status_code == ok, response.content


@pytest.mark.django_db
@pytest.mark.parametrize("name", CALL_NAMES)
def test_a_viewer_session_may_read_but_not_write(api_client, viewer, world, name):
    response, ok = _run(api_client(user=viewer), world, name)
    assert response.status_code == (403 if name in WRITES else ok), response.content


@pytest.mark.django_db
@pytest.mark.parametrize("name", CALL_NAMES)
def test_a_signed_in_non_staff_user_may_do_nothing(api_client, outsider, world, name):
    response, _ = _run(api_client(user=outsider), world, name)
    assert response.status_code == 403


@pytest.mark.django_db
def test_a_write_key_stops_writing_when_its_editor_leaves_the_editors_group(
        api_key, api_client, editor):
    client = api_client(api_key("write"))
    editor.groups.clear()
    response = client.post("/api/v1/claims/", claim_body(), format="json")
    assert response.status_code == 403


@pytest.mark.django_db
def test_read_keys_see_published_claims_only_in_lists_and_details(read_api, write_api, world):
    listed = {c["id"] for c in read_api.get("/api/v1/claims/").json()["results"]}
    assert listed == {world["published"].pk}
    assert read_api.get(f"/api/v1/claims/{world['draft'].pk}/").status_code == 404
    assert read_api.get("/api/v1/claims/?published=false").json()["results"] == []

    everything = {c["id"] for c in write_api.get("/api/v1/claims/").json()["results"]}
    assert everything == {world["published"].pk, world["draft"].pk}


@pytest.mark.django_db
def test_create_api_key_prints_the_key_last_and_stores_only_its_hash(editor, capsys):
    call_command("create_api_key", "Daily Planet", "--scope", "write", "--user", "editor")
    raw = capsys.readouterr().out.strip().splitlines()[-1]
    key = ApiKey.objects.get()
    assert raw.startswith("fck_") and len(raw) > 40
    assert key.key_hash == hash_key(raw) and raw not in (key.key_hash, key.prefix)
    assert (key.scope, key.user, key.newsroom.name) == ("write", editor, "Daily Planet")


@pytest.mark.django_db
def test_a_write_key_needs_an_editor_to_act_for(outsider):
    with pytest.raises(CommandError, match="editor"):
        call_command("create_api_key", "Daily Planet", "--scope", "write")
    with pytest.raises(CommandError, match="editor"):
        call_command("create_api_key", "Daily Planet", "--scope", "write", "--user", "outsider")
    assert not ApiKey.objects.exists()


@pytest.mark.django_db
def test_a_revoked_key_gets_401_from_the_next_request_on(api_key, api_client):
    raw = api_key("read")
    client = api_client(raw)
    assert client.get("/api/v1/claims/").status_code == 200
    revoke(ApiKey.objects.get(key_hash=hash_key(raw)))
    response = client.get("/api/v1/claims/")
    assert response.status_code == 401
    assert response.json()["detail"] == "Unknown or revoked API key."


@pytest.mark.django_db
def test_a_key_revoked_elsewhere_gets_401_from_the_next_request_on(api_key, api_client):
    """No process keeps keys in memory: a revocation written by another process (the
    admin, another web worker) is read by this one on its next request."""
    from django.utils import timezone

    raw = api_key("read")
    client = api_client(raw)
    assert client.get("/api/v1/claims/").status_code == 200
    ApiKey.objects.filter(key_hash=hash_key(raw)).update(revoked_at=timezone.now())
    assert client.get("/api/v1/claims/").status_code == 401


@pytest.mark.django_db
def test_find_key_reads_what_the_orm_reads_in_one_query(api_key, django_assert_num_queries):
    """The hand-written lookup gives the key and its user as select_related would."""
    for scope in ("read", "write"):
        raw = api_key(scope, rate_per_minute=7)
        want = ApiKey.objects.active().select_related("user").get(key_hash=hash_key(raw))
        with django_assert_num_queries(1):
            got = find_key(raw)
            user = got.user
        assert got.pk == want.pk and got._state.adding is False
        assert {f.attname: getattr(got, f.attname) for f in ApiKey._meta.concrete_fields} == \
            {f.attname: getattr(want, f.attname) for f in ApiKey._meta.concrete_fields}
        if scope == "write":
            assert user.pk == want.user.pk and user.username == want.user.username
            assert user.is_active and user.password == want.user.password
        else:
            assert user is None
    assert find_key("fck_nothing_here") is None


@pytest.mark.django_db
def test_a_key_records_when_it_was_last_used(api_key, api_client):
    raw = api_key("read")
    assert ApiKey.objects.get().last_used_at is None
    api_client(raw).get("/api/v1/sources/")
    assert ApiKey.objects.get().last_used_at is not None


@pytest.mark.django_db
@pytest.mark.parametrize("header", ["Bearer", "Bearer a b", "Bearer fck_nope",
                                    "Bearer fck_\u00e9\u00e9"])
def test_malformed_or_unknown_keys_get_401(api_client, header):
    client = api_client()
    client.credentials(HTTP_AUTHORIZATION=header)
    response = client.get("/api/v1/claims/")
    assert response.status_code == 401
    assert response.json()["status"] == 401


@pytest.mark.django_db
def test_over_the_rate_a_key_gets_429_with_retry_after(api_key, api_client):
    client = api_client(api_key("read", rate_per_minute=3))
    statuses = [client.get("/api/v1/sources/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get("/api/v1/sources/")
    assert 1 <= int(response["Retry-After"]) <= 60
    assert response.json()["code"] == "throttled"
    assert response.json()["retry_after"] == int(response["Retry-After"])


@pytest.mark.django_db
def test_the_rate_is_counted_per_key(api_key, api_client):
    first = api_client(api_key("read", rate_per_minute=1))
    second = api_client(api_key("read", rate_per_minute=1))
    assert first.get("/api/v1/sources/").status_code == 200
    assert first.get("/api/v1/sources/").status_code == 429
    assert second.get("/api/v1/sources/").status_code == 200


@pytest.mark.django_db
def test_the_rate_count_is_in_the_shared_cache(api_key, api_client):
    """A second process sees the same count: the counter is in Redis, not in memory."""
    from django.conf import settings
    from django.core.cache import cache

    assert "redis" in settings.CACHES["default"]["BACKEND"].lower()
    raw = api_key("read", rate_per_minute=5)
    api_client(raw).get("/api/v1/sources/")
    prefix = ApiKey.objects.get().prefix
    import time

    slot = f"api-throttle:k{prefix}:{int(time.time() // 60)}"
    assert cache.get(slot) == 1


@pytest.mark.django_db
def test_the_schema_and_the_docs_are_public_and_served_without_a_cdn(api_client):
    client = api_client()
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "swagger-ui" in html
    for cdn in ("cdn.jsdelivr", "unpkg.com", "cdnjs", "//cdn."):
        assert cdn not in html
    assert "/static/drf_spectacular_sidecar/" in html


@pytest.mark.django_db
def test_the_schema_documents_the_bearer_scheme_and_every_endpoint(api_client):
    schema = api_client().get("/api/schema/?format=json").json()
    assert schema["components"]["securitySchemes"]["newsroomKey"]["scheme"] == "bearer"
    paths = set(schema["paths"])
    for path in ("/api/v1/claims/", "/api/v1/claims/{id}/", "/api/v1/claims/{id}/status/",
                 "/api/v1/claims/{id}/claimreview/", "/api/v1/claimreviews/",
                 "/api/v1/sources/", "/api/v1/sources/{id}/", "/api/v1/links/",
                 "/api/v1/links/{id}/"):
        assert path in paths
    claim_list = schema["paths"]["/api/v1/claims/"]["get"]
    params = {p["name"] for p in claim_list["parameters"]}
    assert {"q", "status", "source", "source_kind", "role", "language", "tag", "made_after",
            "updated_since", "has_conflicts", "link_health", "published", "cursor",
            "page_size", "ordering"} <= params
    assert {"400", "401", "403", "429"} <= set(claim_list["responses"])


@pytest.mark.django_db
def test_the_schema_validates_without_a_single_warning(tmp_path):
    # Warnings are how drf-spectacular says the schema guessed (an untyped field,
    # two enums with one name): a guessed schema misleads client generators.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file",
                 str(tmp_path / "schema.yml"))
    assert (tmp_path / "schema.yml").read_text().startswith("openapi: 3")
