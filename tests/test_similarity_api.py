"""GET /api/v1/claims/{id}/similar/ and POST /api/v1/claims/similar/."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.models import ClaimRelation
from similarity import finder, queue
from similarity.index import reset_shared_index
from similarity.models import NotRelated

from .factories import AttributionFactory, ClaimFactory, QuantityFactory, SourceFactory
from .similarity_data import (
    NK_300_EN,
    NK_DENIAL_RU,
    NK_KILLED,
    NK_WOUNDED_EN,
    UNRELATED_EN,
    fresh_index,  # noqa: F401
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def nis():
    return SourceFactory(name="National Intelligence Service")


def _claim(text, language="en", counted="North Korean soldiers killed", value=600,
           claimant=None, stance="asserts", published=True, made_on="2024-12-19"):
    claim = ClaimFactory(text=text, language=language, summary_en="", published=published,
                         made_on=made_on)
    if counted:
        QuantityFactory(claim=claim, value=value, qualifier="approximately", counted=counted)
    if claimant:
        AttributionFactory(claim=claim, source=claimant, role="claimant", stance=stance)
    return claim


@pytest.fixture
def cluster(nis):
    """The NIS figure in four languages, and four claims that only look like it."""
    moscow = SourceFactory(name="Russian Ministry of Defence")
    same = {lang: _claim(text, lang, claimant=nis) for lang, text in NK_KILLED.items()}
    hard = {
        "wounded": _claim(NK_WOUNDED_EN, counted="North Korean soldiers wounded", claimant=nis),
        "300": _claim(NK_300_EN, value=300, claimant=nis),
        "denial": _claim(NK_DENIAL_RU, "ru", claimant=moscow, stance="denies"),
        "unrelated": _claim(UNRELATED_EN, counted=None),
    }
    queue.run()
    return same, hard


def _ids(response):
    return [r["id"] for r in response.json()["results"]]


def test_the_same_claim_in_other_languages_ranks_above_lookalikes(write_api, cluster):
    same, hard = cluster
    response = write_api.get(f"/api/v1/claims/{same['en'].pk}/similar/?limit=7")
    assert response.status_code == 200, response.json()
    ids = _ids(response)
    assert set(ids[:3]) == {same["ru"].pk, same["ko"].pk, same["az"].pk}
    assert set(ids[3:6]) == {hard["wounded"].pk, hard["300"].pk, hard["denial"].pk}
    first = response.json()["results"][0]
    assert first["relation"] == "suggested" and first["assessment"] == "likely_same"
    by_id = {r["id"]: r for r in response.json()["results"]}
    assert "different thing counted" in by_id[hard["wounded"].pk]["differences"]
    assert by_id[hard["300"].pk]["assessment"] == "conflicting"
    assert by_id[hard["denial"].pk]["assessment"] == "conflicting"
    scores = [r["score"] for r in response.json()["results"]]
    assert scores == sorted(scores, reverse=True)


def test_a_text_not_yet_stored_finds_the_claims_it_repeats(read_api, cluster):
    same, _ = cluster
    text = "Roughly 600 soldiers from North Korea were killed in Kursk, Seoul's spies say."
    response = read_api.post("/api/v1/claims/similar/?limit=4",
                             {"text": text, "language": "en"}, format="json")
    assert response.status_code == 200, response.json()
    assert set(_ids(response)[:4]) == set(c.pk for c in same.values())


def test_a_texts_candidates_are_compared_in_as_many_statements_however_many(cluster):
    """Each candidate's names are read with one name index per request: taken per
    candidate, the index's version check cost two statements each (docs/benchmarks.md)."""
    text = "Roughly 600 soldiers from North Korea were killed in Kursk, Seoul's spies say."

    def statements() -> tuple[int, int]:
        reset_shared_index()  # the index reads the table afresh, the same way each time
        with CaptureQueriesContext(connection) as queries:
            found = finder.similar_to_text(text, "en", limit=50)
        return len(queries), len(found)

    statements()  # the name index built, the model loaded: what every later request finds
    few = statements()
    for i in range(6):
        _claim(f"{i + 2},000 North Korean soldiers were sent to the front, officials say.")
    queue.run()
    many = statements()
    assert many[1] == few[1] + 6
    assert many[0] == few[0]


def test_editor_answers_are_shown_first_and_not_related_is_never_suggested(
        write_api, cluster, editor):
    same, hard = cluster
    finder.answer(same["en"], hard["300"], "conflicts_with", actor=editor)
    finder.answer(same["en"], same["ko"], "same_as", actor=editor)
    finder.answer(same["en"], same["ru"], "not_related", actor=editor)
    results = write_api.get(f"/api/v1/claims/{same['en'].pk}/similar/?limit=10").json()[
        "results"]
    assert [(r["id"], r["relation"]) for r in results[:2]] == [
        (same["ko"].pk, "same_as"), (hard["300"].pk, "conflicts_with")]
    assert same["ru"].pk not in [r["id"] for r in results]
    assert NotRelated.objects.count() == 1
    # Changing one's mind replaces the answer.
    finder.answer(same["en"], same["ru"], "same_as", actor=editor)
    assert not NotRelated.objects.exists()
    assert ClaimRelation.objects.filter(kind="same_as", automatic=False).count() == 2


