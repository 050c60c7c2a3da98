"""POST /api/v1/extract/: proposals for any valid key, clear 4xx for bad input, nothing written."""
# ruff: noqa: F811  (the `site` fixture imported from tests/extraction_site.py)

from pathlib import Path

import pytest
from django.core.management import call_command

from claims.models import Attribution, Claim
from importer import MAX_CHARS
from sources.models import Link, Source

from .extraction_site import site  # noqa: F401

URL = "/api/v1/extract/"
SEED = (Path(__file__).parent / "data" / "seed_article_az.txt").read_text(encoding="utf-8")
pytestmark = pytest.mark.django_db

@pytest.fixture
def demo(db):
    call_command("load_demo", verbosity=0)


def counts():
    return (Claim.objects.count(), Attribution.objects.count(), Source.objects.count(),
            Link.objects.count())


def test_a_read_key_gets_the_seed_articles_claims_with_sources_roles_and_figures(demo, read_api):
    before = counts()
    response = read_api.post(URL, {"text": SEED, "language": "az"}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["language"] == "az" and body["detected"] is False
    assert len(body["claims"]) >= 8
    killed = next(c for c in body["claims"] if "600" in c["text"])
    assert killed["quantity"] == {"qualifier": "approximately", "value": "600", "lower": None,
                                  "upper": None, "unit": "", "counted": "Şimali Koreya əsgəri",
                                  "counted_kind": "killed", "as_said": "təxminən 600"}
    seoul = killed["attributions"][0]
    assert seoul["source"]["name"] == "Government of South Korea"
    assert (seoul["surface"], seoul["role"], seoul["stance"]) == ("Rəsmi Seulun", "claimant",
                                                                  "asserts")
    assert SEED[seoul["start"]:seoul["end"]] == "Rəsmi Seulun"
    assert SEED[killed["start"]:killed["end"]] == killed["text"]
    assert counts() == before


def test_the_language_is_detected_when_not_given(demo, read_api):
    response = read_api.post(URL, {"text": "According to the Joint Chiefs of Staff, the North "
                                           "fired two ballistic missiles on Tuesday."},
                             format="json")
    assert response.status_code == 200
    assert response.json()["language"] == "en" and response.json()["detected"] is True


def test_an_unknown_source_comes_back_as_a_proposed_source(db, write_api):
    response = write_api.post(URL, {"text": "По данным Генштаба ВСУ, за сутки сбиты 45 дронов.",
                                    "language": "ru"}, format="json")
    attribution = response.json()["claims"][0]["attributions"][0]
    assert attribution["source"] is None
    assert attribution["proposed_source"] == {"name": "Генштаб ВСУ", "kind": "military",
                                             "aliases": []}


def test_callers_without_a_key_or_staff_session_are_refused(db, api_client, outsider, editor):
    assert api_client().post(URL, {"text": SEED}, format="json").status_code == 401
    assert api_client(user=outsider).post(URL, {"text": SEED}, format="json").status_code in (
        401, 403)
    assert api_client(user=editor).post(URL, {"text": SEED}, format="json").status_code == 200


@pytest.mark.parametrize(("payload", "status", "code"), [
    ({}, 400, None),
    ({"text": ""}, 400, "empty"),
    ({"text": "   \n  "}, 400, "empty"),
    ({"text": "Rəsmi Seulun məlumatına görə\u0000 600 əsgər"}, 400, None),
    ({"text": "\x01\x02\x03\x04\x05\x06\x07\x08 binary \x0e\x0f\x10"}, 400, "unreadable_text"),
    ({"text": "According to officials, it rained.", "language": "xx"}, 400,
     "unsupported_language"),
    ({"text": "According to officials, it rained.", "language": "de"}, 400,
     "unsupported_language"),
    ({"text": "Nach Angaben des Ministeriums wurden gestern zwölf Drohnen über der Stadt "
              "abgeschossen, teilte ein Sprecher mit."}, 400, "unsupported_language"),
    ({"text": 12}, 400, None),
    ({"text": "x", "url": "https://example.org/a"}, 400, None),
    ({"url": "not a url"}, 400, None),
    ({"url": "http://169.254.169.254/latest/meta-data/"}, 400, "url_refused"),
    ({"url": "http://127.0.0.1:8000/admin/"}, 400, "url_refused"),
    ({"url": "ftp://example.org/file.txt"}, 400, None),
])
def test_bad_input_is_a_clear_4xx_and_writes_nothing(db, write_api, payload, status, code):
    before = counts()
    response = write_api.post(URL, payload, format="json")
    assert response.status_code == status, response.content
    body = response.json()
    assert body["status"] == status and body["detail"]
    if code:
        assert body["code"] == code
    assert counts() == before


def test_text_over_the_limit_is_413(db, read_api, settings):
    settings.API_MAX_BODY_BYTES = 4 * MAX_CHARS
    response = read_api.post(URL, {"text": "a" * (MAX_CHARS + 1)}, format="json")
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"


def test_a_body_over_the_api_limit_is_413(db, read_api, settings):
    settings.API_MAX_BODY_BYTES = 1000
    response = read_api.post(URL, {"text": "a" * 2000}, format="json")
    assert response.status_code == 413


def test_an_article_is_read_from_its_address(demo, write_api, site):
    before = counts()
    response = write_api.post(URL, {"url": f"{site}/article"}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["language"] == "az"
    assert "Rəsmi Seulun" in body["text"] and "Ana səhifə" not in body["text"]
    assert len(body["claims"]) >= 8
    for claim in body["claims"]:
        assert body["text"][claim["start"]:claim["end"]] == claim["text"]
    assert counts() == before


def test_a_read_key_may_not_make_the_server_fetch_an_address(db, read_api, site):
    response = read_api.post(URL, {"url": f"{site}/article"}, format="json")
    assert response.status_code == 403, response.content
    assert response.json()["fields"] == {"url": ["Needs a write key."]}


@pytest.mark.parametrize(("path", "code"), [("/empty", "no_main_text"),
                                            ("/file.bin", "no_main_text"),
                                            ("/missing", "no_main_text")])
def test_a_page_without_an_article_is_422(db, write_api, site, path, code):
    response = write_api.post(URL, {"url": f"{site}{path}"}, format="json")
    assert response.status_code == 422, response.content
    assert response.json()["code"] == code


def test_the_endpoint_is_documented_with_an_example(db, api_client, editor):
    schema = api_client(user=editor).get("/api/schema/", {"format": "json"}).json()
    operation = schema["paths"][URL]["post"]
    assert operation["operationId"] == "extract_claims"
    examples = operation["requestBody"]["content"]["application/json"]["examples"]
    assert any("Rəsmi Seulun" in str(e.get("value")) for e in examples.values())
    responses = operation["responses"]
    assert {"200", "400", "401", "413", "422"} <= set(responses)
    assert "examples" in responses["200"]["content"]["application/json"]