def test_a_read_key_sees_published_claims_only(read_api, nis):
    public = _claim(NK_KILLED["en"], claimant=nis)
    draft = _claim(NK_KILLED["ru"], "ru", claimant=nis, published=False)
    queue.run()
    assert read_api.get(f"/api/v1/claims/{draft.pk}/similar/").status_code == 404
    response = read_api.get(f"/api/v1/claims/{public.pk}/similar/")
    assert draft.pk not in _ids(response)
    response = read_api.post("/api/v1/claims/similar/", {"text": NK_KILLED["ko"]},
                             format="json")
    assert _ids(response) == [public.pk]


@pytest.mark.parametrize("query, field", [
    ("limit=0", "limit"), ("limit=251", "limit"), ("limit=ten", "limit")])
def test_a_bad_limit_is_a_400_naming_it(write_api, nis, query, field):
    claim = _claim(NK_KILLED["en"])
    response = write_api.get(f"/api/v1/claims/{claim.pk}/similar/?{query}")
    assert response.status_code == 400
    assert field in response.json()["fields"]


def test_an_unknown_claim_is_a_404(write_api):
    response = write_api.get("/api/v1/claims/999999/similar/")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


@pytest.mark.parametrize("text, message", [
    ("", "empty"), ("   ", "empty"), ("x" * 2001, "at most 2000"),
    ("12345 !!! 678", "no letters"), ("ᚠᚢᚦᚨᚱᚲ ᚷᚹᚺᚾ ᛁᛃᛇᛈ", "cannot read"),
])
def test_text_the_model_cannot_use_is_a_400(read_api, text, message):
    response = read_api.post("/api/v1/claims/similar/", {"text": text}, format="json")
    assert response.status_code == 400
    assert message in response.json()["fields"]["text"][0]


def test_a_bad_language_is_a_400(read_api):
    response = read_api.post("/api/v1/claims/similar/", {"text": "hello", "language": "xx_YY"},
                             format="json")
    assert response.status_code == 400 and "language" in response.json()["fields"]


def test_no_key_is_a_401(api_client):
    response = api_client().post("/api/v1/claims/similar/", {"text": "hello"}, format="json")
    assert response.status_code == 401


def test_a_model_that_fails_to_load_is_a_503_and_the_rest_keeps_working(
        write_api, settings, tmp_path, nis):
    claim = _claim(NK_KILLED["en"])
    queue.run()
    broken = tmp_path / "model.bin"
    broken.write_bytes(b"garbage")
    settings.SIMILARITY_MODEL_PATH = str(broken)
    response = write_api.get(f"/api/v1/claims/{claim.pk}/similar/")
    assert response.status_code == 503
    assert response.json()["code"] == "similarity_unavailable"
    assert "could not be loaded" in response.json()["detail"]
    response = write_api.post("/api/v1/claims/similar/", {"text": "hello"}, format="json")
    assert response.status_code == 503
    assert write_api.get(f"/api/v1/claims/{claim.pk}/").status_code == 200
    assert write_api.get("/api/v1/claims/").status_code == 200


def test_both_endpoints_are_in_the_openapi_schema(api_client):
    schema = api_client().get("/api/schema/?format=json").json()
    assert "/api/v1/claims/{id}/similar/" in schema["paths"]
    assert "post" in schema["paths"]["/api/v1/claims/similar/"]
    assert "503" in schema["paths"]["/api/v1/claims/similar/"]["post"]["responses"]


@pytest.mark.parametrize("text, figures", [
    ("Around 2,000 North Korean soldiers were killed", {2000}),
    ("resulted in nine deaths", {9}),
    ("Около двух тысяч северокорейских военных погибли", {2000}),
    ("현재는 2000여명으로 사망자를 추산하고 있다", {2000}),
    ("약 1만 1천명의 북한군", {11000}),
    ("Kursk bölgəsinə təxminən 11 min əsgər", {11000}),
    ("on 13 January 2025", set()),
    ("SIX sıx ONE İKİ", {6}),  # dotless ı is not a case of i here
])
def test_figures_are_read_from_text_in_four_languages(text, figures):
    from similarity.numerals import numbers

    assert {int(v) for v in numbers(text)} == figures


def test_a_large_limit_re_ranks_its_limit_and_a_margin_never_less_than_limit_10():
    """The candidate pool grows with the limit plus a margin, not 4x it (1,000 at 250),
    and always holds the nearest 200 that limit=10 re-ranks: with 50 a quarter of the
    cross-language matches never reached the ranking (docs/matching.md)."""
    pool = finder.pool
    assert [pool(n) for n in (1, 10, 12)] == [200, 200, 200]
    assert pool(250) == 290
    sizes = [pool(n) for n in range(1, finder.MAX_LIMIT + 1)]
    assert sizes == sorted(sizes)
    assert all(size >= max(pool(10), n + min(3 * n, 40)) for n, size in enumerate(sizes, 1))
